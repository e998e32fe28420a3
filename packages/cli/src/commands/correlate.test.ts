import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { keyhole } from '../test-support.ts';

const dir = mkdtempSync(join(tmpdir(), 'keyhole-correlate-'));
const write = (name: string, value: unknown): string => {
  const file = join(dir, name);
  writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value));
  return file;
};

// The example exam of issue 6.
const exam = {
  complaint: 'radicular', side: 'left', durationWeeks: 10, conservativeCareWeeks: 8,
  painRegions: ['buttock', 'posterior-thigh', 'lateral-calf', 'dorsum-foot'], sensoryLoss: ['dorsum-foot'],
  weakness: { 'great-toe-extension': 4 }, reflexes: { achilles: 'normal', patellar: 'normal' },
  tests: { slr: 'positive', 'femoral-stretch': 'negative' }, redFlags: [],
};
const findings = {
  schemaVersion: 1,
  numbering: { lumbarCount: 5, countVerified: true },
  findings: [
    { kind: 'disc-herniation', level: 'L4-L5', zone: 'subarticular', side: 'left', type: 'extrusion', confidence: 0.9 },
    { kind: 'disc-herniation', level: 'L3-L4', zone: 'foraminal', side: 'right', type: 'protrusion', confidence: 0.8 },
  ],
};

describe('keyhole correlate', () => {
  it('prints the correlation for people, with the decision-support notice', async () => {
    const run = await keyhole(['correlate', '--exam', write('exam.json', exam), '--findings', write('findings.json', findings)]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('Keyhole supports decisions; it does not replace clinical judgement');
    expect(run.stdout).toMatch(/Urgency: ELECTIVE/);
    expect(run.stdout).toMatch(/L5 {2}left/);
    expect(run.stdout).toMatch(/1\. L4-L5 subarticular left/);
    expect(run.stdout).toMatch(/#1 L4-L5 disc-herniation extrusion subarticular left: CONCORDANT/);
    expect(run.stdout).toMatch(/#2 L3-L4 disc-herniation protrusion foraminal right: INCIDENTAL/);
  });

  it('--json gives roots, candidates, concordance and urgency', async () => {
    const run = await keyhole(['correlate', '--exam', write('exam.json', exam), '--findings', write('findings.json', findings), '--json']);
    expect(run.code, run.stderr).toBe(0);
    const out = JSON.parse(run.stdout) as {
      ok: boolean; notice: string; roots: Array<{ root: string; likelihood: number; evidence: unknown[] }>;
      candidates: Array<{ level: string; zone: string; side: string }>; findings: Array<{ concordance: string }>; urgency: { level: string };
    };
    expect(out.ok).toBe(true);
    expect(out.notice).toMatch(/does not replace clinical judgement/);
    expect(out.roots[0]?.root).toBe('L5');
    expect(out.roots[0]?.evidence.length).toBeGreaterThan(3);
    expect(out.candidates[0]).toMatchObject({ level: 'L4-L5', zone: 'subarticular', side: 'left' });
    expect(out.findings.map((f) => f.concordance)).toEqual(['concordant', 'incidental']);
    expect(out.urgency.level).toBe('elective');
  });

  it('works without findings, and flags cauda equina as an emergency', async () => {
    const ces = { ...exam, side: 'bilateral', redFlags: ['saddle-anesthesia', 'urinary-retention', 'bilateral-leg-symptoms'] };
    const run = await keyhole(['correlate', '--exam', write('ces.json', ces)]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/Urgency: EMERGENCY — suspected cauda equina syndrome: NOT for elective planning/);
  });

  it('rejects an unknown region and an MRC grade of 7, naming each path (exit 4)', async () => {
    const bad = { ...exam, painRegions: ['buttock', 'posterior-thigh', 'shin'], weakness: { 'great-toe-extension': 7 } };
    const file = write('bad.json', bad);
    const run = await keyhole(['correlate', '--exam', file]);
    expect(run.code).toBe(4);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('[CLINICAL_EXAM_INVALID]');
    expect(run.stderr).toContain(file);
    expect(run.stderr).toContain('painRegions[2]: unknown region "shin" (did you mean "anterior-shin"?)');
    expect(run.stderr).toContain('weakness.great-toe-extension: MRC grade 7 is outside 0–5');

    const json = await keyhole(['correlate', '--exam', file, '--json']);
    expect(json.code).toBe(4);
    const out = JSON.parse(json.stdout) as { ok: boolean; error: { code: string; path: string; details: { problems: Array<{ path: string }> } } };
    expect(out.ok).toBe(false);
    expect(out.error.code).toBe('CLINICAL_EXAM_INVALID');
    expect(out.error.path).toBe('painRegions[2]');
    expect(out.error.details.problems.map((p) => p.path)).toEqual(['painRegions[2]', 'weakness.great-toe-extension']);
  });

  it('rejects bad findings naming the path, bad JSON, a missing file and a missing --exam', async () => {
    const badFindings = await keyhole(['correlate', '--exam', write('exam.json', exam), '--findings', write('bad-findings.json', { findings: [{ kind: 'disc-herniation', level: 'L4-L5', zone: 'lateral', side: 'left', type: 'extrusion', confidence: 2 }] })]);
    expect(badFindings.code).toBe(4);
    expect(badFindings.stderr).toContain('[IMAGING_FINDINGS_INVALID]');
    expect(badFindings.stderr).toContain('findings[0].zone: expected one of central, subarticular, foraminal, extraforaminal, got "lateral"');
    expect(badFindings.stderr).toContain('findings[0].confidence');

    const notJson = await keyhole(['correlate', '--exam', write('broken.json', '{"complaint": "radicular",')]);
    expect(notJson.code).toBe(4);
    expect(notJson.stderr).toMatch(/broken\.json: not valid JSON/);

    const missing = await keyhole(['correlate', '--exam', join(dir, 'nowhere.json')]);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain('[FILE_NOT_FOUND]');

    const usage = await keyhole(['correlate']);
    expect(usage.code).toBe(2);
  });
});
