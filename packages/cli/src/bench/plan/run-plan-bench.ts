/**
 * Planner benchmark (issue 7: "full search for one level under 2 s"): the transforaminal trajectory search at
 * L4–L5 on a phantom label map wide enough for the flank skin (1.5 mm and 1.0 mm grids), on the calling thread:
 * keep-out distance fields, target choice, direction search, refinement and the exact re-check. Median of 5
 * runs after one warm-up; the load average is printed because the machine is shared.
 *   BENCH_ONLY=plan npm run bench
 */
import { cpus, loadavg, totalmem } from 'node:os';
import { buildSpineScene, planTrajectory, rasterizeScene } from '@keyhole/core';
import { median } from '../stats.ts';

const RUNS = 5;

export async function planBenchFromEnv(): Promise<void> {
  const machine = `${cpus()[0]?.model ?? 'cpu'} ×${cpus().length}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
  console.log(`\nKeyhole planner benchmark — ${machine}; median of ${RUNS} runs after a warm-up (one thread)`);
  console.log(`load average at start: ${loadavg().map((v) => v.toFixed(2)).join(' ')}`);
  const scene = buildSpineScene({ seed: 1, levels: { from: 'L1', to: 'sacrum' }, pathology: [{ kind: 'disc-herniation', level: 'L4-L5', zone: 'subarticular', side: 'left', type: 'extrusion' }] });
  const zs = scene.discs.map((d) => d.centre[2]);
  const b = scene.bounds;
  for (const sp of [1.5, 1.0]) {
    const zlo = Math.min(...zs) - 75, zhi = Math.max(...zs) + 45;
    const size = [Math.ceil((b.max[0] - b.min[0]) / sp) + 1, Math.ceil((b.max[1] - b.min[1]) / sp) + 1, Math.ceil((zhi - zlo) / sp) + 1];
    const { labels } = rasterizeScene({ scene, grid: { size, spacing: [sp, sp, sp], origin: [b.min[0], b.min[1], zlo] } });
    const seconds: number[] = [];
    let last: ReturnType<typeof planTrajectory> | undefined;
    for (let run = 0; run <= RUNS; run++) {
      const t0 = performance.now();
      last = planTrajectory({ labels, legend: scene.legend as Record<string, string>, level: 'L4-L5', side: 'left' });
      if (run > 0) seconds.push((performance.now() - t0) / 1000);
    }
    const med = median(seconds);
    console.log(`label map ${size.join('×')} @ ${sp} mm: L4–L5 left full search ${med.toFixed(2)} s (min ${Math.min(...seconds).toFixed(2)}, max ${Math.max(...seconds).toFixed(2)}); ` +
      `${last!.search.candidates} candidates, status ${last!.status}; target 2 s: ${med < 2 ? 'met' : 'NOT met'}`);
  }
  console.log(`load average at end: ${loadavg().map((v) => v.toFixed(2)).join(' ')}`);
}
