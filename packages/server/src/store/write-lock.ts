/**
 * One writer at a time per archive (per data folder) in this process: the check for duplicates,
 * the moves into `objects/` and the commit of a batch run as one critical section, so two requests
 * carrying the same SOP Instance UID never write the same final path at once.
 * (Several server processes sharing one data folder would need a database lock; not supported.)
 */
const tails = new Map<string, Promise<unknown>>();

export async function withArchiveLock<T>(dataDir: string, work: () => Promise<T>): Promise<T> {
  const previous = tails.get(dataDir) ?? Promise.resolve();
  const run = previous.then(work, work);
  const tail = run.catch(() => undefined);
  tails.set(dataDir, tail);
  try {
    return await run;
  } finally {
    if (tails.get(dataDir) === tail) tails.delete(dataDir);
  }
}
