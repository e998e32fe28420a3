/** The typed arrays a volume's voxels may be stored in. */
export type VoxelArray = Uint8Array | Int8Array | Uint16Array | Int16Array | Uint32Array | Int32Array | Float32Array | Float64Array;

export type VoxelType = 'uint8' | 'int8' | 'uint16' | 'int16' | 'uint32' | 'int32' | 'float32' | 'float64';

export function voxelTypeOf(data: VoxelArray): VoxelType {
  if (data instanceof Uint8Array) return 'uint8';
  if (data instanceof Int8Array) return 'int8';
  if (data instanceof Uint16Array) return 'uint16';
  if (data instanceof Int16Array) return 'int16';
  if (data instanceof Uint32Array) return 'uint32';
  if (data instanceof Int32Array) return 'int32';
  if (data instanceof Float32Array) return 'float32';
  return 'float64';
}

export function allocateVoxels(type: VoxelType, length: number): VoxelArray {
  switch (type) {
    case 'uint8': return new Uint8Array(length);
    case 'int8': return new Int8Array(length);
    case 'uint16': return new Uint16Array(length);
    case 'int16': return new Int16Array(length);
    case 'uint32': return new Uint32Array(length);
    case 'int32': return new Int32Array(length);
    case 'float32': return new Float32Array(length);
    case 'float64': return new Float64Array(length);
  }
}

/** Smallest integer type that holds [min, max] exactly, or float32 when the values are not integers. */
export function smallestVoxelTypeFor(min: number, max: number, integral: boolean): VoxelType {
  if (!integral) return 'float32';
  if (min >= 0 && max <= 255) return 'uint8';
  if (min >= -32768 && max <= 32767) return 'int16';
  if (min >= 0 && max <= 65535) return 'uint16';
  if (min >= -2147483648 && max <= 2147483647) return 'int32';
  return 'float64';
}
