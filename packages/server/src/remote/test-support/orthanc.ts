import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Starts a throwaway Orthanc (Debian packages `orthanc` + `orthanc-dicomweb`) for tests and the
 * benchmark: its own temp folder for storage and index, free HTTP and DICOM ports on 127.0.0.1,
 * the DICOMweb plugin at /dicom-web, no authentication, and DICOM modalities it may send to
 * (our SCP, for C-MOVE and pushes). `stop()` kills it and removes the folder.
 */
export interface OrthancModality {
  readonly aeTitle: string;
  readonly host: string;
  readonly port: number;
}

export interface StartOrthancOptions {
  readonly aeTitle?: string;
  /** Modalities by name, e.g. `{ keyhole: { aeTitle: 'KEYHOLE', host: '127.0.0.1', port } }`. */
  readonly modalities?: Readonly<Record<string, OrthancModality>>;
  /** Orthanc's index database: its default SQLite, or PostgreSQL (needs the orthanc-postgresql plugin). */
  readonly extraConfig?: Readonly<Record<string, unknown>>;
  /** How long to wait for its REST API. */
  readonly startTimeoutMs?: number;
}

export interface OrthancInstance {
  readonly aeTitle: string;
  readonly httpPort: number;
  readonly dicomPort: number;
  /** http://127.0.0.1:<port> */
  readonly url: string;
  /** http://127.0.0.1:<port>/dicom-web */
  readonly dicomwebUrl: string;
  readonly folder: string;
  /** POSTs Part 10 files to /instances; returns Orthanc's answer for each. */
  upload(files: ReadonlyArray<Uint8Array>): Promise<Array<{ ID: string; ParentStudy: string; Status: string }>>;
  /** A REST call; throws on a non-2xx status. */
  rest<T = unknown>(path: string, init?: { method?: string; body?: unknown }): Promise<T>;
  stop(): Promise<void>;
}

export function orthancBinary(): string | undefined {
  for (const candidate of ['/usr/sbin/Orthanc', '/usr/bin/Orthanc']) if (existsSync(candidate)) return candidate;
  const which = spawnSync('sh', ['-c', 'command -v Orthanc'], { encoding: 'utf8' });
  return which.status === 0 ? which.stdout.trim() : undefined;
}

/** The DICOMweb plugin's shared library, as the orthanc-dicomweb package installs it. */
export function dicomwebPluginPath(): string | undefined {
  const listed = spawnSync('dpkg', ['-L', 'orthanc-dicomweb'], { encoding: 'utf8' });
  const fromDpkg = listed.status === 0 ? listed.stdout.split('\n').find((line) => /libOrthancDicomWeb\.so/.test(line) && line.startsWith('/usr/share/orthanc/plugins')) : undefined;
  const candidates = [fromDpkg, '/usr/share/orthanc/plugins/libOrthancDicomWeb.so'].filter((c): c is string => c !== undefined);
  return candidates.find((c) => existsSync(c));
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export async function startOrthanc(options: StartOrthancOptions = {}): Promise<OrthancInstance> {
  const binary = orthancBinary();
  const plugin = dicomwebPluginPath();
  if (binary === undefined || plugin === undefined) throw new Error('Orthanc or its DICOMweb plugin is not installed (Debian: orthanc, orthanc-dicomweb)');
  const folder = mkdtempSync(join(tmpdir(), 'keyhole-orthanc-'));
  const httpPort = await freePort();
  const dicomPort = await freePort();
  const aeTitle = options.aeTitle ?? 'ORTHANC';
  const config = {
    Name: 'keyhole-test-orthanc',
    StorageDirectory: join(folder, 'storage'),
    IndexDirectory: join(folder, 'index'),
    HttpPort: httpPort,
    DicomPort: dicomPort,
    DicomAet: aeTitle,
    RemoteAccessAllowed: false,
    AuthenticationEnabled: false,
    HttpServerEnabled: true,
    DicomServerEnabled: true,
    DicomCheckCalledAet: false,
    // Our SCU calls with the AE title of a configured modality; unknown callers may still echo/store.
    DicomAlwaysAllowEcho: true,
    DicomAlwaysAllowStore: true,
    StableAge: 1,
    Plugins: [plugin],
    DicomWeb: { Enable: true, Root: '/dicom-web/', EnableWado: false, Ssl: false, StudiesMetadata: 'Full', SeriesMetadata: 'Full' },
    DicomModalities: Object.fromEntries(Object.entries(options.modalities ?? {}).map(([name, m]) => [name, { AET: m.aeTitle, Host: m.host, Port: m.port, AllowEcho: true, AllowFind: true, AllowMove: true, AllowGet: true, AllowStore: true }])),
    ...options.extraConfig,
  };
  const configPath = join(folder, 'orthanc.json');
  writeFileSync(configPath, JSON.stringify(config, null, 2));
  const child: ChildProcess = spawn(binary, [configPath], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-20_000);
  });
  const url = `http://127.0.0.1:${httpPort}`;
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(folder, { recursive: true, force: true });
  };
  const deadline = Date.now() + (options.startTimeoutMs ?? 30_000);
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`Orthanc exited during start-up (code ${child.exitCode}): ${log.slice(-2000)}`);
    }
    const ready = await fetch(`${url}/system`).then((r) => r.ok, () => false);
    if (ready) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`Orthanc did not answer on ${url} within the start timeout: ${log.slice(-2000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const rest = async <T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> => {
    const body = init.body === undefined ? undefined : init.body instanceof Uint8Array ? init.body : JSON.stringify(init.body);
    const response = await fetch(`${url}${path}`, { method: init.method ?? (body === undefined ? 'GET' : 'POST'), ...(body !== undefined ? { body } : {}) });
    if (!response.ok) throw new Error(`Orthanc ${init.method ?? 'GET'} ${path}: HTTP ${response.status} ${await response.text()}`);
    const text = await response.text();
    return (text === '' ? undefined : JSON.parse(text)) as T;
  };
  return {
    aeTitle,
    httpPort,
    dicomPort,
    url,
    dicomwebUrl: `${url}/dicom-web`,
    folder,
    rest,
    upload: async (files) => {
      const answers: Array<{ ID: string; ParentStudy: string; Status: string }> = [];
      for (const bytes of files) answers.push(await rest('/instances', { method: 'POST', body: bytes }));
      return answers;
    },
    stop,
  };
}
