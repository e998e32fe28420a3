import { readFile } from 'node:fs/promises';
import { KeyholeError, type DrrOverlay, type Vec3 } from '@keyhole/core';

/**
 * The part of a plan file a DRR draws: the cannula's skin entry and target in LPS mm, at the top
 * level or under `plan` ({ "entry": [x, y, z], "target": [x, y, z] }). The planner writes these
 * fields; anything else in the file is ignored here.
 */
export async function readPlanOverlay(path: string): Promise<DrrOverlay> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (cause) {
    const missing = (cause as NodeJS.ErrnoException).code === 'ENOENT';
    throw new KeyholeError(missing ? 'FILE_NOT_FOUND' : 'VALIDATION_FAILED', { file: path, message: missing ? 'no such file' : `not a JSON plan: ${String(cause)}`, cause });
  }
  const root = isRecord(parsed) && isRecord(parsed['plan']) ? parsed['plan'] : parsed;
  const prefix = isRecord(parsed) && isRecord(parsed['plan']) ? 'plan.' : '';
  if (!isRecord(root)) throw new KeyholeError('VALIDATION_FAILED', { file: path, message: 'a plan must be a JSON object with entry and target points' });
  const point = (name: 'entry' | 'target'): Vec3 | undefined => {
    const value = root[name];
    if (value === undefined) return undefined;
    if (!Array.isArray(value) || value.length !== 3 || !value.every((v) => typeof v === 'number' && Number.isFinite(v))) {
      throw new KeyholeError('VALIDATION_FAILED', { file: path, path: `${prefix}${name}`, message: 'expected three numbers [x, y, z] in LPS mm' });
    }
    return [value[0], value[1], value[2]];
  };
  const entry = point('entry');
  const target = point('target');
  if (target === undefined) throw new KeyholeError('VALIDATION_FAILED', { file: path, path: `${prefix}target`, message: 'the plan has no target point' });
  return { target, ...(entry !== undefined ? { entry } : {}) };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
