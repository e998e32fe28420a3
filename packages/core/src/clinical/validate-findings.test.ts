import { describe, expect, it } from 'vitest';
import { checkFindings, validateFindings } from './validate-findings.ts';

describe('validateFindings', () => {
  it('accepts a document and a bare list', () => {
    const finding = { kind: 'disc-herniation', level: 'L4-L5', zone: 'subarticular', side: 'left', type: 'extrusion', confidence: 0.9, migration: { direction: 'down', grade: 'high', leeZone: 4 }, msu: { size: 2, location: 'B' } };
    expect(validateFindings([finding]).findings).toHaveLength(1);
    const doc = validateFindings({ schemaVersion: 1, numbering: { lumbarCount: 6, countVerified: false }, findings: [finding] });
    expect(doc.numbering?.lumbarCount).toBe(6);
  });

  it('names the path of every bad field', () => {
    const { problems } = checkFindings({
      numbering: { lumbarCount: 7, countVerified: 'yes', transitional: { vertebra: 'L5', kind: 'fused' } },
      findings: [
        { kind: 'disc-herniation', level: 'L4/5', zone: 'lateral', side: 'left', type: 'extrusion', confidence: 1.5, migration: { direction: 'sideways', grade: 'high' } },
        { kind: 'tumour', level: 'L2' },
        { kind: 'foraminal-stenosis', level: 'L4-L5', side: 'left', lee: 4, confidence: 0.8, colour: 'red' },
        { kind: 'disc-herniation', level: 'L4-L5', zone: 'foraminal', side: 'midline', type: 'protrusion', confidence: 0.5 },
      ],
    });
    expect(problems.map((p) => p.path)).toEqual([
      'numbering.lumbarCount', 'numbering.countVerified', 'numbering.transitional.kind',
      'findings[0].zone', 'findings[0].confidence', 'findings[0].migration.direction',
      'findings[1].kind',
      'findings[2].lee', 'findings[2].colour',
      'findings[3].side',
    ]);
  });

  it('throws IMAGING_FINDINGS_INVALID', () => {
    expect(() => validateFindings({ findings: [{ kind: 'modic', level: 'L4-L5', type: 4, confidence: 1 }] })).toThrow(/findings\[0\]\.type: expected one of 1, 2, 3, got 4|at findings\[0\]\.type/);
  });
});
