import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decode } from 'fast-png';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cannulaIntersections, type SurgicalPlan } from '@keyhole/core';
import { readNiftiFile } from '@keyhole/io';
import { keyhole } from '../test-support.ts';

describe('keyhole plan on a phantom (truth label map as the anatomy)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'keyhole-plan-'));
  const ph = join(dir, 'phantom');
  const common = (): string[] => ['plan', '--labels', join(ph, 'truth.nii.gz'), '--legend', join(ph, 'truth-legend.json')];
  beforeAll(async () => {
    // A field of view wide enough for the skin of both flanks: posterolateral entries lie 6–14 cm from the midline.
    const made = await keyhole(['phantom', '-o', ph, '--seed', '1', '--levels', 'L2-S1', '--size', '240,170,110', '--spacing', '1.5,1.5,1.5', '--pathology', 'herniation:L4-L5:left:subarticular:extrusion']);
    expect(made.code, made.stderr).toBe(0);
  }, 180_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the plan JSON (LPS mm) whose cannula misses every keep-out voxel, and AP + lateral simulated fluoroscopy', async () => {
    const json = join(dir, 'plan.json');
    const png = join(dir, 'plan.png');
    const run = await keyhole([...common(), '--volume', join(ph, 'dicom'), '--level', 'L4-L5', '--side', 'left', '--json', json, '--drr', png]);
    expect(run.code, run.stderr + run.stdout).toBe(0);
    expect(run.stdout).toContain('Approach: transforaminal');
    const plan = JSON.parse(readFileSync(json, 'utf8')) as SurgicalPlan;
    expect(plan.space).toBe('LPS');
    expect(plan.trajectory.status).toBe('safe');
    expect(plan.levelCount.source).toContain('phantom truth');
    const best = plan.best!;
    expect(best.entry).toEqual(plan.entry);
    // The entry is on the patient's left (LPS +x), posterolateral, within the searched distance from the midline.
    expect(best.entry[0]).toBeGreaterThan(40);
    expect(best.entryFromMidlineMm).toBeGreaterThanOrEqual(40);
    expect(best.entryFromMidlineMm).toBeLessThanOrEqual(160);
    expect(best.kambin.passes).toBe(true);
    const { volumes } = await readNiftiFile({ path: join(ph, 'truth.nii.gz'), units: 'label' });
    const legend = JSON.parse(readFileSync(join(ph, 'truth-legend.json'), 'utf8')) as Record<string, string>;
    const hits = cannulaIntersections({ labels: volumes[0]!, legend, entry: best.entry, target: best.target, radiusMm: 3.5, level: { upper: 'L4', lower: 'L5', lowerLabel: 'L5' }, side: 'left' });
    expect(hits).toEqual([]);
    const image = decode(readFileSync(png)) as unknown as { width: number; height: number; text: Record<string, string> };
    expect([image.width, image.height]).toEqual([1024, 512]);
    expect(image.text['Description']).toContain('SIMULATED');
  }, 120_000);

  it('refuses a level the model does not have, a target outside the body and an unconfirmed level count', async () => {
    const level = await keyhole([...common(), '--level', 'L5-L6', '--side', 'left']);
    expect(level.code).not.toBe(0);
    expect(level.stderr).toContain('PLAN_LEVEL_NOT_IN_MODEL');
    const target = await keyhole([...common(), '--level', 'L4-L5', '--side', 'left', '--target', '400,0,0']);
    expect(target.stderr).toContain('PLAN_TARGET_OUTSIDE_BODY');
    // A spine model whose count is not verified: refused before any planning.
    const { writeFileSync } = await import('node:fs');
    const model = join(dir, 'model.json');
    writeFileSync(model, JSON.stringify({ levelCount: { verified: false, pattern: 'sacralized-L5' } }));
    const count = await keyhole([...common(), '--level', 'L4-L5', '--side', 'left', '--spine', model]);
    expect(count.stderr).toContain('PLAN_LEVEL_COUNT_UNCONFIRMED');
  }, 120_000);
});
