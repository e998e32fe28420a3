import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decode } from 'fast-png';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectionFromPose, projectPoint, type CArmGeometry, type DrrProjection, type Vec3 } from '@keyhole/core';
import { hasSharedData, keyhole, sharedData } from '../test-support.ts';

interface Summary {
  readonly ok: boolean;
  readonly simulated: boolean;
  readonly angles: { readonly primaryDeg: number; readonly secondaryDeg: number };
  readonly geometry: CArmGeometry;
  readonly isocentre: Vec3;
  readonly targetPixel?: { readonly i: number; readonly j: number };
  readonly entryPixel?: { readonly i: number; readonly j: number };
}

interface Png {
  readonly width: number;
  readonly height: number;
  readonly channels: number;
  readonly data: ArrayLike<number>;
  readonly text: Record<string, string>;
}

const readPng = (path: string): Png => decode(readFileSync(path)) as unknown as Png;

/** The projection the command used, rebuilt from what it reported. */
const projectionOf = (s: Summary): DrrProjection => projectionFromPose({ geometry: s.geometry, isocentre: s.isocentre, ...s.angles });

/** Mean grey over a 5×5 patch centred on continuous pixel (i, j). */
function patch(png: Png, i: number, j: number): number {
  let sum = 0;
  for (let dj = -2; dj <= 2; dj++) for (let di = -2; di <= 2; di++) sum += png.data[(Math.round(j) + dj) * png.width + Math.round(i) + di]!;
  return sum / 25;
}

function percentile(png: Png, p: number): number {
  const sorted = Array.from(png.data).sort((a, b) => a - b);
  return sorted[Math.floor((p / 100) * (sorted.length - 1))]!;
}

describe('keyhole drr on a phantom CT (DICOM)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'keyhole-drr-'));
  let landmarks: Record<string, { point: Vec3 }>;
  let dicom: string;
  beforeAll(async () => {
    const made = await keyhole(['phantom', '-o', join(dir, 'phantom'), '--modality', 'ct', '--seed', '9', '--levels', 'L2-S1', '--size', '128,128,120', '--spacing', '1.8,1.8,1.8']);
    expect(made.code, made.stderr).toBe(0);
    landmarks = (JSON.parse(readFileSync(join(dir, 'phantom', 'truth.json'), 'utf8')) as { landmarks: typeof landmarks }).landmarks;
    dicom = join(dir, 'phantom', 'dicom');
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  for (const [view, offset] of [['ap', [70, 0, 0]], ['lateral', [0, -70, 0]], ['oblique:30', [60, -35, 0]]] as const) {
    it(`${view}: the PNG has the detector's size, says SIMULATED, and vertebral centroids project onto bright bone`, async () => {
      const out = join(dir, `${view.replace(':', '-')}.png`);
      const run = await keyhole(['drr', dicom, '--view', view, '--pixels', '256', '--detector', '300', '-o', out, '--json']);
      expect(run.code, run.stderr + run.stdout).toBe(0);
      const summary = JSON.parse(run.stdout) as Summary;
      expect(summary.simulated).toBe(true);
      const png = readPng(out);
      expect([png.width, png.height, png.channels]).toEqual([256, 256, 1]);
      expect(png.text['Title']).toMatch(/Simulated/);
      expect(png.text['Description']).toMatch(/not an X-ray/);

      const projection = projectionOf(summary);
      const bright = percentile(png, 75);
      for (const level of ['L3', 'L4']) {
        const centroid = landmarks[`${level}.centroid`]!.point;
        const at = projectPoint(projection, centroid)!;
        expect(at.onDetector, `${level} on the detector`).toBe(true);
        // Bone: brighter than three quarters of the picture, and than soft tissue 60–70 mm away
        // (lateral to the body in AP, in front of it in the lateral and oblique views).
        const soft = projectPoint(projection, [centroid[0] + offset[0], centroid[1] + offset[1], centroid[2] + offset[2]])!;
        expect(patch(png, at.i, at.j), `${level} centroid is bright`).toBeGreaterThanOrEqual(bright);
        expect(patch(png, at.i, at.j), `${level} brighter than soft tissue`).toBeGreaterThan(patch(png, soft.i, soft.j) + 20);
      }
    }, 60_000);
  }

  it('puts the plan target on the central ray and draws the cannula from the entry', async () => {
    const target = landmarks['L4.centroid']!.point;
    const entry: Vec3 = [target[0] + 90, target[1] + 80, target[2] + 10];
    const planPath = join(dir, 'plan.json');
    writeFileSync(planPath, JSON.stringify({ plan: { target, entry } }));
    const out = join(dir, 'plan.png');
    const run = await keyhole(['drr', dicom, '--view', 'ap', '--plan', planPath, '--pixels', '256', '-o', out, '--json']);
    expect(run.code, run.stderr + run.stdout).toBe(0);
    const summary = JSON.parse(run.stdout) as Summary;
    expect(summary.isocentre.map((v, a) => Math.abs(v - target[a]!)).every((d) => d < 0.01)).toBe(true);
    expect(summary.targetPixel!.i).toBeCloseTo(127.5, 1);
    expect(summary.targetPixel!.j).toBeCloseTo(127.5, 1);
    const png = readPng(out);
    // The cross is drawn in full white on the target; the cannula passes halfway to the entry.
    expect(png.data[128 * 256 + 128]).toBe(255);
    const mid = { i: (summary.entryPixel!.i + 127.5) / 2, j: (summary.entryPixel!.j + 127.5) / 2 };
    expect(png.data[Math.round(mid.j) * 256 + Math.round(mid.i)]).toBe(255);
  }, 60_000);

  it('refuses a bad view, a bad plan and a non-PNG output, naming what is wrong', async () => {
    const badView = await keyhole(['drr', dicom, '--view', 'pa', '-o', join(dir, 'x.png')]);
    expect(badView.code).not.toBe(0);
    expect(badView.stderr).toMatch(/unknown view "pa"/);
    const planPath = join(dir, 'bad-plan.json');
    writeFileSync(planPath, JSON.stringify({ plan: { target: [1, 2] } }));
    const badPlan = await keyhole(['drr', dicom, '--plan', planPath, '-o', join(dir, 'x.png')]);
    expect(badPlan.code).not.toBe(0);
    expect(badPlan.stderr).toMatch(/plan\.target/);
    const badOut = await keyhole(['drr', dicom, '-o', join(dir, 'x.jpg')]);
    expect(badOut.stderr).toMatch(/\.png/);
  }, 60_000);
});

describe.skipIf(!hasSharedData)('keyhole drr on the real CT (NIfTI, ../shared/data)', () => {
  it('writes a 512×512 lateral with the default C-arm', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'keyhole-drr-real-'));
    try {
      const out = join(dir, 'lateral.png');
      const run = await keyhole(['drr', join(sharedData, 'ct-abdomen-pelvis-3mm', 'ct.nii.gz'), '--view', 'lateral', '-o', out, '--json']);
      expect(run.code, run.stderr + run.stdout).toBe(0);
      const png = readPng(out);
      expect([png.width, png.height]).toEqual([512, 512]);
      expect(percentile(png, 90) - percentile(png, 10)).toBeGreaterThan(60); // a picture, not a flat field
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
