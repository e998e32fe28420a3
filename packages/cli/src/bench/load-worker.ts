/**
 * One benchmark run in a fresh process (so its peak memory is its own): loads the series in
 * `argv[3]` with the reader named in `argv[2]` and prints one JSON line with the in-process time.
 * Run by run-bench.ts under GNU time; not a test.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { readFile } from 'node:fs/promises';
import { describeDicom, parseDicom } from '@keyhole/core';
import { createNodeCodecRegistry, loadVolumeInThreads, readDicomInput } from '@keyhole/io';
import { readWithDcmjs, readWithDicomParser } from './baseline-readers.ts';

export type WorkerReader = 'keyhole' | 'dicom-parser' | 'dcmjs' | 'codec';

async function listFiles(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((name) => !name.startsWith('.')).sort().map((name) => join(dir, name));
}

/** Keyhole's whole path: read the folder, catalogue it, decode and assemble the volume. */
async function loadWithKeyhole(dir: string): Promise<{ files: number; bytes: number; voxels: number }> {
  const input = await readDicomInput({ paths: [dir] });
  const description = describeDicom({ instances: input.instances });
  const descriptor = description.patients[0]?.studies[0]?.series[0]?.volumeSets[0]?.volumes[0];
  if (descriptor === undefined) throw new Error('no volume found');
  const volume = await loadVolumeInThreads({ volume: descriptor, codecs: await createNodeCodecRegistry() });
  // Pixel bytes as stored; native frames are not read again for this (they stay in their files until decoded).
  const storedBytes = (pixels: NonNullable<(typeof input.instances)[number]['pixelData']>): number =>
    pixels.encapsulated ? pixels.frame(0).byteLength : (pixels.format.rows * pixels.format.columns * pixels.format.samplesPerPixel * pixels.format.bitsAllocated) / 8;
  const bytes = input.instances.reduce((sum, i) => sum + (i.pixelData === undefined ? 0 : storedBytes(i.pixelData)), 0);
  return { files: input.instances.length, bytes, voxels: volume.data.length };
}

/** The raw codec: dicom-parser finds each frame, the WebAssembly decoder decodes it, nothing else. */
async function decodeWithCodecOnly(files: readonly string[]): Promise<{ files: number; bytes: number; voxels: number }> {
  const codecs = await createNodeCodecRegistry();
  let bytes = 0;
  let voxels = 0;
  for (const file of files) {
    const buffer = await readFile(file);
    bytes += buffer.byteLength;
    const instance = parseDicom({ bytes: buffer, source: file });
    const codec = codecs.get(instance.transferSyntaxUid);
    if (codec === undefined || instance.pixelData === undefined) throw new Error(`${file}: no codec for ${instance.transferSyntaxUid}`);
    const out = await codec.decode(instance.pixelData.frame(0), instance.pixelData.format);
    voxels += out.samples.length;
  }
  return { files: files.length, bytes, voxels };
}

const [reader, dir] = [process.argv[2] as WorkerReader, process.argv[3] ?? ''];
const started = performance.now();
const files = await listFiles(dir);
const result =
  reader === 'keyhole' ? await loadWithKeyhole(dir)
  : reader === 'dicom-parser' ? await readWithDicomParser(files)
  : reader === 'dcmjs' ? await readWithDcmjs(files)
  : await decodeWithCodecOnly(files);
const seconds = (performance.now() - started) / 1000;
process.stdout.write(`${JSON.stringify({ reader, seconds, ...result })}\n`);
