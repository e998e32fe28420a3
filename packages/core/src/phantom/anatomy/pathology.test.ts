import { describe, expect, it } from 'vitest';
import { add, dot, scale, sub, type Vec3 } from '../../geometry/vec3.ts';
import { LABELS } from '../vocabulary.ts';
import { TISSUE_CODES } from '../tissue.ts';
import { buildSpineScene } from './scene.ts';
import { crossSectionArea, extentAlong } from './test-support/measure.ts';
import type { PathologyOption, SpineScene } from './types.ts';

const withPathology = (pathology: PathologyOption[], seed = 31): SpineScene => buildSpineScene({ seed, levels: { from: 'T12', to: 'sacrum' }, pathology });

function landmarksInside(scene: SpineScene): string[] {
  return Object.entries(scene.landmarks)
    .filter(([, l]) => scene.legend[scene.classify(l.point).label] !== l.structure)
    .map(([name]) => name);
}

/** Dural-sac contents (CSF, cauda, roots inside it) on the plane through the canal at a disc, perpendicular to the canal. */
const SAC_CONTENTS = new Set(Object.entries(LABELS).filter(([name]) => ['dural_sac', 'cauda_equina', 'conus', 'spinal_cord'].includes(name) || name.startsWith('root_')).map(([, v]) => v));
function sacAreaAt(scene: SpineScene, discName: string): number {
  const disc = scene.discs.find((d) => d.name === discName)!;
  const centre = add(disc.centre, scale(disc.posterior, disc.apRadiusMm + 8));
  return crossSectionArea(scene, centre, disc.normal, SAC_CONTENTS, 20, 0.25);
}

describe('disc herniation', () => {
  it.each([
    ['L4-L5', 'subarticular', 'left', 'protrusion', 'root_L5_left'],
    ['L4-L5', 'foraminal', 'right', 'extrusion', 'root_L4_right'],
    ['L3-L4', 'extraforaminal', 'left', 'extrusion', 'root_L3_left'],
    ['L5-S1', 'subarticular', 'right', 'sequestration', 'root_S1_right'],
    ['L5-S1', 'central', undefined, 'extrusion', 'cauda_equina'],
  ] as const)('%s %s %s %s sits behind the named disc on the named side and compresses %s', (level, zone, side, type, root) => {
    const scene = withPathology([{ kind: 'disc-herniation', level, zone, type, ...(side !== undefined ? { side } : {}) }]);
    const record = scene.pathology.find((p) => p.kind === 'disc-herniation')!;
    if (record.kind !== 'disc-herniation') throw new Error('unreachable');
    expect(record.affectedRoot).toBe(root); // clinical reference §2
    const label = LABELS[`herniation_${level}`];
    expect(record.label).toBe(label);
    expect(scene.legend[label]).toBe(`herniation_${level}`);
    expect(scene.classify(record.centre).label).toBe(label);
    const disc = scene.discs.find((d) => d.name === level)!;
    const upper = scene.vertebrae.find((v) => v.name === disc.upper)!;
    const offset = sub(record.centre, disc.centre);
    const lateral = dot(offset, upper.axes.left);
    const posterior = dot(offset, disc.posterior);
    // Behind the disc's midline...
    expect(posterior).toBeGreaterThan(0);
    // ...on the named side, in the named zone (relative to the canal and the pedicles of the upper vertebra).
    const pedicleLateral = Math.abs(dot(sub(upper.pedicles.left, upper.centroid), upper.axes.left));
    if (zone === 'central') expect(Math.abs(lateral)).toBeLessThan(3);
    else expect(Math.sign(lateral)).toBe(side === 'left' ? 1 : -1);
    if (zone === 'subarticular') {
      expect(Math.abs(lateral)).toBeGreaterThan(3);
      expect(Math.abs(lateral)).toBeLessThan(pedicleLateral);
    }
    if (zone === 'foraminal') expect(Math.abs(lateral)).toBeGreaterThan(pedicleLateral - 5);
    if (zone === 'extraforaminal') expect(Math.abs(lateral)).toBeGreaterThan(pedicleLateral + 5);
    if (zone === 'central' || zone === 'subarticular') expect(posterior).toBeGreaterThan(disc.apRadiusMm);
    // The fragment never replaces the disc itself.
    expect(scene.classify(disc.centre).label).toBe(disc.label);
    // Fardon: a protrusion is narrower than its base; an extrusion wider than its neck; a sequestration has none.
    if (type === 'protrusion') expect(record.sizeMm.ap).toBeLessThan(record.baseWidthMm);
    if (type === 'extrusion') expect(record.sizeMm.lateral).toBeGreaterThan(record.baseWidthMm);
    if (type === 'sequestration') expect(record.baseWidthMm).toBe(0);
    // Free fragments reach the root they compress (contact or compression); central ones press on the cauda.
    if (zone === 'central') expect(record.rootGapMm).toBeNull();
    else if (type !== 'protrusion') expect(record.rootGapMm!).toBeLessThanOrEqual(0);
    else expect(record.rootGapMm!).toBeLessThan(5);
    expect(landmarksInside(scene)).toEqual([]);
  });

  it('migrates up or down past the posterior disc height when high grade [Lee2006]', () => {
    for (const direction of ['up', 'down'] as const) {
      for (const grade of ['low', 'high'] as const) {
        const scene = withPathology([{ kind: 'disc-herniation', level: 'L4-L5', zone: 'subarticular', side: 'left', type: 'extrusion', migration: { direction, grade } }]);
        const record = scene.pathology[0]!;
        if (record.kind !== 'disc-herniation') throw new Error('unreachable');
        const disc = scene.discs.find((d) => d.name === 'L4-L5')!;
        const label = LABELS['herniation_L4-L5'];
        const sign = direction === 'up' ? 1 : -1;
        // Farthest fragment point from the disc mid-plane, along the migration direction.
        const reach = dot(sub(record.centre, disc.centre), disc.normal) * sign + extentAlong(scene, record.centre, scale(disc.normal, sign), label, 40, 0.1);
        const beyondEndplate = reach - disc.posteriorHeightMm / 2;
        expect(beyondEndplate).toBeGreaterThan(0);
        if (grade === 'high') expect(beyondEndplate).toBeGreaterThan(disc.posteriorHeightMm);
        else expect(beyondEndplate).toBeLessThan(disc.posteriorHeightMm);
      }
    }
  });
});

describe('central stenosis', () => {
  it('reduces the dural-sac area at the stenotic level by the Lurie third of its grade', () => {
    const normal = sacAreaAt(withPathology([]), 'L4-L5');
    // A normal lumbar dural sac is well above the 75–100 mm² compression thresholds [Schönström 1988, Hamanishi 1994].
    expect(normal).toBeGreaterThan(120);
    const bands = { mild: [0.05, 1 / 3], moderate: [1 / 3, 2 / 3], severe: [2 / 3, 1] } as const;
    for (const grade of ['mild', 'moderate', 'severe'] as const) {
      const scene = withPathology([{ kind: 'central-stenosis', level: 'L4-L5', grade }]);
      const loss = 1 - sacAreaAt(scene, 'L4-L5') / normal;
      expect(loss).toBeGreaterThan(bands[grade][0]);
      expect(loss).toBeLessThanOrEqual(bands[grade][1]);
      // Other levels are untouched.
      expect(sacAreaAt(scene, 'L2-L3')).toBeCloseTo(sacAreaAt(withPathology([]), 'L2-L3'), 0);
      const record = scene.pathology[0]!;
      expect(record.kind === 'central-stenosis' && record.grade).toBe(grade);
      expect(landmarksInside(scene)).toEqual([]);
    }
  });
});

describe('foraminal stenosis', () => {
  it('replaces the perineural fat around the exiting root on the named side only', () => {
    const scene = withPathology([{ kind: 'foraminal-stenosis', level: 'L4-L5', side: 'right', grade: 2 }]);
    const record = scene.pathology[0]!;
    expect(record.kind === 'foraminal-stenosis' && record.root).toBe('root_L4_right');
    const fatAround = (side: 'left' | 'right'): number => {
      const centre = scene.roots.find((r) => r.name === `root_L4_${side}`)!.ganglionCentre;
      let fat = 0;
      for (let dx = -7; dx <= 7; dx += 0.7) for (let dy = -7; dy <= 7; dy += 0.7) for (let dz = -7; dz <= 7; dz += 0.7) {
        const p: Vec3 = [centre[0] + dx, centre[1] + dy, centre[2] + dz];
        if (scene.classify(p).tissue === 'fat') fat++;
      }
      return fat;
    };
    expect(fatAround('right')).toBeLessThan(0.7 * fatAround('left'));
    expect(landmarksInside(scene)).toEqual([]);
  });
});

describe('spondylolisthesis', () => {
  it.each([8, 25, 40, 62])('slips the upper vertebra forward by %i percent of the lower endplate (Meyerding), measured within 2 percent', (slip) => {
    const scene = withPathology([{ kind: 'spondylolisthesis', level: 'L4-L5', slipPercent: slip }]);
    const upper = scene.vertebrae.find((v) => v.name === 'L4')!;
    const lower = scene.vertebrae.find((v) => v.name === 'L5')!;
    const back = lower.axes.posterior;
    // Posterior corners found by marching through each body along its own AP axis, 0.5 mm inside its endplate;
    // the translation is measured parallel to the lower endplate (Meyerding).
    const lowStart = sub(lower.superiorEndplate.centre, scale(lower.superiorEndplate.normal, 0.5));
    const upStart = add(upper.inferiorEndplate.centre, scale(upper.inferiorEndplate.normal, 0.5));
    const lowPosterior = extentAlong(scene, lowStart, back, lower.label, 60, 0.02);
    const lowAnterior = extentAlong(scene, lowStart, scale(back, -1), lower.label, 60, 0.02);
    const upPosterior = extentAlong(scene, upStart, upper.axes.posterior, upper.label, 60, 0.02);
    const translation = dot(sub(add(lowStart, scale(back, lowPosterior)), add(upStart, scale(upper.axes.posterior, upPosterior))), back);
    const measured = (100 * translation) / (lowPosterior + lowAnterior);
    expect(Math.abs(measured - slip)).toBeLessThan(2);
    const record = scene.pathology[0]!;
    expect(record.kind === 'spondylolisthesis' && record.meyerding).toBe(slip <= 25 ? 'I' : slip <= 50 ? 'II' : 'III');
    expect(landmarksInside(scene)).toEqual([]);
  });
});

describe('compression fracture', () => {
  it('reduces the anterior body height (wedge) and keeps the posterior wall', () => {
    const scene = withPathology([{ kind: 'compression-fracture', level: 'L1', heightLossPercent: 40, acute: true }]);
    const height = (name: string, where: number): number => {
      const v = scene.vertebrae.find((x) => x.name === name)!;
      const p = add(v.centroid, scale(v.axes.posterior, where * (v.body.depthMm / 2 - 3)));
      return extentAlong(scene, p, v.axes.superior, v.label, 40, 0.05) + extentAlong(scene, p, scale(v.axes.superior, -1), v.label, 40, 0.05);
    };
    const l1 = scene.vertebrae.find((v) => v.name === 'L1')!;
    expect(l1.body.anteriorHeightMm).toBeCloseTo(0.6 * l1.body.posteriorHeightMm, 6);
    expect(height('L1', -1)).toBeLessThan(0.75 * height('L2', -1));
    expect(height('L1', 1)).toBeGreaterThan(0.9 * height('L1', 0) - 1);
    expect(height('L1', -1)).toBeLessThan(height('L1', 1) - 5);
    // Acute: marrow oedema in the body.
    expect(scene.classify(l1.centroid).tissue).toBe('marrow_edema');
    expect(scene.classify(scene.vertebrae.find((v) => v.name === 'L2')!.centroid).tissue).toBe('cancellous_bone');
    const record = scene.pathology[0]!;
    expect(record.kind === 'compression-fracture' && record.anteriorHeightMm).toBeCloseTo(l1.body.anteriorHeightMm, 9);
    expect(landmarksInside(scene)).toEqual([]);
  });

  it('crushes the whole body when asked', () => {
    const scene = withPathology([{ kind: 'compression-fracture', level: 'L2', heightLossPercent: 30, shape: 'crush' }]);
    const l2 = scene.vertebrae.find((v) => v.name === 'L2')!;
    expect(l2.body.posteriorHeightMm).toBeCloseTo(l2.body.anteriorHeightMm, 9);
    const l3 = scene.vertebrae.find((v) => v.name === 'L3')!;
    expect(l2.body.posteriorHeightMm).toBeLessThan(0.8 * l3.body.posteriorHeightMm);
  });
});

describe('every variant and Castellvi type keeps its landmarks inside their structures', () => {
  it.each(['Ia', 'Ib', 'IIa', 'IIb', 'IIIa', 'IIIb', 'IV'] as const)('Castellvi %s', (castellvi) => {
    for (const kind of ['sacralized-L5', 'lumbarized-S1'] as const) {
      const scene = buildSpineScene({ seed: 41, variant: { kind, castellvi, side: 'right' } });
      expect(landmarksInside(scene)).toEqual([]);
    }
  });
});

describe('a scene with everything at once', () => {
  it('paints every legend label and keeps every landmark inside its structure', async () => {
    const { rasterizeScene } = await import('./rasterize.ts');
    const scene = buildSpineScene({
      seed: 61,
      levels: { from: 'T11', to: 'coccyx' },
      variant: { kind: 'lumbarized-S1', castellvi: 'IV', side: 'left' },
      iliacCrestHeight: 'very-high',
      body: { size: 'large' },
      pathology: [
        { kind: 'disc-herniation', level: 'L4-L5', zone: 'foraminal', side: 'left', type: 'extrusion', migration: { direction: 'up', grade: 'high' } },
        { kind: 'disc-herniation', level: 'L5-S1', zone: 'central', type: 'protrusion' },
        { kind: 'central-stenosis', level: 'L3-L4', grade: 'severe' },
        { kind: 'foraminal-stenosis', level: 'S1-S2', side: 'right', grade: 3 },
        { kind: 'spondylolisthesis', level: 'L2-L3', slipPercent: 15 },
        { kind: 'compression-fracture', level: 'T12', heightLossPercent: 25, acute: true },
      ],
    });
    expect(landmarksInside(scene)).toEqual([]);
    expect(scene.pathology.map((p) => p.kind)).toEqual(['disc-herniation', 'disc-herniation', 'central-stenosis', 'foraminal-stenosis', 'spondylolisthesis', 'compression-fracture']);
    const spacing = 1.2;
    const origin = scene.bounds.min.map((v) => v - 2);
    const size = [0, 1, 2].map((a) => Math.ceil((scene.bounds.max[a]! - scene.bounds.min[a]! + 4) / spacing) + 1);
    const { labels, tissue } = rasterizeScene({ scene, grid: { size, spacing: [spacing, spacing, spacing], origin } });
    const present = new Set(labels.data);
    expect(Object.entries(scene.legend).filter(([value]) => !present.has(Number(value))).map(([, name]) => name)).toEqual([]);
    const tissues = new Set(tissue);
    expect((['cartilage', 'marrow_edema', 'disc_fragment', 'endplate', 'gas', 'ganglion'] as const).filter((t) => !tissues.has(TISSUE_CODES[t]))).toEqual([]);
    // Rib labels need uint16 storage.
    expect(labels.data).toBeInstanceOf(Uint16Array);
  });
});
