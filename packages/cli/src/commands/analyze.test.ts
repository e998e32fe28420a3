import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { keyhole } from '../test-support.ts';

describe('keyhole analyze', () => {
  it('refuses a study without an anatomy model and says what to do', async () => {
    const run = await keyhole(['analyze', 'no-such-study']);
    expect(run.code).toBe(4);
    expect(run.stderr).toMatch(/findings need an anatomy model: run keyhole segment or pass --labels/);
  });

  it('measures a phantom CT with its truth label map and writes findings that keyhole correlate reads', { timeout: 120_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'keyhole-analyze-'));
    const out = join(dir, 'p');
    const made = await keyhole(['phantom', '-o', out, '--modality', 'ct', '--seed', '11', '--levels', 'T12-S1', '--pathology', 'herniation:L4-L5:left:subarticular:extrusion', '--pathology', 'fracture:L1:32']);
    expect(made.code, made.stderr).toBe(0);
    const series = readdirSync(join(out, 'dicom'))[0]!;
    const run = await keyhole(['analyze', join(out, 'dicom', series), '--labels', join(out, 'truth.nii.gz'), '--legend', join(out, 'truth-legend.json'), '--json', '--report', join(dir, 'report.json')]);
    expect(run.code, run.stderr).toBe(0);
    const findings = JSON.parse(run.stdout) as { schemaVersion: number; findings: Array<{ kind: string; level: string; zone?: string; side?: string; type?: string }> };
    expect(findings.schemaVersion).toBe(1);
    expect(findings.findings).toContainEqual(expect.objectContaining({ kind: 'disc-herniation', level: 'L4-L5', zone: 'subarticular', side: 'left', type: 'extrusion' }));
    expect(findings.findings).toContainEqual(expect.objectContaining({ kind: 'compression-fracture', level: 'L1' }));
    const exam = {
      complaint: 'radicular', side: 'left', painRegions: ['buttock', 'posterior-thigh', 'lateral-calf', 'dorsum-foot'], sensoryLoss: ['dorsum-foot'],
      weakness: { 'great-toe-extension': 4 }, reflexes: { achilles: 'normal', patellar: 'normal' }, tests: { slr: 'positive' }, redFlags: [],
    };
    writeFileSync(join(dir, 'exam.json'), JSON.stringify(exam));
    writeFileSync(join(dir, 'findings.json'), run.stdout);
    const correlated = await keyhole(['correlate', '--exam', join(dir, 'exam.json'), '--findings', join(dir, 'findings.json')]);
    expect(correlated.code, correlated.stderr).toBe(0);
    expect(correlated.stdout).toMatch(/L4-L5 disc-herniation extrusion subarticular left: CONCORDANT/);
  });
});
