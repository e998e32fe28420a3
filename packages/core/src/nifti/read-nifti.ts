import { gunzipSync } from 'fflate';
import { KeyholeError } from '../errors/keyhole-error.ts';
import type { Mat4 } from '../geometry/matrix.ts';
import { createVolume, type Volume, type VoxelUnit } from '../volume/volume.ts';
import { allocateVoxels, type VoxelArray, type VoxelType } from '../volume/voxel-array.ts';
import { BYTES_PER_VOXEL, voxelTypeFromNiftiDatatype } from './datatypes.ts';
import { quaternionToRotation } from './quaternion.ts';
import { flipAffineRasLps } from './ras-lps.ts';

export interface ReadNiftiOptions {
  readonly bytes: Uint8Array;
  /** Named in every error. */
  readonly source: string;
  /** What the voxels mean; NIfTI does not say. Label maps should pass 'label'. */
  readonly units?: VoxelUnit;
}

export type NiftiAffineSource = 'sform' | 'qform' | 'pixdim';

export interface ReadNiftiResult {
  /** One volume per 3D frame (dim[4] of them), in LPS. */
  readonly volumes: Volume[];
  readonly version: 1 | 2;
  /** Which header transform placed the volume: sform wins over qform, as in nibabel and ITK. */
  readonly affineSource: NiftiAffineSource;
  /** Non-fatal observations a caller should show (for example a missing transform). */
  readonly warnings: string[];
  readonly description: string;
}

interface Header {
  readonly version: 1 | 2;
  readonly little: boolean;
  readonly dims: number[];
  readonly datatype: number;
  readonly pixdim: number[];
  readonly voxOffset: number;
  readonly sclSlope: number;
  readonly sclInter: number;
  readonly qformCode: number;
  readonly sformCode: number;
  readonly quatern: readonly [number, number, number];
  readonly qoffset: readonly [number, number, number];
  readonly srow: number[];
  readonly description: string;
}

function invalid(source: string, message: string): never {
  throw new KeyholeError('NIFTI_INVALID', { file: source, message });
}

function readHeader(bytes: Uint8Array, source: string): Header {
  if (bytes.byteLength < 348) invalid(source, `file is ${bytes.byteLength} bytes, shorter than a NIfTI header (348)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const size = view.getInt32(0, true);
  const sizeBig = view.getInt32(0, false);
  let version: 1 | 2;
  let little: boolean;
  if (size === 348 || sizeBig === 348) {
    version = 1;
    little = size === 348;
  } else if (size === 540 || sizeBig === 540) {
    version = 2;
    little = size === 540;
  } else {
    invalid(source, `sizeof_hdr is ${size}, expected 348 (NIfTI-1) or 540 (NIfTI-2)`);
  }
  const text = (offset: number, length: number): string => {
    let s = '';
    for (let n = 0; n < length; n++) {
      const c = view.getUint8(offset + n);
      if (c === 0) break;
      s += String.fromCharCode(c);
    }
    return s;
  };
  if (version === 1) {
    const magic = text(344, 4);
    if (magic !== 'n+1' && magic !== 'ni1') invalid(source, `magic is "${magic}", expected "n+1"`);
    if (magic === 'ni1') {
      throw new KeyholeError('NIFTI_UNSUPPORTED', { file: source, message: 'two-file NIfTI (.hdr/.img) is not supported; convert it to a single .nii' });
    }
    const dims = Array.from({ length: 8 }, (_, n) => view.getInt16(40 + 2 * n, little));
    const pixdim = Array.from({ length: 8 }, (_, n) => view.getFloat32(76 + 4 * n, little));
    return {
      version, little, dims, pixdim,
      datatype: view.getInt16(70, little),
      voxOffset: view.getFloat32(108, little),
      sclSlope: view.getFloat32(112, little),
      sclInter: view.getFloat32(116, little),
      qformCode: view.getInt16(252, little),
      sformCode: view.getInt16(254, little),
      quatern: [view.getFloat32(256, little), view.getFloat32(260, little), view.getFloat32(264, little)],
      qoffset: [view.getFloat32(268, little), view.getFloat32(272, little), view.getFloat32(276, little)],
      srow: Array.from({ length: 12 }, (_, n) => view.getFloat32(280 + 4 * n, little)),
      description: text(148, 80),
    };
  }
  if (bytes.byteLength < 540) invalid(source, 'file is shorter than a NIfTI-2 header (540 bytes)');
  const magic = text(4, 8);
  if (magic !== 'n+2') invalid(source, `magic is "${magic}", expected "n+2"`);
  const dims = Array.from({ length: 8 }, (_, n) => Number(view.getBigInt64(16 + 8 * n, little)));
  const pixdim = Array.from({ length: 8 }, (_, n) => view.getFloat64(104 + 8 * n, little));
  return {
    version, little, dims, pixdim,
    datatype: view.getInt16(12, little),
    voxOffset: Number(view.getBigInt64(168, little)),
    sclSlope: view.getFloat64(176, little),
    sclInter: view.getFloat64(184, little),
    qformCode: view.getInt32(344, little),
    sformCode: view.getInt32(348, little),
    quatern: [view.getFloat64(352, little), view.getFloat64(360, little), view.getFloat64(368, little)],
    qoffset: [view.getFloat64(376, little), view.getFloat64(384, little), view.getFloat64(392, little)],
    srow: Array.from({ length: 12 }, (_, n) => view.getFloat64(400 + 8 * n, little)),
    description: text(240, 80),
  };
}

function affineOf(header: Header, warnings: string[]): { ras: Mat4; source: NiftiAffineSource } {
  const s = header.srow;
  if (header.sformCode > 0 && s.every((v) => Number.isFinite(v))) {
    return { ras: [s[0]!, s[1]!, s[2]!, s[3]!, s[4]!, s[5]!, s[6]!, s[7]!, s[8]!, s[9]!, s[10]!, s[11]!, 0, 0, 0, 1], source: 'sform' };
  }
  const dx = Math.abs(header.pixdim[1] ?? 1) || 1;
  const dy = Math.abs(header.pixdim[2] ?? 1) || 1;
  const dz = Math.abs(header.pixdim[3] ?? 1) || 1;
  if (header.qformCode > 0) {
    const qfac = (header.pixdim[0] ?? 1) < 0 ? -1 : 1;
    const r = quaternionToRotation({ b: header.quatern[0], c: header.quatern[1], d: header.quatern[2], qfac });
    const o = header.qoffset;
    return {
      ras: [r[0] * dx, r[1] * dy, r[2] * dz, o[0], r[3] * dx, r[4] * dy, r[5] * dz, o[1], r[6] * dx, r[7] * dy, r[8] * dz, o[2], 0, 0, 0, 1],
      source: 'qform',
    };
  }
  warnings.push('neither sform nor qform is set: orientation is unknown, voxel axes were taken as RAS (NIfTI "method 1")');
  return { ras: [dx, 0, 0, 0, 0, dy, 0, 0, 0, 0, dz, 0, 0, 0, 0, 1], source: 'pixdim' };
}

/** Decodes a NIfTI-1 or NIfTI-2 single file (optionally gzipped) into LPS volumes. */
export function readNifti(options: ReadNiftiOptions): ReadNiftiResult {
  const { source } = options;
  let bytes = options.bytes;
  if (bytes.byteLength >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes);
    } catch (cause) {
      throw new KeyholeError('NIFTI_INVALID', { file: source, message: `gzip stream is damaged (${String(cause)})`, cause });
    }
  }
  const header = readHeader(bytes, source);
  const warnings: string[] = [];
  const ndim = header.dims[0] ?? 0;
  if (ndim < 1 || ndim > 7) invalid(source, `dim[0] is ${ndim}, expected 1 to 7`);
  const size = [1, 2, 3].map((d) => (d <= ndim ? header.dims[d] ?? 1 : 1));
  const frames = ndim >= 4 ? Math.max(1, header.dims[4] ?? 1) : 1;
  if (ndim > 4 && header.dims.slice(5, ndim + 1).some((n) => n > 1)) {
    throw new KeyholeError('NIFTI_UNSUPPORTED', { file: source, message: `dimensions beyond 4 (dim = ${header.dims.slice(0, ndim + 1).join(',')}) are not supported` });
  }
  if (size.some((n) => !(n >= 1))) invalid(source, `image size ${size.join('×')} is not positive`);
  const storedType = voxelTypeFromNiftiDatatype(header.datatype);
  if (storedType === undefined) {
    throw new KeyholeError('NIFTI_UNSUPPORTED', { file: source, message: `datatype code ${header.datatype} (complex, RGB or 64-bit integer) is not supported` });
  }
  const voxels = size[0]! * size[1]! * size[2]!;
  const bytesPer = BYTES_PER_VOXEL[storedType];
  const offset = Math.max(header.voxOffset, header.version === 1 ? 352 : 544);
  const needed = offset + voxels * frames * bytesPer;
  if (bytes.byteLength < needed) invalid(source, `file holds ${bytes.byteLength} bytes but the header needs ${needed}: it is truncated`);

  const { ras, source: affineSource } = affineOf(header, warnings);
  const lps = flipAffineRasLps(ras);
  const columns = [0, 1, 2].map((c) => [lps[c]!, lps[4 + c]!, lps[8 + c]!] as const);
  const spacing = columns.map((v) => Math.hypot(v[0], v[1], v[2]));
  if (spacing.some((v) => !(v > 0))) invalid(source, `the ${affineSource} has a zero-length axis`);
  const direction = [0, 1, 2].flatMap((row) => [0, 1, 2].map((c) => columns[c]![row]! / spacing[c]!));
  const origin = [lps[3], lps[7], lps[11]];

  const slope = header.sclSlope;
  const scaled = Number.isFinite(slope) && slope !== 0 && !(slope === 1 && header.sclInter === 0);
  const outputType: VoxelType = scaled ? 'float32' : storedType;
  const volumes: Volume[] = [];
  for (let t = 0; t < frames; t++) {
    const start = offset + t * voxels * bytesPer;
    const data = decodeVoxels(bytes, start, voxels, storedType, header.little);
    let out: VoxelArray = data;
    if (scaled) {
      out = allocateVoxels(outputType, voxels);
      for (let n = 0; n < voxels; n++) out[n] = data[n]! * slope + header.sclInter;
    }
    volumes.push(
      createVolume({
        size, spacing, origin, direction, data: out,
        units: options.units ?? 'raw',
        ...(frames > 1 ? { label: `volume ${t + 1}` } : {}),
      }),
    );
  }
  return { volumes, version: header.version, affineSource, warnings, description: header.description };
}

function decodeVoxels(bytes: Uint8Array, start: number, count: number, type: VoxelType, little: boolean): VoxelArray {
  const out = allocateVoxels(type, count);
  const width = BYTES_PER_VOXEL[type];
  const target = new Uint8Array(out.buffer);
  target.set(bytes.subarray(start, start + count * width));
  if (!little && width > 1) {
    for (let n = 0; n < target.length; n += width) target.subarray(n, n + width).reverse();
  }
  return out;
}
