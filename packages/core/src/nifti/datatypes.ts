import type { VoxelType } from '../volume/voxel-array.ts';

/** NIfTI-1/-2 `datatype` codes for the voxel types Keyhole stores (nifti1.h, NIFTI_TYPE_*). */
export const NIFTI_DATATYPE: Readonly<Record<VoxelType, number>> = {
  uint8: 2,
  int16: 4,
  int32: 8,
  float32: 16,
  float64: 64,
  int8: 256,
  uint16: 512,
  uint32: 768,
};

export const BYTES_PER_VOXEL: Readonly<Record<VoxelType, number>> = {
  uint8: 1, int8: 1, int16: 2, uint16: 2, int32: 4, uint32: 4, float32: 4, float64: 8,
};

export function voxelTypeFromNiftiDatatype(code: number): VoxelType | undefined {
  for (const [type, value] of Object.entries(NIFTI_DATATYPE)) {
    if (value === code) return type as VoxelType;
  }
  return undefined;
}
