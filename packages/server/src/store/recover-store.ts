/**
 * recoverStore: run at start-up, before the server accepts requests. A crash during a store
 * (see store-instances.ts) can leave files in `objects/.staging/` and files moved to their final
 * path whose rows were never committed; both are invisible to clients and are deleted here, so a
 * restarted archive holds exactly the files its instance rows reference.
 */
import { readdir, rm, rmdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { objectsDir, stagingDir, type Archive } from './archive.ts';
import { withArchiveLock } from './write-lock.ts';

export interface RecoverStoreResult {
  /** Files removed from the staging folder. */
  readonly stagingFilesRemoved: number;
  /** Files under objects/ that no instance row referenced, removed (relative paths). */
  readonly orphansRemoved: string[];
}

export async function recoverStore(archive: Archive): Promise<RecoverStoreResult> {
  return withArchiveLock(archive.dataDir, async () => {
    const staging = stagingDir(archive.dataDir);
    let stagingFilesRemoved = 0;
    for (const name of await listOrEmpty(staging)) {
      await rm(join(staging, name), { recursive: true, force: true });
      stagingFilesRemoved++;
    }
    const referenced = new Set<string>();
    // Paged, so a large archive does not load every row at once.
    let lastId = 0;
    for (;;) {
      const rows = await archive.db.selectFrom('instance').select(['id', 'file_path']).where('id', '>', lastId).orderBy('id').limit(5000).execute();
      if (rows.length === 0) break;
      for (const row of rows) referenced.add(row.file_path);
      lastId = rows[rows.length - 1]!.id;
    }
    const root = objectsDir(archive.dataDir);
    const orphansRemoved: string[] = [];
    await sweep(root, root, staging, referenced, orphansRemoved);
    return { stagingFilesRemoved, orphansRemoved };
  });
}

/** Deletes unreferenced files below `folder`, then the folder itself if it became empty. Returns whether it is empty. */
async function sweep(root: string, folder: string, staging: string, referenced: Set<string>, removed: string[]): Promise<boolean> {
  const entries = await readdir(folder, { withFileTypes: true }).catch(() => []);
  let remaining = entries.length;
  for (const entry of entries) {
    const path = join(folder, entry.name);
    if (path === staging) continue;
    if (entry.isDirectory()) {
      if (await sweep(root, path, staging, referenced, removed)) {
        await rmdir(path).catch(() => undefined);
        remaining--;
      }
      continue;
    }
    const rel = relative(root, path).split(sep).join('/');
    if (!referenced.has(rel)) {
      await rm(path, { force: true });
      removed.push(rel);
      remaining--;
    }
  }
  return remaining === 0;
}

async function listOrEmpty(folder: string): Promise<string[]> {
  try {
    return await readdir(folder);
  } catch {
    return [];
  }
}
