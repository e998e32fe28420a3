import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { correlate } from './correlate.ts';
import { DEFAULT_CORRELATION_SETTINGS } from './correlation-settings.ts';
import { ROOT_PROFILES } from './root-map.ts';

const l5Exam = {
  complaint: 'radicular', side: 'left', painRegions: ['buttock', 'posterior-thigh', 'lateral-calf', 'dorsum-foot'], sensoryLoss: ['dorsum-foot'],
  weakness: { 'great-toe-extension': 4 }, reflexes: { achilles: 'normal', patellar: 'normal' }, tests: { slr: 'positive', 'femoral-stretch': 'negative' }, redFlags: [],
};

describe('correlate', () => {
  it('reports evidence for the first root, each item with a source tag', () => {
    const result = correlate({ exam: l5Exam });
    const [first] = result.roots;
    expect(first?.root).toBe('L5');
    expect(first?.side).toBe('left');
    const kinds = new Set(first?.evidence.map((e) => e.kind));
    for (const kind of ['sensory-loss', 'pain', 'weakness', 'tension-test', 'prior']) expect(kinds.has(kind as never)).toBe(true);
    for (const e of first?.evidence ?? []) expect(e.source).toMatch(/\[[^\]]+\]|unconfirmed/);
    // The normal ankle jerk counts against S1 [Harrison].
    expect(result.roots.find((r) => r.root === 'S1')?.against.some((a) => a.finding === 'achilles reflex normal')).toBe(true);
  });

  it('candidate likelihoods sum to one and follow §2 without imaging (paracentral before far-lateral)', () => {
    const { candidates } = correlate({ exam: l5Exam });
    expect(candidates.reduce((sum, c) => sum + c.likelihood, 0)).toBeCloseTo(1, 6);
    expect(candidates.slice(0, 3).map((c) => `${c.level} ${c.zone}`)).toEqual(['L4-L5 subarticular', 'L5-S1 foraminal', 'L5-S1 extraforaminal']);
  });

  it('settings override the defaults and are echoed back', () => {
    const result = correlate({ exam: l5Exam, settings: { farLateralShare: 0.95 } });
    expect(result.settings.farLateralShare).toBe(0.95);
    expect(result.candidates[0]?.level).toBe('L5-S1');
  });

  it('imaging support moves a far-lateral candidate to the top, and the finding is concordant', () => {
    const result = correlate({ exam: l5Exam, findings: [{ kind: 'disc-herniation', level: 'L5-S1', zone: 'extraforaminal', side: 'left', type: 'extrusion', confidence: 0.9 }] });
    expect(result.candidates[0]).toMatchObject({ level: 'L5-S1', zone: 'extraforaminal', side: 'left', imaging: { findingIndex: 0 } });
    expect(result.findings[0]?.concordance).toBe('concordant');
  });

  it('a low-confidence finding is marked for review', () => {
    const result = correlate({ exam: l5Exam, findings: [{ kind: 'disc-herniation', level: 'L4-L5', zone: 'subarticular', side: 'left', type: 'extrusion', confidence: 0.3 }] });
    expect(result.findings[0]?.needsReview).toBe(true);
    expect(result.findings[0]?.reasons.join(' ')).toContain('needs review');
  });

  it('an unverified level count keeps neighbouring levels as candidates [Tokgoz2014]', () => {
    const verified = correlate({ exam: l5Exam, findings: { numbering: { lumbarCount: 5, countVerified: true }, findings: [] } });
    const unverified = correlate({ exam: l5Exam, findings: { numbering: { lumbarCount: 5, countVerified: false }, findings: [] } });
    expect(verified.candidates.some((c) => c.basis.includes('misnumbering'))).toBe(false);
    const neighbour = unverified.candidates.find((c) => c.level === 'L3-L4' && c.zone === 'subarticular');
    expect(neighbour?.basis).toContain('misnumbering');
    expect(unverified.candidates[0]!.likelihood).toBeLessThan(verified.candidates[0]!.likelihood);
    expect(unverified.numbering.note).toMatch(/NOT verified/);
  });

  it('bilateral sciatica alone is urgent by default and an emergency when the setting says so', () => {
    const exam = { ...l5Exam, side: 'bilateral', redFlags: ['bilateral-leg-symptoms'] };
    expect(correlate({ exam }).urgency.level).toBe('urgent');
    const strict = correlate({ exam, settings: { bilateralSciaticaAloneIsEmergency: true } }).urgency;
    expect(strict.level).toBe('emergency');
    expect(strict.electivePlanningAllowed).toBe(false);
  });

  it('rejects bad input with the path of the bad field', () => {
    expect(() => correlate({ exam: { ...l5Exam, weakness: { 'great-toe-extension': 7 } } })).toThrow('at weakness.great-toe-extension: MRC grade 7 is outside 0–5');
    expect(() => correlate({ exam: l5Exam, findings: [{ kind: 'modic', level: 'L4-L5', type: 1, confidence: 3 }] })).toThrow(/findings\[0\]\.confidence/);
  });
});

describe('traceability', () => {
  it('every entry of the root map cites a source or says it is unconfirmed', () => {
    for (const profile of ROOT_PROFILES) {
      for (const entry of [...profile.sensory, ...profile.pain, ...profile.muscles, ...profile.reflexes, ...profile.tests]) {
        expect(entry.source, `${profile.root} ${JSON.stringify(entry)}`).toMatch(/\[[A-Za-z&ö -]+[^\]]*\]|unconfirmed/);
      }
    }
  });

  it('every setting is documented as SOURCED, UNCONFIRMED or MODEL', () => {
    const text = readFileSync(join(import.meta.dirname, 'correlation-settings.ts'), 'utf8');
    const body = text.slice(text.indexOf('export interface CorrelationSettings'), text.indexOf('export const DEFAULT_CORRELATION_SETTINGS'));
    for (const key of Object.keys(DEFAULT_CORRELATION_SETTINGS)) {
      const at = body.indexOf(`readonly ${key}:`);
      expect(at, key).toBeGreaterThan(0);
      const doc = body.slice(body.lastIndexOf('/**', at), at);
      expect(doc, key).toMatch(/SOURCED|UNCONFIRMED|MODEL/);
    }
  });
});
