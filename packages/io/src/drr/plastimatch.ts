/**
 * Interop with plastimatch's DRR (`plastimatch drr`, Debian package plastimatch), the reference the
 * Keyhole DRR is checked and benchmarked against:
 * - `writeMetaImage`: a CT volume as MetaImage (.mha, LPS like ITK), re-gridded without resampling
 *   onto an identity direction matrix (voxels reordered for flipped or permuted axes), because
 *   plastimatch's ray tracer walks the grid as axis-aligned ("GCS FIX: This doesn't respect
 *   direction cosines", base/ray_trace_exact.cxx), and wrapped in one voxel of air: that tracer
 *   stops when it steps out of the grid BEFORE adding the last voxel's segment, so the exit voxel
 *   of every ray is dropped; with an air border the dropped voxel is air (μ = 0) and nothing real
 *   is lost (without it, a body that touches the grid's edge reads ~0.5 % low in plastimatch);
 * - `plastimatchDrrArguments`: the command line that gives plastimatch the same C-arm geometry;
 * - `readPfm` + `plastimatchLineIntegrals`: its output back as Keyhole's line integrals on
 *   Keyhole's pixel grid.
 *
 * plastimatch's geometry (reconstruct/drr.cxx, proj_matrix.cxx, 1.9.4): `-n nrm` is the unit vector
 * from the isocentre (`-o`) toward the source, placed `--sad` away; the detector centre is `--sid`
 * from the source along −nrm; columns run along prt = vup × nrm and rows along −(the part of vup
 * orthogonal to nrm); pixel (r, c) is centred at the detector centre + (c − ic)·ps·prt + (r − ic)·ps·pdn
 * with ic = (n − 1)/2; the PFM is written top row first. Its values are ∫μ dl / 10 (μ per mm, the
 * "/10" turning mm into cm). So: nrm = −beam direction, vup = the patient's head (+z), and columns
 * are mirrored (prt = −Keyhole's iAxis).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { indexToWorld, KeyholeError, type DrrProjection, type Volume } from '@keyhole/core';

/** The voxel axis and sign that runs along each LPS axis; refuses oblique grids. */
function axisPermutation(volume: Volume): Array<{ axis: 0 | 1 | 2; sign: 1 | -1 }> {
  return [0, 1, 2].map((row) => {
    for (const col of [0, 1, 2] as const) {
      const v = volume.direction[3 * row + col]!;
      if (Math.abs(Math.abs(v) - 1) < 1e-6) return { axis: col, sign: v > 0 ? 1 : -1 };
    }
    throw new KeyholeError('INVALID_ARGUMENT', { path: 'volume.direction', message: 'only grids whose axes run along x, y and z (in any order or sense) can be written for plastimatch; this one is oblique' });
  });
}

/** Value of the air border written around the volume (HU; μ = 0 in every attenuation model). */
export const METAIMAGE_AIR_BORDER_HU = -1024;

/**
 * Writes `volume` as a float32 MetaImage with an identity direction (same voxels, reordered) and a
 * one-voxel border of air on every side (see above).
 */
export async function writeMetaImage(volume: Volume, path: string): Promise<void> {
  const perm = axisPermutation(volume);
  const inner = perm.map((p) => volume.size[p.axis]) as [number, number, number];
  const size = inner.map((n) => n + 2) as [number, number, number];
  const oldIndex = (x: number, y: number, z: number): [number, number, number] => {
    const out: [number, number, number] = [0, 0, 0];
    [x, y, z].forEach((n, row) => {
      const { axis, sign } = perm[row]!;
      out[axis] = sign > 0 ? n : volume.size[axis] - 1 - n;
    });
    return out;
  };
  const spacing = perm.map((p) => volume.spacing[p.axis]!);
  const first = indexToWorld(volume, oldIndex(0, 0, 0));
  const origin = first.map((v, axis) => v - spacing[axis]!);
  const [ni, nj] = volume.size;
  const data = new Float32Array(size[0] * size[1] * size[2]).fill(METAIMAGE_AIR_BORDER_HU);
  for (let z = 0; z < inner[2]; z++) {
    for (let y = 0; y < inner[1]; y++) {
      // Along x the old index moves by a fixed stride: compute the start and the step once per line.
      const [i0, j0, k0] = oldIndex(0, y, z);
      const [i1, j1, k1] = oldIndex(1 % inner[0], y, z);
      const start = i0 + ni * (j0 + nj * k0);
      const step = inner[0] > 1 ? i1 + ni * (j1 + nj * k1) - start : 0;
      let n = 1 + size[0] * (y + 1 + size[1] * (z + 1));
      for (let x = 0; x < inner[0]; x++) data[n++] = volume.data[start + x * step]!;
    }
  }
  const header = [
    'ObjectType = Image',
    'NDims = 3',
    'BinaryData = True',
    'BinaryDataByteOrderMSB = False',
    'CompressedData = False',
    'TransformMatrix = 1 0 0 0 1 0 0 0 1',
    `Offset = ${origin.join(' ')}`,
    'CenterOfRotation = 0 0 0',
    'AnatomicalOrientation = RAI',
    `ElementSpacing = ${spacing.join(' ')}`,
    `DimSize = ${size.join(' ')}`,
    'ElementType = MET_FLOAT',
    'ElementDataFile = LOCAL',
    '',
  ].join('\n');
  await writeFile(path, Buffer.concat([Buffer.from(header, 'latin1'), Buffer.from(data.buffer, data.byteOffset, data.byteLength)]));
}

export interface PlastimatchDrrGeometry {
  readonly projection: DrrProjection;
  /** Output prefix (plastimatch appends 0000.pfm). */
  readonly outputPrefix: string;
  readonly input: string;
  /** `preprocess` (its HU → μ, PLASTIMATCH_ATTENUATION) or `none` (the input already holds μ). */
  readonly huConversion?: 'preprocess' | 'none';
}

/** Arguments after `plastimatch` for the same C-arm geometry as `projection` (exact ray tracing). */
export function plastimatchDrrArguments(options: PlastimatchDrrGeometry): string[] {
  const p = options.projection;
  if (p.size[0] !== p.size[1] || p.pixelSpacingMm[0] !== p.pixelSpacingMm[1]) {
    // plastimatch's "row col" options are applied to columns and rows inconsistently across
    // versions; with a square detector and square pixels there is nothing to get wrong.
    throw new KeyholeError('INVALID_ARGUMENT', { path: 'projection.size', message: 'comparisons with plastimatch use a square detector with square pixels' });
  }
  const nrm = p.beamDirection.map((v) => -v);
  const fmt = (values: readonly number[]): string => values.map((v) => v.toFixed(9)).join(' ');
  return [
    'drr',
    '-A', 'cpu',
    '-i', 'exact',
    '-P', options.huConversion ?? 'preprocess',
    '-t', 'pfm',
    '-n', fmt(nrm),
    '--vup', '0 0 1',
    '--sad', String(p.sourceToIsocentreMm),
    '--sid', String(p.sourceToDetectorMm),
    '-r', `${p.size[1]} ${p.size[0]}`,
    '-z', `${p.size[1] * p.pixelSpacingMm[1]} ${p.size[0] * p.pixelSpacingMm[0]}`,
    '-o', fmt(p.isocentre),
    '-I', options.input,
    '-O', options.outputPrefix,
  ];
}

export interface PfmImage {
  readonly width: number;
  readonly height: number;
  /** Rows in file order (plastimatch: top row first). */
  readonly data: Float32Array;
}

/** Reads a one-channel PFM ("Pf"); a negative scale means little-endian. */
export async function readPfm(path: string): Promise<PfmImage> {
  const bytes = await readFile(path);
  let offset = 0;
  const token = (): string => {
    while (offset < bytes.length && /\s/.test(String.fromCharCode(bytes[offset]!))) offset++;
    const start = offset;
    while (offset < bytes.length && !/\s/.test(String.fromCharCode(bytes[offset]!))) offset++;
    return bytes.subarray(start, offset).toString('latin1');
  };
  const magic = token();
  const width = Number(token());
  const height = Number(token());
  const scale = Number(token());
  offset++; // the single whitespace byte after the scale
  if (magic !== 'Pf' || !(width > 0) || !(height > 0) || !Number.isFinite(scale) || bytes.length - offset < width * height * 4) {
    throw new KeyholeError('FILE_UNREADABLE', { file: path, message: 'not a one-channel PFM image of the size its header gives' });
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, width * height * 4);
  const data = new Float32Array(width * height);
  for (let n = 0; n < data.length; n++) data[n] = view.getFloat32(4 * n, scale < 0);
  return { width, height, data };
}

/** plastimatch's output as Keyhole line integrals ∫μ dl on Keyhole's pixel grid (columns mirrored, ×10). */
export function plastimatchLineIntegrals(pfm: PfmImage): Float32Array {
  const out = new Float32Array(pfm.width * pfm.height);
  for (let r = 0; r < pfm.height; r++) {
    for (let c = 0; c < pfm.width; c++) out[r * pfm.width + c] = 10 * pfm.data[r * pfm.width + (pfm.width - 1 - c)]!;
  }
  return out;
}
