/**
 * A WebAssembly SIMD kernel for the hottest loop of loading a CT: adding the rescale intercept to
 * every voxel (stored value + (−1024) = HU), in place, in the volume's own memory.
 *
 * Why WebAssembly: the plain TypeScript loop (real-values.ts addPairs, two voxels per step through
 * 32-bit words) costs about 1 ns per voxel, some 80–100 ms for a 512×512×300 CT on this project's
 * 2 GHz machines; `i16x8.add` does eight voxels per instruction and the loop is then bound by
 * memory, about 6× faster measured side by side on the same planes (docs/benchmarks.md). V8 does
 * not vectorise JavaScript loops, and no maintained npm package offers this kernel.
 *
 * The module is 130 bytes, written out below instruction by instruction (no toolchain needed to
 * rebuild it; the test checks it against the TypeScript loop on every value pattern). It imports
 * the memory, shared so that worker threads fill and convert planes of the same volume:
 *
 *   (func (export "addI16") (param $p i32) (param $end i32) (param $c i32) (result i32)
 *     (local $splat v128) (local $seen v128) (local $x v128)
 *     $splat = i16x8.splat($c)
 *     loop while $p < $end:
 *       $x = v128.load($p);  v128.store($p, i16x8.add($x, $splat));  $seen |= $x;  $p += 16
 *     return OR of the eight 16-bit lanes of $seen)
 *
 * The OR of the stored words bounds their maximum, as addPairs's does, so the caller can prove
 * that unsigned 16-bit values plus the intercept stay within int16.
 */
const I32 = 0x7f;
const V128 = 0x7b;

function leb128(value: number): number[] {
  const out: number[] = [];
  let rest = value >>> 0;
  do {
    let byte = rest & 0x7f;
    rest >>>= 7;
    if (rest !== 0) byte |= 0x80;
    out.push(byte);
  } while (rest !== 0);
  return out;
}

const name = (text: string): number[] => [text.length, ...Array.from(text, (c) => c.charCodeAt(0))];
const section = (id: number, body: readonly number[]): number[] => [id, ...leb128(body.length), ...body];

const ADD_I16_BODY = [
  1, 3, V128, //                                   locals: $splat (3), $seen (4), $x (5)
  0x20, 2, 0xfd, 0x10, 0x21, 3, //                 $splat = i16x8.splat(local 2 = $c)
  0x02, 0x40, 0x03, 0x40, //                       block, loop
  0x20, 0, 0x20, 1, 0x4f, 0x0d, 1, //              br_if 1 (i32.ge_u $p $end): leave the block
  0x20, 0, //                                      the store's address
  0x20, 0, 0xfd, 0x00, 4, 0, 0x22, 5, //           $x = v128.load align=16 ($p)
  0x20, 3, 0xfd, 0x8e, 0x01, //                    i16x8.add($x, $splat)
  0xfd, 0x0b, 4, 0, //                             v128.store align=16
  0x20, 4, 0x20, 5, 0xfd, 0x50, 0x21, 4, //        $seen = v128.or($seen, $x)
  0x20, 0, 0x41, 16, 0x6a, 0x21, 0, //             $p = $p + 16
  0x0c, 0, 0x0b, 0x0b, //                          br 0 (loop); end loop; end block
  0x20, 4, 0xfd, 0x19, 0, //                       i16x8.extract_lane_u 0 of $seen
  ...[1, 2, 3, 4, 5, 6, 7].flatMap((lane) => [0x20, 4, 0xfd, 0x19, lane, 0x72]), // | each other lane (i32.or)
  0x0b, //                                         end
];

/** Largest memory a 32-bit WebAssembly module addresses: 65,536 pages of 64 KiB (4 GiB). */
const MAX_PAGES = 65_536;
const PAGE = 65_536;

const ADD_I16_MODULE = Uint8Array.from([
  0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0, //                                   "\0asm", version 1
  ...section(1, [1, 0x60, 3, I32, I32, I32, 1, I32]), //                   type 0: (i32 i32 i32) → i32
  ...section(2, [1, ...name('env'), ...name('memory'), 2, 3, 1, ...leb128(MAX_PAGES)]), // import shared memory, min 1, max 65536
  ...section(3, [1, 0]), //                                                 function 0 has type 0
  ...section(7, [1, ...name('addI16'), 0, 0]), //                           export it as addI16
  ...section(10, [1, ...leb128(ADD_I16_BODY.length), ...ADD_I16_BODY]),
]);

/** Adds `constant` to every value in place (int16 wrap-around); returns the OR of the original 16-bit words, or undefined when the values are not in this kernel's memory. */
export type AddInPlace = (values: Int16Array, constant: number) => number | undefined;

export interface SimdVolumeMemory {
  /** Shared memory holding the volume (post it to workers; they call kernelFor on it). */
  readonly memory: WebAssembly.Memory;
  readonly addInPlace: AddInPlace;
}

/** Shared WebAssembly memory for a volume of `byteLength` bytes with its kernel; undefined when WebAssembly SIMD or shared memory is unavailable or the volume is over 4 GiB. */
export function createSimdVolumeMemory(byteLength: number): SimdVolumeMemory | undefined {
  const pages = Math.max(1, Math.ceil(byteLength / PAGE));
  if (pages > MAX_PAGES) return undefined;
  let memory: WebAssembly.Memory;
  try {
    memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
  } catch {
    return undefined;
  }
  const addInPlace = kernelFor(memory);
  return addInPlace === undefined ? undefined : { memory, addInPlace };
}

/** The kernel over an existing shared memory (a worker's view of the volume); undefined when it cannot be compiled here. */
export function kernelFor(memory: WebAssembly.Memory): AddInPlace | undefined {
  let addI16: (start: number, end: number, constant: number) => number;
  try {
    const instance = new WebAssembly.Instance(new WebAssembly.Module(ADD_I16_MODULE), { env: { memory } });
    addI16 = instance.exports['addI16'] as typeof addI16;
  } catch {
    return undefined;
  }
  const buffer = memory.buffer;
  return (values, constant) => {
    if (values.buffer !== buffer) return undefined;
    const start = values.byteOffset;
    const vectorBytes = values.byteLength - (values.byteLength % 16);
    let seen = addI16(start, start + vectorBytes, constant | 0);
    // The last few values (fewer than eight) in plain code.
    for (let i = vectorBytes / 2; i < values.length; i++) {
      const word = (values[i] as number) & 0xffff;
      seen |= word;
      values[i] = word + constant;
    }
    return seen;
  };
}
