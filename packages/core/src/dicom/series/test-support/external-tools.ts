/**
 * Test support for the acceptance tests of series assembly: where the shared real data lives,
 * running dcm2niix, and reading reference NIfTI files through python3 + nibabel.
 *
 * Policy: a test that needs a tool or the shared data SKIPS with a clear message when it is absent
 * on a developer machine, and FAILS when the environment variable CI is set (CI must exercise it).
 * Test-only code, never imported by the library. Core is compiled without Node's types (it must run
 * in browsers), so the Node functions this module needs are handed in by the test file
 * (`createAcceptanceKit({ spawnSync, fs, tmpdir, env, repoRoot })`), as structural types below.
 */
import { mat4InvertAffine, mat4MulPoint, type Mat4 } from '../../../geometry/matrix.ts';
import type { Vec3 } from '../../../geometry/vec3.ts';
import type { Volume } from '../../../volume/volume.ts';
import type { DicomInstance } from '../../instance.ts';
import { parseDicom } from '../../parse/parse-dicom.ts';

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

/** The Node functions the kit needs, typed structurally (core has no Node types). */
export interface NodeDeps {
  readonly spawnSync: (command: string, args: readonly string[], options: { encoding: 'utf8' }) => { status: number | null; stdout: string; stderr: string };
  readonly fs: {
    existsSync(path: string): boolean;
    readFileSync(path: string): Uint8Array;
    readdirSync(path: string): string[];
    statSync(path: string): { isDirectory(): boolean };
    mkdtempSync(prefix: string): string;
    rmSync(path: string, options: { recursive: boolean; force: boolean }): void;
  };
  readonly tmpdir: () => string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Absolute path of the repository root (the shared data lives at ../shared/data beside it). */
  readonly repoRoot: string;
}

export interface Requirement {
  /** True when the test can run. */
  readonly ok: boolean;
  /** Why it cannot (for the skip message). */
  readonly reason: string;
}

/** Combines requirements: the first failing one decides. */
export function requireAll(...requirements: Requirement[]): Requirement {
  return requirements.find((r) => !r.ok) ?? { ok: true, reason: '' };
}

const join = (...parts: string[]): string => parts.join('/').replace(/\/+/g, '/');

export function createAcceptanceKit(node: NodeDeps) {
  const { fs } = node;
  const sharedData = join(node.repoRoot.replace(/\/[^/]+\/?$/, ''), 'shared/data');
  const inCI = node.env['CI'] !== undefined && node.env['CI'] !== '' && node.env['CI'] !== 'false';
  const toolCache = new Map<string, boolean>();

  const absent = (reason: string): Requirement => {
    if (inCI) throw new Error(`${reason} (CI is set, so this test must run; install it in the CI image)`);
    return { ok: false, reason: `(skipped: ${reason})` };
  };
  const runs = (command: string, args: string[]): boolean => {
    const key = [command, ...args].join(' ');
    if (!toolCache.has(key)) {
      try {
        toolCache.set(key, node.spawnSync(command, args, { encoding: 'utf8' }).status === 0);
      } catch {
        toolCache.set(key, false);
      }
    }
    return toolCache.get(key)!;
  };
  const nibabelPython = (): string | undefined => ['python3', '/usr/bin/python3'].find((c) => runs(c, ['-c', 'import nibabel, numpy']));
  const makeTempDir = (prefix: string): { dir: string; dispose: () => void } => {
    const dir = fs.mkdtempSync(join(node.tmpdir(), `keyhole-${prefix}-`));
    return { dir, dispose: () => fs.rmSync(dir, { recursive: true, force: true }) };
  };

  return {
    sharedData,
    inCI,
    makeTempDir,
    /** Whether a path under the shared data folder exists; in CI a missing path is an error. */
    requireData(relative: string): Requirement {
      const full = join(sharedData, relative);
      return fs.existsSync(full) ? { ok: true, reason: '' } : absent(`shared test data ${full} is absent`);
    },
    requireDcm2niix(): Requirement {
      return runs('dcm2niix', ['-v']) || runs('dcm2niix', ['-h']) ? { ok: true, reason: '' } : absent('dcm2niix is not installed (Debian package dcm2niix)');
    },
    requireNibabel(): Requirement {
      return nibabelPython() !== undefined ? { ok: true, reason: '' } : absent('python3 with nibabel and numpy is not installed (Debian python3-nibabel)');
    },
    /** Runs dcm2niix on a folder (no gzip, no BIDS sidecar) and returns the .nii files it wrote. */
    runDcm2niix(inputDir: string, outputDir: string, extraArgs: string[] = []): string[] {
      const result = node.spawnSync('dcm2niix', ['-z', 'n', '-b', 'n', '-f', '%s_%e_%p', ...extraArgs, '-o', outputDir, inputDir], { encoding: 'utf8' });
      if (result.status !== 0) throw new Error(`dcm2niix failed (${result.status}): ${result.stderr}${result.stdout}`);
      return fs.readdirSync(outputDir).filter((f) => f.endsWith('.nii')).sort().map((f) => join(outputDir, f));
    },
    /** Reads a NIfTI file with nibabel (an implementation independent of ours). */
    readNiftiWithNibabel(file: string): ReferenceNifti {
      const python = nibabelPython();
      if (python === undefined) throw new Error('python3 with nibabel is not available');
      const temp = makeTempDir('nifti-dump');
      try {
        const raw = join(temp.dir, 'data.f64');
        const result = node.spawnSync(python, ['-c', DUMP_SCRIPT, file, raw], { encoding: 'utf8' });
        if (result.status !== 0) throw new Error(`nibabel could not read ${file}: ${result.stderr}`);
        const header = JSON.parse(result.stdout) as { shape: number[]; affine: number[] };
        const bytes = fs.readFileSync(raw);
        const data = new Float64Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
        return { shape: header.shape, affineRas: header.affine as unknown as Mat4, data };
      } finally {
        temp.dispose();
      }
    },
    /** Parses files, or every file of a folder, with parseDicom. */
    readInstances(paths: readonly string[]): DicomInstance[] {
      const files = paths.flatMap((p) => (fs.statSync(p).isDirectory() ? fs.readdirSync(p).sort().map((f) => join(p, f)) : [p]));
      return files.map((file) => parseDicom({ bytes: new Uint8Array(fs.readFileSync(file)), source: file }));
    },
  };
}

export type AcceptanceKit = ReturnType<typeof createAcceptanceKit>;

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
export function compareWithReference(volume: Volume, reference: ReferenceNifti, options: { t?: number; tolerance?: (expected: number) => number; skip?: (ours: number) => boolean } = {}): WorldComparison {
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
        if (options.skip?.(volume.data[i + ni * (j + nj * k)]!) === true) continue;
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
