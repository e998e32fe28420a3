import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitForHttp } from './free-port.ts';
import type { BenchServer } from './bench-server.ts';

const PLUGINS = '/usr/share/orthanc/plugins';

export function orthancVersion(): string | undefined {
  const listed = spawnSync('dpkg-query', ['-W', '-f', '${Version}', 'orthanc'], { encoding: 'utf8' });
  return listed.status === 0 && listed.stdout !== '' ? listed.stdout : undefined;
}

/** What is missing for an Orthanc run of this kind (undefined: ready). */
export function orthancMissing(kind: 'sqlite' | 'postgres'): string | undefined {
  if (!existsSync('/usr/sbin/Orthanc')) return 'Orthanc is not installed (Debian: orthanc)';
  if (!existsSync(join(PLUGINS, 'libOrthancDicomWeb.so'))) return 'the Orthanc DICOMweb plugin is not installed (Debian: orthanc-dicomweb)';
  if (kind === 'postgres' && !existsSync(join(PLUGINS, 'libOrthancPostgreSQLIndex.so'))) return 'the Orthanc PostgreSQL plugin is not installed (Debian: orthanc-postgresql)';
  return undefined;
}

export interface StartBenchOrthancOptions {
  /** undefined: Orthanc's default SQLite index; else its PostgreSQL index plugin on this database. */
  readonly postgres?: { readonly host: string; readonly port: number; readonly user: string; readonly database: string };
  /**
   * TCP_NODELAY=1 in Orthanc's environment: DCMTK (Orthanc's DICOM layer) then disables Nagle's
   * algorithm on its DICOM sockets. Without it, on this Debian build, each C-STORE response waits
   * about 40 ms on the sender's delayed ACK (storescu → Orthanc: ~17 instances/s; with it ~160/s),
   * so a comparison with the default measures a TCP stall, not the archive.
   */
  readonly tcpNoDelay?: boolean;
}

/**
 * A fresh Orthanc (Debian package) for one measurement: storage and index in a new folder on the
 * same disk as Keyhole's data folder (the system temp folder), its DICOMweb plugin, otherwise its
 * defaults: SQLite index in WAL mode with synchronous=NORMAL, each stored file fdatasync'ed before
 * the instance is indexed (strace of a 50-instance C-STORE: 50 fdatasync on storage files, none on
 * folders), 16 KiB maximum PDU, MD5 of each attachment. With `postgres`, the index goes to the
 * PostgreSQL plugin and the DICOM files stay on the file system (EnableStorage false), as
 * Keyhole keeps them.
 */
export async function startBenchOrthanc(options: StartBenchOrthancOptions = {}): Promise<BenchServer> {
  const folder = mkdtempSync(join(tmpdir(), 'keyhole-bench-orthanc-'));
  const httpPort = await freePort();
  const dicomPort = await freePort();
  const plugins = [join(PLUGINS, 'libOrthancDicomWeb.so')];
  if (options.postgres !== undefined) plugins.push(join(PLUGINS, 'libOrthancPostgreSQLIndex.so'));
  const config: Record<string, unknown> = {
    Name: 'keyhole-bench-orthanc',
    StorageDirectory: join(folder, 'storage'),
    IndexDirectory: join(folder, 'index'),
    HttpPort: httpPort,
    DicomPort: dicomPort,
    DicomAet: 'ORTHANC',
    RemoteAccessAllowed: false,
    AuthenticationEnabled: false,
    DicomCheckCalledAet: false,
    DicomAlwaysAllowStore: true,
    DicomAlwaysAllowEcho: true,
    Plugins: plugins,
    DicomWeb: { Enable: true, Root: '/dicom-web/', EnableWado: false, Ssl: false },
    ...(options.postgres !== undefined
      ? { PostgreSQL: { EnableIndex: true, EnableStorage: false, Host: options.postgres.host, Port: options.postgres.port, Database: options.postgres.database, Username: options.postgres.user, Password: '', EnableSsl: false, Lock: false } }
      : {}),
  };
  const configPath = join(folder, 'orthanc.json');
  writeFileSync(configPath, JSON.stringify(config, null, 2));
  const env = { ...process.env };
  delete env['TCP_NODELAY'];
  if (options.tcpNoDelay === true) env['TCP_NODELAY'] = '1';
  const child = spawn('/usr/sbin/Orthanc', [configPath], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr.on('data', (chunk: Buffer) => {
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
  try {
    await waitForHttp(`${url}/system`, { timeoutMs: 60_000, exited: () => child.exitCode !== null, log: () => log });
  } catch (error) {
    await stop();
    throw error;
  }
  return { name: options.tcpNoDelay === true ? 'orthanc-nodelay' : 'orthanc', dicomwebUrl: `${url}/dicom-web`, headers: {}, dicomPort, aeTitle: 'ORTHANC', pid: child.pid ?? 0, stop };
}
