/**
 * The server benchmark (issue 3): ingest of a 300-slice 512×512 CT over STOW-RS and over C-STORE,
 * and WADO-RS retrieval of the series, Keyhole side by side with Orthanc (Debian packages) on the
 * same machine, for each database kind (SQLite; PostgreSQL), as ratios of medians.
 *
 * Each measurement starts the server on a fresh store (a new data folder; for PostgreSQL a new
 * database in one throwaway cluster that keeps PostgreSQL's default durability), so every ingest
 * stores 300 new instances. Servers take turns run by run (shared machines drift). Not a test.
 *
 * Orthanc runs twice for C-STORE: with its Debian defaults (`orthanc`), and with TCP_NODELAY=1 in
 * its environment (`orthanc-nodelay`), because by default its DICOM socket keeps Nagle's algorithm
 * on and each C-STORE then stalls on the sender's delayed ACK (see orthanc-process.ts): the
 * first ratio is against Orthanc as installed, the second against Orthanc without that stall.
 *
 * The C-STORE floor (dimse-floor.ts) runs beside them: storescu against a dcmjs-dimse SCP that
 * stores nothing, and against one that only writes and fsyncs each file. Its time over
 * orthanc-nodelay's is the best C-STORE ratio any archive on dcmjs-dimse with Orthanc's
 * durability could reach on the machine at hand.
 */
import { readdir, readFile, mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseDicom, Tag } from '@keyhole/core';
import { prepareBenchSeries } from '../prepare-data.ts';
import { median } from '../stats.ts';
import type { BenchServer } from './bench-server.ts';
import { retrieveSeries, stowAll, stowBatches, studyInstanceCount, type StowSettings } from './dicomweb-client.ts';
import { BENCH_CALLING_AE, startBenchKeyhole } from './keyhole-process.ts';
import { orthancMissing, orthancVersion, startBenchOrthanc } from './orthanc-process.ts';
import { postgresAvailable, startBenchPostgres, type BenchPostgres } from './postgres-cluster.ts';
import { storescuAll } from './storescu.ts';
import { fsyncLatencyMs } from './fsync-probe.ts';
import { startDimseFloor } from './dimse-floor.ts';

export type DatabaseKind = 'sqlite' | 'postgres';
type ServerName = BenchServer['name'];
type Operation = 'stow' | 'c-store' | 'wado';

export interface ServerBenchOptions {
  readonly repoRoot: string;
  /** Rounds; the tables show medians. */
  readonly runs: number;
  readonly kinds: readonly DatabaseKind[];
  readonly stow: StowSettings;
  readonly log: (line: string) => void;
}

export interface ServerBenchRow {
  readonly kind: DatabaseKind;
  readonly server: ServerName;
  readonly operation: Operation;
  /** Every run's seconds, in order. */
  readonly seconds: readonly number[];
  readonly medianSeconds: number;
  readonly instancesPerSecond: number;
  readonly megabytesPerSecond: number;
}

export interface ServerBenchResult {
  readonly rows: readonly ServerBenchRow[];
  /** Keyhole rate / Orthanc rate per kind and operation (> 1: Keyhole is faster). */
  readonly ratios: ReadonlyArray<{ kind: DatabaseKind; operation: Operation; peer: ServerName; ratio: number }>;
  readonly skipped: readonly string[];
}

export async function runServerBench(options: ServerBenchOptions): Promise<ServerBenchResult> {
  const { log } = options;
  const skipped: string[] = [];
  const series = (await prepareBenchSeries({ root: join(options.repoRoot, 'bench-results', 'data'), log })).find((s) => s.name === 'uncompressed');
  if (series === undefined) throw new Error('the uncompressed benchmark series is missing');
  const paths = (await readdir(series.dir)).filter((n) => !n.startsWith('.')).sort().map((n) => join(series.dir, n));
  const files = await Promise.all(paths.map((p) => readFile(p)));
  const totalBytes = files.reduce((sum, f) => sum + f.byteLength, 0);
  const first = parseDicom({ bytes: files[0]!, source: paths[0]! }).dataset;
  const studyUid = first.string(Tag.StudyInstanceUID) ?? '';
  const seriesUid = first.string(Tag.SeriesInstanceUID) ?? '';
  const batches = stowBatches(files, options.stow.batchSize);

  const machine = `${cpus()[0]?.model ?? 'cpu'} ×${cpus().length}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
  log(`\nKeyhole archive server benchmark — ${machine}; Orthanc ${orthancVersion() ?? '(not installed)'}; median of ${options.runs} runs`);
  log(`series: ${files.length} instances, ${(totalBytes / 1e6).toFixed(0)} MB (${series.dir})`);
  log(`STOW-RS: multipart/related batches of ${options.stow.batchSize} instances, ${options.stow.concurrency} request(s) in flight; C-STORE: DCMTK storescu, one association; WADO-RS: the whole series, multipart/related`);
  const fsyncAtStart = await fsyncLatencyMs();
  log(`load average at start: ${loadavg().map((v) => v.toFixed(2)).join(' ')}; write+fsync of 512 KB: ${fsyncAtStart.toFixed(1)} ms (median of 20)`);

  const kinds = options.kinds.filter((kind) => {
    if (kind === 'postgres' && !postgresAvailable()) {
      skipped.push('postgres: PostgreSQL is not installed (Debian: postgresql)');
      return false;
    }
    return true;
  });
  const samples = new Map<string, number[]>();
  const add = (kind: DatabaseKind, server: ServerName, operation: Operation, seconds: number): void => {
    const key = `${kind}|${server}|${operation}`;
    samples.set(key, [...(samples.get(key) ?? []), seconds]);
  };
  const postgres: BenchPostgres | undefined = kinds.includes('postgres') ? await startBenchPostgres() : undefined;
  try {
    for (const kind of kinds) {
      const servers: ServerName[] = ['keyhole'];
      const missing = orthancMissing(kind);
      if (missing === undefined) servers.push('orthanc', 'orthanc-nodelay');
      else skipped.push(`${kind}: Orthanc skipped: ${missing}`);
      let databases = 0;
      const start = async (name: ServerName): Promise<BenchServer> => {
        const tcpNoDelay = name === 'orthanc-nodelay';
        if (kind === 'sqlite') return name === 'keyhole' ? startBenchKeyhole() : startBenchOrthanc({ tcpNoDelay });
        const database = `bench_${name.replace('-', '_')}_${++databases}`;
        const url = postgres!.createDatabase(database);
        return name === 'keyhole' ? startBenchKeyhole({ databaseUrl: url }) : startBenchOrthanc({ tcpNoDelay, postgres: { host: postgres!.host, port: postgres!.port, user: postgres!.user, database } });
      };
      for (let run = 0; run < options.runs; run++) {
        for (const name of servers) {
          let server: BenchServer;
          // TCP_NODELAY changes only Orthanc's DICOM sockets: its HTTP side is measured once, by `orthanc`.
          if (name !== 'orthanc-nodelay') {
            server = await start(name);
            try {
              const stow = await stowAll(server, batches, options.stow.concurrency);
              await expectCount(server, studyUid, files.length);
              const wado = await retrieveSeries(server, studyUid, seriesUid);
              if (wado.parts !== files.length || wado.bytes < totalBytes) throw new Error(`${name} WADO-RS returned ${wado.parts} parts, ${wado.bytes} bytes; expected ${files.length} parts, at least ${totalBytes} bytes`);
              add(kind, name, 'stow', stow);
              add(kind, name, 'wado', wado.seconds);
              log(`  ${kind} run ${run + 1} ${name}: STOW-RS ${(files.length / stow).toFixed(0)}/s, WADO-RS ${(files.length / wado.seconds).toFixed(0)}/s`);
            } finally {
              await server.stop();
            }
          }
          server = await start(name);
          try {
            const cstore = await storescuAll(server, BENCH_CALLING_AE, paths);
            await expectCount(server, studyUid, files.length);
            add(kind, name, 'c-store', cstore);
            log(`  ${kind} run ${run + 1} ${name}: C-STORE ${(files.length / cstore).toFixed(0)}/s`);
          } finally {
            await server.stop();
          }
        }
        // The C-STORE floor does not depend on the database: measured in the first kind's rounds.
        if (kind === kinds[0]) {
          for (const fsync of [false, true]) {
            const floor = await startDimseFloor({ fsync });
            try {
              const seconds = await storescuAll(floor, BENCH_CALLING_AE, paths);
              add(kind, floor.name, 'c-store', seconds);
              log(`  ${kind} run ${run + 1} ${floor.name}: C-STORE ${(files.length / seconds).toFixed(0)}/s`);
            } finally {
              await floor.stop();
            }
          }
        }
      }
    }
  } finally {
    postgres?.stop();
  }

  const rows: ServerBenchRow[] = [];
  for (const [key, seconds] of samples) {
    const [kind, server, operation] = key.split('|') as [DatabaseKind, ServerName, Operation];
    const m = median(seconds);
    rows.push({ kind, server, operation, seconds, medianSeconds: m, instancesPerSecond: files.length / m, megabytesPerSecond: totalBytes / 1e6 / m });
  }
  const ratios: Array<{ kind: DatabaseKind; operation: Operation; peer: ServerName; ratio: number }> = [];
  for (const kind of kinds) {
    for (const operation of ['stow', 'c-store', 'wado'] as const) {
      const k = rows.find((r) => r.kind === kind && r.server === 'keyhole' && r.operation === operation);
      for (const peer of ['orthanc', 'orthanc-nodelay'] as const) {
        const o = rows.find((r) => r.kind === kind && r.server === peer && r.operation === operation);
        if (k !== undefined && o !== undefined) ratios.push({ kind, operation, peer, ratio: k.instancesPerSecond / o.instancesPerSecond });
      }
    }
  }
  // The best ratio any dcmjs-dimse archive with Orthanc's durability could reach here: Orthanc's
  // time over the floor's (writing and fsyncing each file, nothing else).
  const floor = rows.find((r) => r.server === 'dimse-floor-fsync');
  const nodelay = rows.find((r) => r.kind === floor?.kind && r.server === 'orthanc-nodelay' && r.operation === 'c-store');
  const cStoreCeiling = floor !== undefined && nodelay !== undefined ? floor.instancesPerSecond / nodelay.instancesPerSecond : undefined;
  printResult(rows, ratios, log);
  if (cStoreCeiling !== undefined) log(`C-STORE ceiling on dcmjs-dimse with a file fsync per instance, vs orthanc-nodelay: ${cStoreCeiling.toFixed(2)} (no archive on this stack can exceed it here)`);
  for (const line of skipped) log(`skipped: ${line}`);
  const fsyncAtEnd = await fsyncLatencyMs();
  log(`load average at end: ${loadavg().map((v) => v.toFixed(2)).join(' ')}; write+fsync of 512 KB: ${fsyncAtEnd.toFixed(1)} ms`);
  const out = join(options.repoRoot, 'bench-results', `server-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  await mkdir(join(options.repoRoot, 'bench-results'), { recursive: true });
  await writeFile(out, JSON.stringify({ machine, orthanc: orthancVersion(), runs: options.runs, stow: options.stow, instances: files.length, bytes: totalBytes, loadAverageAtEnd: loadavg(), fsyncMs: { start: fsyncAtStart, end: fsyncAtEnd }, rows, ratios, cStoreCeiling, skipped }, null, 2));
  log(`\nresults: ${out}`);
  return { rows, ratios, skipped };
}

async function expectCount(server: BenchServer, studyUid: string, expected: number): Promise<void> {
  const count = await studyInstanceCount(server, studyUid);
  if (count !== expected) throw new Error(`${server.name} holds ${count} instances of the study after the ingest, not ${expected}`);
}

const LABEL: Record<Operation, string> = { stow: 'STOW-RS ingest', 'c-store': 'C-STORE ingest', wado: 'WADO-RS retrieve' };

function printResult(rows: readonly ServerBenchRow[], ratios: ServerBenchResult['ratios'], log: (line: string) => void): void {
  log('\nkind      server           operation          median s  instances/s    MB/s');
  for (const r of rows) log(`${r.kind.padEnd(9)} ${r.server.padEnd(16)} ${LABEL[r.operation].padEnd(18)} ${r.medianSeconds.toFixed(2).padStart(8)} ${r.instancesPerSecond.toFixed(0).padStart(12)} ${r.megabytesPerSecond.toFixed(0).padStart(7)}`);
  log('\nratio Keyhole / Orthanc (instances/s; > 1: Keyhole is faster; ingest target ≥ 2)');
  for (const r of ratios) log(`${r.kind.padEnd(9)} ${LABEL[r.operation].padEnd(18)} vs ${r.peer.padEnd(16)} ${r.ratio.toFixed(2)}${r.operation !== 'wado' ? (r.ratio >= 2 ? '  (target met)' : '  (target NOT met)') : ''}`);
}
