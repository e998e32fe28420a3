import { gzipSync } from 'fflate';
import { KeyholeError } from '../errors/keyhole-error.ts';
import { compareGrids, type Volume } from '../volume/volume.ts';
import { voxelTypeOf } from '../volume/voxel-array.ts';
import { BYTES_PER_VOXEL, NIFTI_DATATYPE } from './datatypes.ts';
import { rotationToQuaternion } from './quaternion.ts';
import { flipAffineRasLps } from './ras-lps.ts';

export interface WriteNiftiOptions {
  /** One volume, or several on the same grid (echoes, time points) written as a 4D file. */
  readonly volumes: readonly Volume[];
  /** gzip the output (`.nii.gz`). */
  readonly gzip?: boolean;
  /** gzip level 1–9; 6 is zlib's default, 1 is several times faster for large CT. */
  readonly gzipLevel?: 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9;
  /** Up to 79 characters stored in `descrip`. */
  readonly description?: string;
  /** Seconds between volumes for 4D time series (pixdim[4]). */
  readonly repetitionTimeSeconds?: number;
}

const HEADER_BYTES = 348;
/** 348-byte header + 4-byte extension flag; voxels start at 352 (nifti1.h). */
const VOX_OFFSET = 352;
const NIFTI_XFORM_SCANNER_ANAT = 1;
const NIFTI_UNITS_MM = 2;
const NIFTI_UNITS_SEC = 8;

/**
 * Encodes volumes as a NIfTI-1 single file (`n+1`), little endian, with BOTH qform and sform set
 * (code 1, scanner anatomical) to the same RAS+ affine, so every tool (FSL, ANTs, nibabel, ITK,
 * 3D Slicer) reads the same geometry. LPS → RAS happens here and nowhere else.
 */
export function writeNifti(options: WriteNiftiOptions): Uint8Array {
  const parts = niftiParts(options);
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.byteLength, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return options.gzip === true ? gzipSync(out, { level: options.gzipLevel ?? 6 }) : out;
}

/**
 * The uncompressed file as parts, in order: the 352-byte header, then each volume's voxels as a
 * VIEW of its own data (no copy). A file writer hands them to writev, so a 157 MB CT is not copied
 * into a second buffer first; `writeNifti` joins them. `gzip` is ignored here.
 */
export function niftiParts(options: WriteNiftiOptions): Uint8Array[] {
  const [first, ...rest] = options.volumes;
  if (first === undefined) throw new KeyholeError('INVALID_ARGUMENT', { message: 'writeNifti needs at least one volume' });
  const type = voxelTypeOf(first.data);
  for (const [n, other] of rest.entries()) {
    if (!compareGrids(first, other, 1e-4).same) {
      throw new KeyholeError('GEOMETRY_MISMATCH', { message: `volume ${n + 2} is not on the grid of volume 1; a 4D NIfTI needs one grid` });
    }
    if (voxelTypeOf(other.data) !== type) {
      throw new KeyholeError('INVALID_ARGUMENT', { message: `volume ${n + 2} stores ${voxelTypeOf(other.data)} but volume 1 stores ${type}` });
    }
  }
  const nt = options.volumes.length;
  const bytesPerVoxel = BYTES_PER_VOXEL[type];
  const out = new Uint8Array(VOX_OFFSET);
  const view = new DataView(out.buffer);

  view.setInt32(0, HEADER_BYTES, true);
  view.setUint8(38, 'r'.charCodeAt(0)); // regular = 'r' (ANALYZE legacy, kept for old readers)
  view.setInt16(40, nt > 1 ? 4 : 3, true);
  view.setInt16(42, first.size[0], true);
  view.setInt16(44, first.size[1], true);
  view.setInt16(46, first.size[2], true);
  view.setInt16(48, nt, true);
  for (let d = 5; d <= 7; d++) view.setInt16(40 + 2 * d, 1, true);
  if (first.size.some((n) => n > 32767) || nt > 32767) {
    throw new KeyholeError('NIFTI_UNSUPPORTED', { message: `NIfTI-1 dimensions are limited to 32767, got ${first.size.join('×')}×${nt}` });
  }
  view.setInt16(70, NIFTI_DATATYPE[type], true);
  view.setInt16(72, bytesPerVoxel * 8, true);

  // World affine in RAS: direction and spacing from the volume, converted at this boundary.
  const ras = flipAffineRasLps(first.indexToWorld);
  const rotation = [
    ras[0] / first.spacing[0], ras[1] / first.spacing[1], ras[2] / first.spacing[2],
    ras[4] / first.spacing[0], ras[5] / first.spacing[1], ras[6] / first.spacing[2],
    ras[8] / first.spacing[0], ras[9] / first.spacing[1], ras[10] / first.spacing[2],
  ] as const;
  const q = rotationToQuaternion(rotation);
  view.setFloat32(76, q.qfac, true); // pixdim[0] = qfac
  view.setFloat32(80, first.spacing[0], true);
  view.setFloat32(84, first.spacing[1], true);
  view.setFloat32(88, first.spacing[2], true);
  view.setFloat32(92, options.repetitionTimeSeconds ?? (nt > 1 ? 1 : 0), true);
  view.setFloat32(108, VOX_OFFSET, true);
  view.setFloat32(112, 1, true); // scl_slope: voxels are stored as their real values
  view.setFloat32(116, 0, true); // scl_inter
  view.setUint8(123, NIFTI_UNITS_MM | NIFTI_UNITS_SEC);

  const description = (options.description ?? 'Keyhole').slice(0, 79);
  for (let n = 0; n < description.length; n++) view.setUint8(148 + n, description.charCodeAt(n) & 0x7f);

  view.setInt16(252, NIFTI_XFORM_SCANNER_ANAT, true); // qform_code
  view.setInt16(254, NIFTI_XFORM_SCANNER_ANAT, true); // sform_code
  view.setFloat32(256, q.b, true);
  view.setFloat32(260, q.c, true);
  view.setFloat32(264, q.d, true);
  view.setFloat32(268, ras[3], true);
  view.setFloat32(272, ras[7], true);
  view.setFloat32(276, ras[11], true);
  for (let row = 0; row < 3; row++) {
    for (let col = 0; col < 4; col++) view.setFloat32(280 + 16 * row + 4 * col, ras[4 * row + col]!, true);
  }
  out.set([0x6e, 0x2b, 0x31, 0x00], 344); // magic "n+1\0"

  // Voxels: NIfTI and Keyhole both store i fastest, so the bytes go out as they are.
  // Typed arrays are little endian on every platform Node and browsers run on.
  return [out, ...options.volumes.map((volume) => new Uint8Array(volume.data.buffer, volume.data.byteOffset, volume.data.byteLength))];
}
