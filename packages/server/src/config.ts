import { resolve } from 'node:path';

/** Limits on what one request or archive may bring in; every one is configurable and named in its error. */
export interface ArchiveLimits {
  /** Largest request body (STOW-RS, upload), bytes. */
  readonly maxRequestBytes: number;
  /** Most instances in one request or archive. */
  readonly maxInstancesPerRequest: number;
  /** Zip archives: total expanded bytes and expansion ratio (see @keyhole/io input limits). */
  readonly maxZipExpandedBytes: number;
  readonly maxZipRatio: number;
  /**
   * Browser upload: bytes of one request's files kept in memory while it streams in; files
   * beyond that are spooled to temporary files in the data folder (dicomweb/upload-spool.ts).
   */
  readonly uploadMemoryBytes: number;
}

export interface ServerOptions {
  /** Folder holding the embedded database (keyhole.sqlite) and the file store (objects/). */
  readonly dataDir: string;
  /** HTTP port; 0 picks a free one (tests). */
  readonly port: number;
  readonly host: string;
  /** DIMSE port; 0 picks a free one; undefined disables DIMSE. */
  readonly dicomPort?: number;
  readonly aeTitle: string;
  /** `postgres://…` for the scale-out database; undefined = embedded SQLite under dataDir. */
  readonly databaseUrl?: string;
  readonly limits: ArchiveLimits;
  /** Log requests (pino) to stdout. */
  readonly log: boolean;
  /**
   * Worker threads that check incoming instances (store/check/check-worker-pool.ts). Default:
   * KEYHOLE_THREADS − 1 when set, else one fewer than the available cores (at most 3) when the
   * server runs from the CLI's bundle, and 0 (the calling thread) when it runs from its sources
   * (tests), where each worker would take about a second to start.
   */
  readonly checkWorkers?: number;
}

export const DEFAULT_LIMITS: ArchiveLimits = {
  // 4 GiB: a whole CT study with thin slices fits; larger studies go in several requests.
  maxRequestBytes: 4 * 1024 ** 3,
  maxInstancesPerRequest: 20_000,
  maxZipExpandedBytes: 4 * 1024 ** 3,
  maxZipRatio: 200,
  // 64 MiB: a few hundred small slices go straight through memory; a large folder or zip goes to disk.
  uploadMemoryBytes: 64 * 1024 ** 2,
};

export function serverOptions(partial: Partial<ServerOptions> & Pick<ServerOptions, 'dataDir'>): ServerOptions {
  return {
    port: 8080,
    host: '127.0.0.1',
    aeTitle: 'KEYHOLE',
    log: false,
    ...partial,
    dataDir: resolve(partial.dataDir),
    limits: { ...DEFAULT_LIMITS, ...partial.limits },
  };
}
