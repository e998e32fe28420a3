import { describe, expect, it } from 'vitest';
import type { ImagingFinding } from '../clinical/findings.ts';
import { discsAboveSacrum, selectApproach, type ApproachInput } from './approach.ts';
import type { IliacCrestMeasurement } from './iliac-crest.ts';

const hern = (level: string, extra: Partial<Extract<ImagingFinding, { kind: 'disc-herniation' }>> = {}): ImagingFinding =>
  ({ kind: 'disc-herniation', level, zone: 'subarticular', side: 'left', type: 'extrusion', confidence: 1, sizeMm: 8, ...extra });
const input = (level: string, findings: ImagingFinding[], extra: Partial<ApproachInput> = {}): ApproachInput =>
  ({ level, side: 'left', findings: { schemaVersion: 1, findings }, ...extra });
const crest = (aboveMid: number): IliacCrestMeasurement => ({
  lastLumbar: { vertebra: 'L5', bottomZ: 30, middleZ: 37, topZ: 44 }, apexZ: 37 + aboveMid, aboveMidPedicleMm: aboveMid, highByChoi: aboveMid > 0, side: 'left',
});

describe('selectApproach: one rule per case, each citing its source', () => {
  it('foraminal and extraforaminal herniations → transforaminal [MIS2017, Pruttikul]', () => {
    for (const zone of ['foraminal', 'extraforaminal'] as const) {
      const r = selectApproach(input('L3-L4', [hern('L3-L4', { zone })]));
      expect(r.choice).toBe('transforaminal');
      expect(r.rules[0]).toMatchObject({ id: 'foraminal-zone', source: 'MIS2017, Pruttikul' });
    }
  });

  it('intracanal L5–S1 herniation with a high crest → interlaminar [Choi 2006]; with a low crest the posterolateral default', () => {
    expect(selectApproach(input('L5-S1', [hern('L5-S1')], { iliacCrest: crest(12) })).choice).toBe('interlaminar');
    const low = selectApproach(input('L5-S1', [hern('L5-S1')], { iliacCrest: crest(-10) }));
    expect(low.choice).toBe('transforaminal');
    expect(low.rules.map((r) => r.id)).toEqual(['default-posterolateral']);
  });

  it('small foramen at L5–S1 (height ≤ 15 mm [Hasegawa]) → interlaminar [Choi 2006], the setting named as unconfirmed', () => {
    const r = selectApproach(input('L5-S1', [hern('L5-S1')], { foramen: { heightMm: 13 } }));
    expect(r.choice).toBe('interlaminar');
    expect(r.reasons[0]).toContain('[Hasegawa]');
    expect(r.unconfirmedSettings.map((u) => u.setting)).toContain('smallForamenHeightMm');
  });

  it('high-grade migration: transforaminal at L2–L3, interlaminar at L4–L5 [BMC2020], with the [Lee2006] warning', () => {
    const up = selectApproach(input('L2-L3', [hern('L2-L3', { migration: { direction: 'down', grade: 'high' } })]));
    expect(up.choice).toBe('transforaminal');
    expect(up.warnings.join(' ')).toContain('[Lee2006]');
    expect(selectApproach(input('L4-L5', [hern('L4-L5', { migration: { direction: 'down', grade: 'high' } })])).choice).toBe('interlaminar');
    expect(selectApproach(input('L4-L5', [hern('L4-L5', { migration: { direction: 'down', grade: 'high' } })], { settings: { openForHighGradeMigration: true } })).choice).toBe('microdiscectomy');
  });

  it('six lumbar vertebrae: the lumbosacral rules move to L6–S1', () => {
    const discs = ['L1-L2', 'L2-L3', 'L3-L4', 'L4-L5', 'L5-L6', 'L6-S1'];
    expect(discsAboveSacrum('L6-S1', discs)).toBe(0);
    expect(discsAboveSacrum('L5-L6', discs)).toBe(1);
    expect(selectApproach(input('L6-S1', [hern('L6-S1')], { discs, iliacCrest: crest(15) })).choice).toBe('interlaminar');
    expect(selectApproach(input('L4-L5', [hern('L4-L5', { migration: { direction: 'down', grade: 'high' } })], { discs })).choice).toBe('transforaminal');
  });

  it('central herniation with > 50% canal compromise → microdiscectomy [Lee2006]; instability → fusion [JTSS2024]; CES → emergency [AJEM]', () => {
    expect(selectApproach(input('L4-L5', [hern('L4-L5', { zone: 'central', side: 'midline', canalCompromisePercent: 60 })])).choice).toBe('microdiscectomy');
    expect(selectApproach(input('L4-L5', [hern('L4-L5', { zone: 'central', side: 'midline', canalCompromisePercent: 40 })])).choice).toBe('transforaminal');
    const slip = selectApproach(input('L4-L5', [hern('L4-L5'), { kind: 'spondylolisthesis', level: 'L4-L5', slipPercent: 30, confidence: 1 }]));
    expect(slip.choice).toBe('fusion');
    expect(slip.unconfirmedSettings.map((u) => u.setting)).toContain('slipContraindicates');
    expect(selectApproach(input('L4-L5', [hern('L4-L5')], { clinical: { caudaEquina: true } })).choice).toBe('emergency');
  });

  it('no safe transforaminal path → interlaminar proposed; for a foraminal fragment → microdiscectomy; a narrow interlaminar window → microdiscectomy', () => {
    const blocked = selectApproach(input('L5-S1', [hern('L5-S1')], { transforaminal: 'no-safe-path' }));
    expect(blocked.choice).toBe('interlaminar');
    expect(blocked.alternatives.find((a) => a.approach === 'transforaminal')?.why).toContain('no transforaminal cannula path');
    expect(selectApproach(input('L3-L4', [hern('L3-L4', { zone: 'foraminal' })], { transforaminal: 'no-safe-path' })).choice).toBe('microdiscectomy');
    expect(selectApproach(input('L5-S1', [hern('L5-S1')], { iliacCrest: crest(12), interlaminarWindowMm: 4 })).choice).toBe('microdiscectomy');
  });

  it('every fired rule cites a source', () => {
    const r = selectApproach(input('L5-S1', [hern('L5-S1', { migration: { direction: 'down', grade: 'high' }, sizeMm: 12 })], { iliacCrest: crest(20), clinical: { priorSurgery: true } }));
    expect(r.rules.length).toBeGreaterThan(2);
    for (const rule of r.rules) expect(rule.source.length).toBeGreaterThan(0);
  });
});
