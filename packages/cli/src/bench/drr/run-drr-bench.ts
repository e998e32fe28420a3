/**
 * DRR benchmark (`npm run bench`, or `BENCH_ONLY=drr npm run bench`): a 512×512 detector from the
 * 512×512×300 phantom CT, Keyhole's CPU DRR (worker threads) side by side with plastimatch's exact
 * DRR (`plastimatch drr -A cpu -i exact`, OpenMP threads), each with 1 and 2 threads, AP and lateral,
 * same geometry (default C-arm: SID 1000 mm, source–isocentre 600 mm, 300 mm detector, isocentre at
 * the volume centre), same input file (the CT as uncompressed NIfTI).
 *
 * Two figures per run, both as medians over BENCH_RUNS rounds (default 5), tools interleaved round by
 * round so that drifting load on a shared machine hits all of them alike:
 * - whole process (GNU time): start-up, reading the 150 MB NIfTI, HU → μ, ray casting, output;
 * - CPU time of the whole process (GNU time user + system, all threads): what each tool costs
 *   whatever else runs on the machine;
 * - ray casting only: plastimatch's own "Total time" (its drr_render_volume timer: tracing and the
 *   image write; its HU → μ pass and thread start-up come before) and Keyhole's render() (the rays
 *   of the pose traced by the workers, the image collected); Keyhole's setup (the volume copied into
 *   shared memory, the workers started and warmed up) is shown beside it.
 * Results go to bench-results/drr-*.json. Not a test.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { anglesForView, DEFAULT_C_ARM_GEOMETRY, indexToWorld, parseCArmView, projectionFromPose } from '@keyhole/core';
import { plastimatchDrrArguments, readNiftiFile } from '@keyhole/io';
import { measureWithCpu } from './measure-cpu.ts';
import { prepareBenchSeries } from '../prepare-data.ts';
import { median } from '../stats.ts';

const runs = Number(process.env['BENCH_RUNS'] ?? 5);
const scratch = '/dev/shm/keyhole-bench-drr';
const keyholeBin = resolve(import.meta.dirname, '../../../bin/keyhole.js');
const workerPath = resolve(import.meta.dirname, 'drr-worker.ts');
const views = ['ap', 'lateral'] as const;
const threadCounts = [1, 2] as const;

interface Sample {
  readonly wallSeconds: number;
  readonly cpuSeconds: number;
  readonly computeSeconds: number;
  /** Keyhole only: sharing the volume with the workers and starting them. */
  readonly setupSeconds?: number;
  readonly peakMiB: number;
}

interface Row {
  readonly view: string;
  readonly tool: 'keyhole' | 'plastimatch';
  readonly threads: number;
  readonly wallSeconds: number;
  readonly cpuSeconds: number;
  readonly computeSeconds: number;
  readonly setupSeconds?: number;
  readonly peakMiB: number;
  readonly walls: readonly number[];
  readonly computes: readonly number[];
}

/** The worker as bin/keyhole.js runs Keyhole: from the esbuild bundle, tsx when it cannot be made. */
async function workerCommand(): Promise<string[]> {
  const precompiled = (await import(pathToFileURL(resolve(import.meta.dirname, '../../../bin/precompiled.js')).href)) as { ensureBundle(entry: string): Promise<string> };
  try {
    return [await precompiled.ensureBundle(workerPath)];
  } catch {
    return ['--import', 'tsx', workerPath];
  }
}

async function prepareNifti(root: string, log: (text: string) => void): Promise<string> {
  const nifti = join(root, 'ct-512x512x300', 'ct.nii');
  if (existsSync(nifti)) return nifti;
  const [series] = await prepareBenchSeries({ root, log });
  log('writing the 512×512×300 CT as NIfTI for both DRR tools (once)…');
  const converted = spawnSync(process.execPath, [keyholeBin, 'convert', series!.dir, '-o', nifti], { encoding: 'utf8' });
  if (converted.status !== 0) throw new Error(`keyhole convert failed: ${converted.stderr}`);
  return nifti;
}

export async function drrBenchFromEnv(repoRoot: string): Promise<void> {
  const plastimatchVersion = spawnSync('plastimatch', ['--version'], { encoding: 'utf8' });
  if (plastimatchVersion.status !== 0) {
    console.log('\nDRR benchmark skipped: plastimatch is not installed (Debian package plastimatch).');
    return;
  }
  const machine = `${cpus()[0]?.model ?? 'cpu'} ×${cpus().length}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
  console.log(`\nKeyhole DRR benchmark — ${machine}; plastimatch ${plastimatchVersion.stdout.trim()}; median of ${runs} runs`);
  console.log(`load average at start: ${loadavg().map((v) => v.toFixed(2)).join(' ')}`);
  const nifti = await prepareNifti(join(repoRoot, 'bench-results', 'data'), (t) => console.log(t));
  const volume = (await readNiftiFile({ path: nifti, units: 'HU' })).volumes[0]!;
  const isocentre = indexToWorld(volume, [(volume.size[0] - 1) / 2, (volume.size[1] - 1) / 2, (volume.size[2] - 1) / 2]);
  console.log(`CT ${volume.size.join('×')} @ ${volume.spacing.join('×')} mm → detector ${DEFAULT_C_ARM_GEOMETRY.detectorPixels.join('×')}, SID ${DEFAULT_C_ARM_GEOMETRY.sourceToDetectorMm} mm, source–isocentre ${DEFAULT_C_ARM_GEOMETRY.sourceToIsocentreMm} mm`);
  const worker = await workerCommand();
  await rm(scratch, { recursive: true, force: true });
  await mkdir(scratch, { recursive: true });

  const samples = new Map<string, Sample[]>();
  const key = (view: string, tool: string, threads: number): string => `${view}|${tool}|${threads}`;
  const add = (k: string, s: Sample): void => {
    samples.set(k, [...(samples.get(k) ?? []), s]);
  };
  for (let round = 0; round < runs; round++) {
    for (const view of views) {
      const projection = projectionFromPose({ geometry: DEFAULT_C_ARM_GEOMETRY, isocentre, secondaryDeg: 0, primaryDeg: anglesForView(parseCArmView(view), 'prone').primaryDeg });
      for (const threads of threadCounts) {
        const k = await measureWithCpu(process.execPath, [...worker, nifti, view, String(threads), join(scratch, `keyhole-${view}.raw`)]);
        if (k.exitCode !== 0) throw new Error(`Keyhole DRR worker failed: ${k.stdout}`);
        const times = JSON.parse(k.stdout.trim().split('\n').filter((line) => line.startsWith('{')).pop() ?? '{}') as { setupSeconds: number; traceSeconds: number };
        add(key(view, 'keyhole', threads), { wallSeconds: k.wallSeconds, cpuSeconds: k.cpuSeconds, computeSeconds: times.traceSeconds, setupSeconds: times.setupSeconds, peakMiB: k.peakMiB });

        const args = plastimatchDrrArguments({ projection, input: nifti, outputPrefix: join(scratch, `plastimatch-${view}-`) });
        const p = await measureWithCpu('plastimatch', args, { ...process.env, OMP_NUM_THREADS: String(threads) });
        const total = /Total time:\s*([\d.eE+-]+)/.exec(p.stdout);
        if (p.exitCode !== 0 || total === null) throw new Error(`plastimatch drr failed: ${p.stdout.slice(-500)}`);
        add(key(view, 'plastimatch', threads), { wallSeconds: p.wallSeconds, cpuSeconds: p.cpuSeconds, computeSeconds: Number(total[1]), peakMiB: p.peakMiB });
      }
    }
  }

  const rows: Row[] = [];
  for (const view of views) {
    for (const threads of threadCounts) {
      for (const tool of ['keyhole', 'plastimatch'] as const) {
        const list = samples.get(key(view, tool, threads)) ?? [];
        rows.push({
          view, tool, threads,
          wallSeconds: median(list.map((s) => s.wallSeconds)),
          cpuSeconds: median(list.map((s) => s.cpuSeconds)),
          computeSeconds: median(list.map((s) => s.computeSeconds)),
          ...(tool === 'keyhole' ? { setupSeconds: median(list.map((s) => s.setupSeconds ?? Number.NaN)) } : {}),
          peakMiB: median(list.map((s) => s.peakMiB)),
          walls: list.map((s) => s.wallSeconds),
          computes: list.map((s) => s.computeSeconds),
        });
      }
    }
  }
  console.log('\nview     tool          threads  wall s  CPU s  ray casting s  (setup s)  peak MiB');
  for (const r of rows) {
    const setup = r.setupSeconds !== undefined ? r.setupSeconds.toFixed(3) : '';
    console.log(`${r.view.padEnd(8)} ${r.tool.padEnd(13)} ${String(r.threads).padStart(7)} ${r.wallSeconds.toFixed(2).padStart(7)} ${r.cpuSeconds.toFixed(2).padStart(6)} ${r.computeSeconds.toFixed(3).padStart(14)} ${setup.padStart(10)} ${r.peakMiB.toFixed(0).padStart(9)}`);
  }
  const get = (view: string, tool: string, threads: number): Row | undefined => rows.find((r) => r.view === view && r.tool === tool && r.threads === threads);
  for (const view of views) {
    for (const threads of threadCounts) {
      const k = get(view, 'keyhole', threads);
      const p = get(view, 'plastimatch', threads);
      if (k === undefined || p === undefined) continue;
      console.log(`ratio Keyhole / plastimatch, ${view}, ${threads} thread(s): whole process ${(k.wallSeconds / p.wallSeconds).toFixed(2)}, CPU ${(k.cpuSeconds / p.cpuSeconds).toFixed(2)}, ray casting ${(k.computeSeconds / p.computeSeconds).toFixed(2)}  (< 1: Keyhole faster)`);
    }
  }
  console.log(`load average at end: ${loadavg().map((v) => v.toFixed(2)).join(' ')}`);
  await mkdir(join(repoRoot, 'bench-results'), { recursive: true });
  const file = join(repoRoot, 'bench-results', `drr-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  await writeFile(file, JSON.stringify({ machine, plastimatch: plastimatchVersion.stdout.trim(), runs, geometry: DEFAULT_C_ARM_GEOMETRY, loadAverageAtEnd: loadavg(), rows }, null, 2));
  console.log(`results: ${file}`);
  await rm(scratch, { recursive: true, force: true });
}

// Run directly: node --import tsx packages/cli/src/bench/drr/run-drr-bench.ts
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await drrBenchFromEnv(resolve(import.meta.dirname, '../../../../..'));
}
