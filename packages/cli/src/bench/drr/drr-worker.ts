/**
 * One DRR benchmark run in a fresh process, as `keyhole drr` does it minus the PNG: reads the CT
 * NIfTI (`argv[2]`), renders the view (`argv[3]`: ap or lateral, prone, default C-arm at the volume
 * centre) on `argv[4]` worker threads, writes the line integrals as raw float32 to `argv[5]` (as
 * plastimatch writes its PFM), and prints one JSON line with the in-process times (reading, setting
 * the workers up, ray casting). Not a test.
 */
import { writeFile } from 'node:fs/promises';
import { anglesForView, DEFAULT_C_ARM_GEOMETRY, indexToWorld, parseCArmView, projectionFromPose } from '@keyhole/core';
import { createParallelDrrRenderer, readNiftiFile } from '@keyhole/io';

const [input, view, threadsText, output] = process.argv.slice(2);
if (input === undefined || view === undefined || threadsText === undefined || output === undefined) {
  throw new Error('usage: drr-worker.ts CT.nii VIEW THREADS OUT.raw');
}
const start = performance.now();
const volume = (await readNiftiFile({ path: input, units: 'HU' })).volumes[0]!;
const read = performance.now();
const isocentre = indexToWorld(volume, [(volume.size[0] - 1) / 2, (volume.size[1] - 1) / 2, (volume.size[2] - 1) / 2]);
const projection = projectionFromPose({ geometry: DEFAULT_C_ARM_GEOMETRY, isocentre, secondaryDeg: 0, primaryDeg: anglesForView(parseCArmView(view), 'prone').primaryDeg });
const prepared = performance.now();
// Setup: the volume copied into shared memory, the workers started and warmed up.
const renderer = await createParallelDrrRenderer(volume, { threads: Number(threadsText) });
const ready = performance.now();
// Ray casting: the rays of the pose, traced by the workers, the image collected.
const { image } = await renderer.render(projection);
const rendered = performance.now();
await renderer.close();
await writeFile(output, new Uint8Array(image.data.buffer, image.data.byteOffset, image.data.byteLength));
console.log(JSON.stringify({ readSeconds: (read - start) / 1000, setupSeconds: (ready - prepared) / 1000, traceSeconds: (rendered - ready) / 1000 }));
