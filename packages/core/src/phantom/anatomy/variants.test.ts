import { describe, expect, it } from 'vitest';
import { add, scale, sub, type Vec3 } from '../../geometry/vec3.ts';
import { LABELS } from '../vocabulary.ts';
import { buildSpineScene } from './scene.ts';
import { castellviSides } from './transitional.ts';
import type { SpineScene, SpineVariant } from './types.ts';

const build = (variant: SpineVariant, from = 'T10', to = 'sacrum'): SpineScene => buildSpineScene({ seed: 21, variant, levels: { from, to } });

function landmarksInside(scene: SpineScene): string[] {
  return Object.entries(scene.landmarks)
    .filter(([, l]) => scene.legend[scene.classify(l.point).label] !== l.structure)
    .map(([name]) => name);
}

/** Tissues and labels met on the vertical line from `top` down to `bottom` (through the transverse-process bar). */
function column(scene: SpineScene, top: Vec3, bottom: Vec3, step = 0.2): Array<{ label: number; tissue: string }> {
  const d = sub(bottom, top);
  const length = Math.hypot(...d);
  const out: Array<{ label: number; tissue: string }> = [];
  for (let t = 0; t <= length; t += step) out.push(scene.classify(add(top, scale(d, t / length))));
  return out;
}

describe('variants change the vertebra list as they should', () => {
  it('normal: 12 thoracic, 5 lumbar, S1 inside the sacrum label', () => {
    const scene = build({ kind: 'none' });
    expect(scene.levels.vertebrae).toEqual(['T10', 'T11', 'T12', 'L1', 'L2', 'L3', 'L4', 'L5', 'sacrum']);
    expect(scene.levels.lumbarTypeCount).toBe(5);
    expect(scene.legend[LABELS.S1]).toBeUndefined();
  });

  it('six lumbar: L1–L6 with discs L5-L6 and L6-S1', () => {
    const scene = build({ kind: 'six-lumbar' });
    expect(scene.levels.vertebrae).toEqual(['T10', 'T11', 'T12', 'L1', 'L2', 'L3', 'L4', 'L5', 'L6', 'sacrum']);
    expect(scene.levels.discs.slice(-2)).toEqual(['L5-L6', 'L6-S1']);
    expect(scene.levels.lumbarTypeCount).toBe(6);
    expect(scene.legend[LABELS.L6]).toBe('L6');
    expect(scene.roots.some((r) => r.name === 'root_L6_left' && r.foramen === 'L6-S1')).toBe(true);
    expect(landmarksInside(scene)).toEqual([]);
  });

  it('four lumbar: L1–L4 on the sacrum through disc L4-S1', () => {
    const scene = build({ kind: 'four-lumbar' });
    expect(scene.levels.vertebrae).toEqual(['T10', 'T11', 'T12', 'L1', 'L2', 'L3', 'L4', 'sacrum']);
    expect(scene.levels.discs.at(-1)).toBe('L4-S1');
    expect(scene.levels.lumbarTypeCount).toBe(4);
    expect(landmarksInside(scene)).toEqual([]);
  });

  it('T13: thirteen rib-bearing thoracic vertebrae; a positional count calls T13 "L1"', () => {
    const scene = build({ kind: 'T13' });
    expect(scene.levels.vertebrae).toEqual(['T10', 'T11', 'T12', 'T13', 'L1', 'L2', 'L3', 'L4', 'L5', 'sacrum']);
    expect(scene.levels.thoracicCount).toBe(13);
    const t13 = scene.vertebrae.find((v) => v.name === 'T13')!;
    expect(t13.ribBearing).toBe(true);
    expect(t13.countedAs).toBe('L1');
    expect(scene.legend[LABELS['rib_T13_left']]).toBe('rib_T13_left');
    expect(scene.levels.discs).toContain('T13-L1');
    expect(landmarksInside(scene)).toEqual([]);
  });

  it('lumbarized S1: S1 is its own mobile vertebra (counted as L6) with a rudimentary S1-S2 disc', () => {
    const scene = build({ kind: 'lumbarized-S1', castellvi: 'IIb' });
    expect(scene.levels.vertebrae).toEqual(['T10', 'T11', 'T12', 'L1', 'L2', 'L3', 'L4', 'L5', 'S1', 'sacrum']);
    expect(scene.levels.lumbarTypeCount).toBe(6);
    expect(scene.levels.transitional).toEqual({ vertebra: 'S1', kind: 'lumbarized', castellvi: 'IIb', side: 'left' });
    const s1 = scene.vertebrae.find((v) => v.name === 'S1')!;
    expect(s1.label).toBe(LABELS.S1);
    expect(s1.countedAs).toBe('L6');
    expect(s1.castellvi).toBe('IIb');
    const discs = Object.fromEntries(scene.discs.map((d) => [d.name, d]));
    expect(Object.keys(discs).slice(-2)).toEqual(['L5-S1', 'S1-S2']);
    expect(discs['S1-S2']!.middleHeightMm).toBeLessThan(discs['L5-S1']!.middleHeightMm * 0.8);
    // Its root is S1 (under its own pedicle); the sacrum's first root is S2.
    expect(scene.roots.map((r) => r.nerve)).toEqual(expect.arrayContaining(['S1', 'S2']));
    expect(landmarksInside(scene)).toEqual([]);
  });

  it('maps Castellvi types to sides [pacs, Ars, BMC-LSTV]', () => {
    expect(castellviSides('Ia', 'left')).toEqual({ left: 'I', right: 'none' });
    expect(castellviSides('IIb', 'left')).toEqual({ left: 'II', right: 'II' });
    expect(castellviSides('IIIa', 'right')).toEqual({ left: 'none', right: 'III' });
    expect(castellviSides('IV', 'left')).toEqual({ left: 'II', right: 'III' });
  });

  describe('sacralized L5', () => {
    /** From above the L5 transverse process bar down through the joint (or fusion) into the sacral ala, on one side. */
    const bar = (scene: SpineScene, side: 'left' | 'right') => {
      const process = scene.landmarks[`L5.lstv_${side}.process`];
      const l5 = scene.vertebrae.find((v) => v.name === 'L5')!;
      const sacrum = scene.vertebrae.find((v) => v.name === 'sacrum')!;
      const start = process?.point ?? add(scale(l5.transverseTips[side], 0.55), scale(l5.pedicles[side], 0.45));
      const end = (scene.landmarks[`L5.lstv_${side}.joint`] ?? scene.landmarks[`L5.lstv_${side}.fusion`])?.point ?? [start[0], start[1], sacrum.superiorEndplate.centre[2]];
      const down = scale(sub(end, start), 1 / Math.hypot(...sub(end, start)));
      return column(scene, add(start, scale(down, -16)), add(end, scale(down, 10)));
    };
    const bone = (s: { tissue: string }): boolean => s.tissue === 'cortical_bone' || s.tissue === 'cancellous_bone';

    it('Castellvi IIIa: L5 fuses to the sacrum on one side (continuous bone, labels L5 then sacrum), not on the other', () => {
      const scene = buildSpineScene({ seed: 21, variant: { kind: 'sacralized-L5', castellvi: 'IIIa', side: 'left' }, levels: { from: 'L1', to: 'sacrum' } });
      expect(scene.levels.transitional?.vertebra).toBe('L5');
      expect(scene.vertebrae.find((v) => v.name === 'L5')!.castellvi).toBe('IIIa');
      const left = bar(scene, 'left');
      const firstBone = left.findIndex(bone);
      const lastBone = left.length - 1 - [...left].reverse().findIndex(bone);
      const span = left.slice(firstBone, lastBone + 1);
      expect(span.every(bone)).toBe(true);
      const labels = [...new Set(span.map((s) => s.label))];
      expect(labels).toEqual([LABELS.L5, LABELS.sacrum]);
      // The right side is not fused: soft tissue between the transverse process and the ala.
      const right = bar(scene, 'right');
      const rFirst = right.findIndex(bone);
      const rLast = right.length - 1 - [...right].reverse().findIndex(bone);
      expect(right.slice(rFirst, rLast + 1).some((s) => !bone(s))).toBe(true);
      // The fused L5–S1 disc is rudimentary.
      expect(scene.discs.find((d) => d.name === 'L5-S1')!.middleHeightMm).toBeLessThan(7);
    });

    it('Castellvi IIa: a cartilage pseudoarticulation between the process and the ala', () => {
      const scene = buildSpineScene({ seed: 21, variant: { kind: 'sacralized-L5', castellvi: 'IIa', side: 'right' }, levels: { from: 'L1', to: 'sacrum' } });
      const right = bar(scene, 'right');
      const cartilage = right.findIndex((s) => s.tissue === 'cartilage');
      expect(cartilage).toBeGreaterThan(0);
      expect(right[cartilage]!.label).toBe(LABELS.L5);
      expect(right.slice(0, cartilage).some((s) => s.label === LABELS.L5 && bone(s))).toBe(true);
      expect(right.slice(cartilage).some((s) => s.label === LABELS.sacrum)).toBe(true);
      expect(bar(scene, 'left').some((s) => s.tissue === 'cartilage')).toBe(false);
    });

    it('Castellvi Ia: a dysplastic transverse process at least 19 mm tall', () => {
      const scene = buildSpineScene({ seed: 21, variant: { kind: 'sacralized-L5', castellvi: 'Ia', side: 'left' }, levels: { from: 'L1', to: 'sacrum' } });
      const height = (side: 'left' | 'right'): number => bar(scene, side).filter((s) => s.label === LABELS.L5).length * 0.2;
      expect(height('left')).toBeGreaterThanOrEqual(19);
      expect(height('right')).toBeLessThan(19);
    });
  });
});
