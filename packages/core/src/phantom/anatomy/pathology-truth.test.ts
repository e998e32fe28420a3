import { describe, expect, it } from 'vitest';
import { dot, sub } from '../../geometry/vec3.ts';
import { buildSpineScene } from './scene.ts';
import { genantGradeOf, zoneOfMaterial } from './pathology-truth.ts';
import type { PathologyOption, PathologyRecord } from './types.ts';

const build = (pathology: PathologyOption[], seed = 31) => buildSpineScene({ seed, levels: { from: 'T12', to: 'sacrum' }, pathology });
type Hern = Extract<PathologyRecord, { kind: 'disc-herniation' }>;
type Fracture = Extract<PathologyRecord, { kind: 'compression-fracture' }>;

describe('zone of herniated material by the pedicle edges [Radiopaedia-Nom]', () => {
  const edges = { medialMm: 11, lateralMm: 21 };
  it('foraminal between the medial and lateral edges, extraforaminal beyond the lateral edge', () => {
    expect(zoneOfMaterial(20.9, edges, 'foraminal')).toBe('foraminal');
    expect(zoneOfMaterial(-21, edges, 'foraminal')).toBe('extraforaminal');
    expect(zoneOfMaterial(25, edges, 'extraforaminal')).toBe('extraforaminal');
    expect(zoneOfMaterial(11.2, edges, 'subarticular')).toBe('foraminal');
  });
  it('keeps the aim inside the medial edge (no separate facet line in the phantom)', () => {
    expect(zoneOfMaterial(0.4, edges, 'central')).toBe('central');
    expect(zoneOfMaterial(7, edges, 'subarticular')).toBe('subarticular');
    expect(zoneOfMaterial(9, edges, 'foraminal')).toBe('subarticular');
  });
});

describe('herniation truth records', () => {
  it('keeps the aimed zone and records the zone where the fragment lies', () => {
    // Seed 2 of the findings evaluation: a foraminal L5-S1 extrusion moved to its root ends beyond the pedicle.
    const scene = build([{ kind: 'disc-herniation', level: 'L5-S1', zone: 'foraminal', side: 'right', type: 'extrusion', sizeMm: 14 }], 2);
    const r = scene.pathology.find((p): p is Hern => p.kind === 'disc-herniation')!;
    expect(r.aimedZone).toBe('foraminal');
    const g = r.zoneGeometry!;
    expect(g.pedicleMedialMm).toBeLessThan(g.pedicleLateralMm);
    expect(r.zone).toBe(zoneOfMaterial(g.materialOffsetMm, { medialMm: g.pedicleMedialMm, lateralMm: g.pedicleLateralMm }, 'foraminal'));
    // The edges are those of the L5 pedicle: around its centre landmark, on the named side.
    const l5 = scene.vertebrae.find((v) => v.name === 'L5')!;
    const disc = scene.discs.find((d) => d.name === 'L5-S1')!;
    const pedicleCentre = -dot(sub(l5.pedicles.right, disc.centre), l5.axes.left);
    expect(pedicleCentre).toBeGreaterThan(g.pedicleMedialMm);
    expect(pedicleCentre).toBeLessThan(g.pedicleLateralMm);
    expect(g.materialOffsetMm).toBeGreaterThan(0); // towards the named side
  });

  it('a subarticular and a central herniation stay in their zone', () => {
    const scene = build([
      { kind: 'disc-herniation', level: 'L4-L5', zone: 'subarticular', side: 'left', type: 'protrusion' },
      { kind: 'disc-herniation', level: 'L2-L3', zone: 'central', type: 'extrusion' },
    ]);
    const [a, b] = scene.pathology.filter((p): p is Hern => p.kind === 'disc-herniation');
    expect([a!.zone, a!.aimedZone]).toEqual(['subarticular', 'subarticular']);
    expect([b!.zone, b!.aimedZone]).toEqual(['central', 'central']);
    expect(Math.abs(b!.zoneGeometry!.materialOffsetMm)).toBeLessThan(1);
  });
});

describe('Genant grade of the truth (Genant 1993: reduction against the adjacent vertebrae)', () => {
  it('grades 20–25% as 1, up to 40% as 2, beyond as 3', () => {
    expect([genantGradeOf(0.19), genantGradeOf(0.2), genantGradeOf(0.25), genantGradeOf(0.26), genantGradeOf(0.4), genantGradeOf(0.41)]).toEqual([0, 1, 1, 2, 2, 3]);
  });

  it('reads a crush against the neighbours\' heights, not the body\'s own', () => {
    const scene = build([{ kind: 'compression-fracture', level: 'L3', heightLossPercent: 30, shape: 'crush' }]);
    const r = scene.pathology.find((p): p is Fracture => p.kind === 'compression-fracture')!;
    const [l2, l3, l4] = ['L2', 'L3', 'L4'].map((n) => scene.vertebrae.find((v) => v.name === n)!);
    expect(r.heightLossPercent).toBe(30);
    expect(r.genant.referenceVertebrae).toEqual(['L2', 'L4']);
    const expected = (l2!.body.posteriorHeightMm + l4!.body.posteriorHeightMm) / 2;
    expect(r.genant.expectedHeightsMm.posterior).toBeCloseTo(expected, 9);
    expect(r.genant.heightsMm.posterior).toBeCloseTo(l3!.body.posteriorHeightMm, 9);
    expect(r.genant.reductionPercent).toBeCloseTo(100 * (1 - l3!.body.posteriorHeightMm / expected), 9);
    expect(r.genant.grade).toBe(genantGradeOf(r.genant.reductionPercent / 100));
  });

  it('skips a fractured neighbour and a body of another region', () => {
    const scene = build([
      { kind: 'compression-fracture', level: 'L1', heightLossPercent: 35 },
      { kind: 'compression-fracture', level: 'L2', heightLossPercent: 45, shape: 'crush' },
    ]);
    const [l1, l2] = scene.pathology.filter((p): p is Fracture => p.kind === 'compression-fracture');
    expect(l1!.genant.referenceVertebrae).toEqual(['L3']); // T12 is thoracic, L2 fractured
    expect(l2!.genant.referenceVertebrae).toEqual(['L3']); // L1 fractured
    // A wedge: the anterior height carries the largest reduction.
    expect(l1!.genant.reductionPercent).toBeCloseTo(l1!.genant.reductionsPercent.anterior, 9);
    expect(l2!.genant.grade).toBe(3);
  });
});
