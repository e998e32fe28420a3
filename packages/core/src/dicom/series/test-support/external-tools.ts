/**
 * Test support for the acceptance tests of series assembly: where the shared real data lives,
 * running dcm2niix, and reading reference NIfTI files through python3 + nibabel.
 *
 * Policy: a test that needs a tool or the shared data SKIPS with a clear message when it is absent
 * on a developer machine, and FAILS when the environment variable CI is set (CI must exercise it).
 * Test-only code: it uses node: modules and is never imported by the library.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { mat4InvertAffine, mat4MulPoint, type Mat4 } from '../../../geometry/matrix.ts';
import type { Vec3 } from '../../../geometry/vec3.ts';
import type { Volume } from '../../../volume/volume.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '../../../../../..');
export const sharedData = path.resolve(repoRoot, '../shared/data');
export const inCI = process.env['CI'] !== undefined && process.env['CI'] !== '' && process.env['CI'] !== 'false';

export interface Requirement {
  /** True when the test can run. */
  readonly ok: boolean;
  /** Why it cannot (for the skip message). */
  readonly reason: string;
}

/** Whether a path under the shared data folder exists; in CI a missing path is an error. */
export function requireData(relative: string): Requirement {
  const full = path.join(sharedData, relative);
  return existsSync(full) ? { ok: true, reason: '' } : absent(`shared test data ${full} is absent`);
}

function absent(reason: string): Requirement {
  if (inCI) throw new Error(`${reason} (CI is set, so this test must run; install it in the CI image)`);
  return { ok: false, reason };
}

const toolCache = new Map<string, boolean>();
function runs(command: string, args: string[]): boolean {
  const key = [command, ...args].join(' ');
  if (!toolCache.has(key)) toolCache.set(key, spawnSync(command, args, { stdio: 'ignore' }).status === 0);
  return toolCache.get(key)!;
}

export function requireDcm2niix(): Requirement {
  return runs('dcm2niix', ['-v']) || runs('dcm2niix', ['-h']) ? { ok: true, reason: '' } : absent('dcm2niix is not installed (Debian package dcm2niix)');
}

/** A python3 that can import nibabel and numpy (the pyenv shim may lack them; /usr/bin/python3 has them on Debian). */
export function nibabelPython(): string | undefined {
  for (const candidate of ['python3', '/usr/bin/python3']) if (runs(candidate, ['-c', 'import nibabel, numpy'])) return candidate;
  return undefined;
}

export function requireNibabel(): Requirement {
  return nibabelPython() !== undefined ? { ok: true, reason: '' } : absent('python3 with nibabel and numpy is not installed (Debian python3-nibabel)');
}

/** Combines requirements: the first failing one decides. */
export function requireAll(...requirements: Requirement[]): Requirement {
  return requirements.find((r) => !r.ok) ?? { ok: true, reason: '' };
}

export function makeTempDir(prefix: string): { dir: string; dispose: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), `keyhole-${prefix}-`));
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Runs dcm2niix on a folder (no gzip, no BIDS sidecar) and returns the .nii files it wrote. */
export function runDcm2niix(inputDir: string, outputDir: string, extraArgs: string[] = []): string[] {
  const result = spawnSync('dcm2niix', ['-z', 'n', '-b', 'n', '-f', '%s_%e_%p', ...extraArgs, '-o', outputDir, inputDir], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`dcm2niix failed (${result.status}): ${result.stderr}${result.stdout}`);
  return readdirSync(outputDir).filter((f) => f.endsWith('.nii')).sort().map((f) => path.join(outputDir, f));
}

export interface ReferenceNifti {
  /** Up to 4 dimensions (x, y, z, t). */
  readonly shape: readonly number[];
  /** The sform/qform affine nibabel chooses, RAS, row-major 4×4. */
  readonly affineRas: Mat4;
  /** Scaled values (scl_slope/scl_inter applied), x fastest then y, z, t. */
  readonly data: Float64Array;
}

const DUMP_SCRIPT = `
import sys, json, numpy as np, nibabel as nib
img = nib.load(sys.argv[1])
data = np.asarray(img.dataobj, dtype=np.float64)
with open(sys.argv[2], 'wb') as f: f.write(data.ravel(order='F').astype('<f8').tobytes())
print(json.dumps({'shape': list(data.shape), 'affine': img.affine.ravel().tolist()}))
`;

/** Reads a NIfTI file with nibabel (an implementation independent of ours). */
export function readNiftiWithNibabel(file: string): ReferenceNifti {
  const python = nibabelPython();
  if (python === undefined) throw new Error('python3 with nibabel is not available');
  const temp = makeTempDir('nifti-dump');
  try {
    const raw = path.join(temp.dir, 'data.f64');
    const result = spawnSync(python, ['-c', DUMP_SCRIPT, file, raw], { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`nibabel could not read ${file}: ${result.stderr}`);
    const header = JSON.parse(result.stdout) as { shape: number[]; affine: number[] };
    const bytes = readFileSync(raw);
    const data = new Float64Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    return { shape: header.shape, affineRas: header.affine as unknown as Mat4, data };
  } finally {
    temp.dispose();
  }
}

export interface WorldComparison {
  /** Largest distance (in reference voxels) between our voxel centre and the nearest reference voxel centre. */
  readonly maxIndexError: number;
  /** Voxels whose value differs by more than the tolerance. */
  readonly mismatches: number;
  readonly maxAbsDifference: number;
  readonly compared: number;
  /** First few mismatches, for the failure message. */
  readonly examples: readonly string[];
}

/**
 * Compares a Volume with one 3D volume (time point `t`) of a reference NIfTI IN WORLD SPACE: the
 * reference affine is converted RAS → LPS (negating its first two rows), each of our voxel centres
 * is mapped into the reference's index space, and the value there is compared. This handles any
 * axis permutation or flip a converter applied (dcm2niix flips rows), and compares direction, not
 * just size and spacing.
 */
export function compareWithReference(volume: Volume, reference: ReferenceNifti, options: { t?: number; tolerance?: (expected: number) => number } = {}): WorldComparison {
  const a = reference.affineRas;
  const lps: Mat4 = [-a[0], -a[1], -a[2], -a[3], -a[4], -a[5], -a[6], -a[7], a[8], a[9], a[10], a[11], 0, 0, 0, 1];
  const toRefIndex = mat4InvertAffine(lps);
  const [rx, ry, rz] = [reference.shape[0]!, reference.shape[1]!, reference.shape[2] ?? 1];
  const tOffset = (options.t ?? 0) * rx * ry * rz;
  const tolerance = options.tolerance ?? (() => 0);
  const [ni, nj, nk] = volume.size;
  let maxIndexError = 0;
  let mismatches = 0;
  let maxAbs = 0;
  let compared = 0;
  const examples: string[] = [];
  for (let k = 0; k < nk; k++)
    for (let j = 0; j < nj; j++)
      for (let i = 0; i < ni; i++) {
        const world = mat4MulPoint(volume.indexToWorld, [i, j, k]);
        const idx: Vec3 = mat4MulPoint(toRefIndex, world);
        const r = idx.map(Math.round);
        maxIndexError = Math.max(maxIndexError, Math.hypot(idx[0] - r[0]!, idx[1] - r[1]!, idx[2] - r[2]!));
        if (r[0]! < 0 || r[1]! < 0 || r[2]! < 0 || r[0]! >= rx || r[1]! >= ry || r[2]! >= rz) {
          mismatches++;
          if (examples.length < 5) examples.push(`our voxel (${i},${j},${k}) falls outside the reference at (${r.join(',')})`);
          continue;
        }
        const expected = reference.data[tOffset + r[0]! + rx * (r[1]! + ry * r[2]!)]!;
        const actual = volume.data[i + ni * (j + nj * k)]!;
        const diff = Math.abs(actual - expected);
        maxAbs = Math.max(maxAbs, diff);
        compared++;
        if (diff > tolerance(expected)) {
          mismatches++;
          if (examples.length < 5) examples.push(`voxel (${i},${j},${k}): ours ${actual}, reference ${expected}`);
        }
      }
  return { maxIndexError, mismatches, maxAbsDifference: maxAbs, compared, examples };
}

/** Parses every file of a folder (or the given files) with parseDicom. */
export async function readInstances(paths: readonly string[]): Promise<import('../../instance.ts').DicomInstance[]> {
  const { parseDicom } = await import('../../parse/parse-dicom.ts');
  const files = paths.flatMap((p) => (statSync(p).isDirectory() ? readdirSync(p).sort().map((f) => path.join(p, f)) : [p]));
  return files.map((file) => parseDicom({ bytes: new Uint8Array(readFileSync(file)), source: file }));
}
