/**
 * `npm run bench`: loading a 512×512×300 CT series into a volume, Keyhole side by side with
 * dcm2niix and with plain dicom-parser / dcmjs reading, on the same machine, as ratios of medians.
 * Not a test: machines are shared and noisy, so each measurement is repeated (BENCH_RUNS, default 5)
 * and the median is reported. Results also go to bench-results/ as JSON.
 * Then the archive server benchmark (server/run-server-bench.ts: ingest and retrieval against
 * Orthanc), then the DRR benchmark (drr/run-drr-bench.ts: simulated fluoroscopy against
 * plastimatch), then the planner benchmark (plan/run-plan-bench.ts), then the anatomy benchmark
 * (anatomy/run-anatomy-bench.ts: keyhole segment on the 512×512×300 CT). BENCH_ONLY=load, server, drr, plan or anatomy runs
 * one part; the default runs them all.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { measureProcess, type ProcessMeasurement } from './measure-process.ts';
import { prepareBenchSeries, type BenchSeries } from './prepare-data.ts';
import { median } from './stats.ts';
import { serverBenchFromEnv } from './server/main.ts';
import { drrBenchFromEnv } from './drr/run-drr-bench.ts';
import { planBenchFromEnv } from './plan/run-plan-bench.ts';
import { anatomyBenchFromEnv } from './anatomy/run-anatomy-bench.ts';

const repoRoot = resolve(import.meta.dirname, '../../../..');
const runs = Number(process.env['BENCH_RUNS'] ?? 5);
const workerPath = resolve(import.meta.dirname, 'load-worker.ts');
const keyholeBin = resolve(import.meta.dirname, '../../bin/keyhole.js');
const scratch = '/dev/shm/keyhole-bench';

/**
 * The worker runs the way bin/keyhole.js runs Keyhole: from the cached esbuild bundle of the
 * sources (bin/precompiled.js), so that start-up is measured as users get it; tsx when the bundle
 * cannot be made (BENCH_TSX=1 forces it, to measure what tsx costs).
 */
async function workerArgs(): Promise<string[]> {
  if (process.env['BENCH_TSX'] === '1') return ['--import', 'tsx', workerPath];
  const precompiled = (await import(pathToFileURL(resolve(import.meta.dirname, '../../bin/precompiled.js')).href)) as { ensureBundle(entry: string): Promise<string> };
  try {
    return [await precompiled.ensureBundle(workerPath)];
  } catch {
    return ['--import', 'tsx', workerPath];
  }
}
let workerCommand: string[] = [];

interface Row {
  readonly series: string;
  readonly reader: string;
  readonly wallSeconds: number;
  readonly loadSeconds?: number;
  readonly peakMiB: number;
  readonly files: number;
  readonly megabytes: number;
  readonly ok: boolean;
  readonly note?: string;
  /** Every run's wall seconds, in order (the median is wallSeconds). */
  readonly walls: readonly number[];
}

interface Sample {
  readonly m: ProcessMeasurement;
  /** In-process seconds reported by the worker. */
  readonly load?: number;
  readonly files: number;
  readonly bytes: number;
}

/** One run of one reader; `files`/`bytes` are what the Keyhole worker reported for the series. */
type Measure = (series: BenchSeries, seen: { files: number; bytes: number }) => Promise<Sample>;

const measureWorker = (reader: string): Measure => async (series) => {
  const m = await measureProcess(process.execPath, [...workerCommand, reader, series.dir]);
  const line = m.stdout.trim().split('\n').pop() ?? '{}';
  const parsed = m.exitCode === 0 ? (JSON.parse(line) as { seconds: number; files: number; bytes: number }) : { seconds: Number.NaN, files: 0, bytes: 0 };
  return { m, load: parsed.seconds, files: parsed.files, bytes: parsed.bytes };
};

const measureDcm2niix: Measure = async (series, seen) => {
  const out = join(scratch, 'dcm2niix');
  await rm(out, { recursive: true, force: true });
  await mkdir(out, { recursive: true });
  return { m: await measureProcess('dcm2niix', ['-z', 'n', '-b', 'n', '-o', out, '-f', 'bench', series.dir]), ...seen };
};

const measureKeyholeConvert: Measure = async (series, seen) => {
  const out = join(scratch, 'keyhole');
  await rm(out, { recursive: true, force: true });
  return { m: await measureProcess(process.execPath, [keyholeBin, 'convert', series.dir, '-o', join(out, 'bench.nii')]), ...seen };
};

/**
 * Runs every reader once per round, round after round, rather than all runs of one reader and
 * then the next: on a shared machine the load drifts over minutes, and interleaving gives every
 * reader the same conditions, so that the ratios stay meaningful.
 */
async function measureSeries(series: BenchSeries, readers: ReadonlyArray<readonly [string, Measure]>): Promise<Row[]> {
  const samples = new Map<string, Sample[]>(readers.map(([name]) => [name, []]));
  const failed = new Map<string, string>();
  let seen = { files: 0, bytes: 0 };
  for (let n = 0; n < runs; n++) {
    for (const [name, measure] of readers) {
      if (failed.has(name)) continue;
      const sample = await measure(series, seen);
      if (sample.m.exitCode !== 0) {
        failed.set(name, `exit ${sample.m.exitCode}: ${sample.m.stdout.slice(-200)}`);
        continue;
      }
      if (name === 'keyhole') seen = { files: sample.files, bytes: sample.bytes };
      samples.get(name)!.push(sample);
    }
  }
  return readers.map(([name]) => {
    const list = samples.get(name)!;
    const note = failed.get(name);
    const loads = list.flatMap((x) => (x.load !== undefined ? [x.load] : []));
    const last = list[list.length - 1];
    return {
      series: series.name, reader: name, ok: note === undefined && list.length > 0,
      wallSeconds: median(list.map((x) => x.m.wallSeconds)), peakMiB: median(list.map((x) => x.m.peakMiB)),
      files: last?.files ?? 0, megabytes: (last?.bytes ?? 0) / 1e6, walls: list.map((x) => x.m.wallSeconds),
      ...(loads.length > 0 ? { loadSeconds: median(loads) } : {}),
      ...(note !== undefined ? { note } : {}),
    };
  });
}

const fmt = (v: number | undefined, d = 2): string => (v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(d));

async function main(): Promise<void> {
  // `dcm2niix -v` prints its version and exits with status 3: read stdout whatever the status.
  const dcm2niixVersion = spawnSync('dcm2niix', ['-v'], { encoding: 'utf8' }).stdout.trim().split('\n').pop() ?? '';
  const machine = `${cpus()[0]?.model ?? 'cpu'} ×${cpus().length}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
  console.log(`Keyhole DICOM load benchmark — ${machine}; dcm2niix ${dcm2niixVersion}; median of ${runs} runs`);
  // Shared machines: the load average says how much else was running while we measured.
  console.log(`load average at start: ${loadavg().map((v) => v.toFixed(2)).join(' ')}`);
  const seriesList = await prepareBenchSeries({ root: join(repoRoot, 'bench-results', 'data'), log: (t) => console.log(t) });
  workerCommand = await workerArgs();
  console.log(`Keyhole runs as: node ${workerCommand.map((a) => a.replace(repoRoot + '/', '')).join(' ')}`);
  // Also builds bin/keyhole.js's own bundle before anything is timed.
  execFileSync(process.execPath, [keyholeBin, '--version']);
  const rows: Row[] = [];
  for (const series of seriesList) {
    const peers: Array<readonly [string, Measure]> = series.name === 'uncompressed'
      ? [['dicom-parser', measureWorker('dicom-parser')], ['dcmjs', measureWorker('dcmjs')]]
      : [['codec', measureWorker('codec')]];
    const seriesRows = await measureSeries(series, [['keyhole', measureWorker('keyhole')], ['keyhole convert', measureKeyholeConvert], ['dcm2niix', measureDcm2niix], ...peers]);
    rows.push(...seriesRows);
    printSeries(series, seriesRows);
  }
  await mkdir(join(repoRoot, 'bench-results'), { recursive: true });
  const file = join(repoRoot, 'bench-results', `load-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  await writeFile(file, JSON.stringify({ machine, dcm2niixVersion, runs, loadAverageAtEnd: loadavg(), rows }, null, 2));
  console.log(`load average at end: ${loadavg().map((v) => v.toFixed(2)).join(' ')}`);
  console.log(`\nresults: ${file}`);
}

function printSeries(series: BenchSeries, rows: readonly Row[]): void {
  console.log(`\n${series.name} (${series.transferSyntax})`);
  console.log('reader            wall s   load s   files/s    MB/s   peak MiB');
  for (const r of rows) {
    const seconds = r.loadSeconds ?? r.wallSeconds;
    console.log(`${r.reader.padEnd(16)} ${fmt(r.wallSeconds).padStart(7)} ${fmt(r.loadSeconds).padStart(8)} ${fmt(r.files / seconds, 0).padStart(9)} ${fmt(r.megabytes / seconds, 0).padStart(7)} ${fmt(r.peakMiB, 0).padStart(10)}${r.ok ? '' : `  FAILED ${r.note ?? ''}`}`);
  }
  const get = (name: string): Row | undefined => rows.find((r) => r.reader === name && r.ok);
  const keyhole = get('keyhole');
  const convert = get('keyhole convert');
  const dcm2niix = get('dcm2niix');
  if (keyhole !== undefined && dcm2niix !== undefined) {
    console.log(`ratio Keyhole load (whole process) / dcm2niix (whole process): ${fmt(keyhole.wallSeconds / dcm2niix.wallSeconds)}  (in-process load / dcm2niix: ${fmt((keyhole.loadSeconds ?? Number.NaN) / dcm2niix.wallSeconds)}; < 1 is faster)`);
  }
  if (convert !== undefined && dcm2niix !== undefined) console.log(`ratio keyhole convert / dcm2niix (both write NIfTI): ${fmt(convert.wallSeconds / dcm2niix.wallSeconds)}`);
  const codec = get('codec');
  if (keyhole?.loadSeconds !== undefined && codec?.loadSeconds !== undefined) {
    console.log(`ratio Keyhole load / raw codec decode: ${fmt(keyhole.loadSeconds / codec.loadSeconds)}  (target ≤ 1.5)`);
  }
  for (const peer of ['dicom-parser', 'dcmjs']) {
    const p = get(peer);
    if (keyhole?.loadSeconds !== undefined && p?.loadSeconds !== undefined) console.log(`ratio Keyhole load / plain ${peer} read: ${fmt(keyhole.loadSeconds / p.loadSeconds)}`);
  }
}

const only = process.env['BENCH_ONLY'];
if (only !== undefined && only !== 'load' && only !== 'server' && only !== 'drr' && only !== 'plan' && only !== 'anatomy') throw new Error(`BENCH_ONLY must be load, server, drr, plan or anatomy, not ${only}`);
if (only === undefined || only === 'load') await main();
if (only === undefined || only === 'server') await serverBenchFromEnv(repoRoot);
if (only === undefined || only === 'drr') await drrBenchFromEnv(repoRoot);
if (only === undefined || only === 'plan') await planBenchFromEnv();
if (only === undefined || only === 'anatomy') await anatomyBenchFromEnv(repoRoot);
