/**
 * The surroundings keep-out on the real native CT (`../shared/data/ct-abdomen-pelvis-3mm`, 3 mm) against
 * TotalSegmentator's reference (`reference-total-fast.nii.gz`, values per `labels-totalsegmentator-total.json`),
 * with Keyhole's own spine (`segmentSpineCt`). Prints the table and compares it with the committed golden
 * `real-ct-eval.txt` (regenerate with UPDATE_GOLDEN=1). Targets (issue 7's real-CT acceptance, through the
 * planner's 5 mm margin): ≥ 99 % of each keep-out structure covered within 40 mm of L3–S1, ≥ 80 % of the
 * posterior psoas and ≥ 95 % of the paraspinal muscles left open; what is asserted is the regression floor
 * stated beside each expect, the README says what is reached.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readNifti } from '../nifti/index.ts';
import { segmentSpineCt } from '../spine/segment-ct.ts';
import { evaluateSurroundings, formatSurroundingsEvaluation } from './evaluate.ts';
import { SURROUNDINGS_KEEP_OUT_NAMES } from './labels.ts';
import { segmentSurroundingsCt } from './segment-surroundings-ct.ts';

const repoRoot = resolve(import.meta.dirname, '../../../..');
const dir = resolve(repoRoot, '../shared/data/ct-abdomen-pelvis-3mm');
const present = existsSync(resolve(dir, 'ct.nii.gz')) && existsSync(resolve(dir, 'reference-total-fast.nii.gz'));
if (!present) console.warn('surroundings real CT test skipped: ../shared/data/ct-abdomen-pelvis-3mm is absent');

export const KEEP_OUT_REFERENCE = [
  'colon', 'small_bowel', 'duodenum', 'kidney_left', 'kidney_right', 'aorta', 'inferior_vena_cava',
  'iliac_artery_left', 'iliac_artery_right', 'iliac_vena_left', 'iliac_vena_right',
];

describe.skipIf(!present)('segmentSurroundingsCt on the real CT (needs ../shared/data/ct-abdomen-pelvis-3mm)', () => {
  it('covers the reference organs and vessels near L3–S1 and leaves the posterolateral corridor open', () => {
    const ct = readNifti({ bytes: readFileSync(resolve(dir, 'ct.nii.gz')), source: 'ct.nii.gz', units: 'HU' }).volumes[0]!;
    const ref = readNifti({ bytes: readFileSync(resolve(dir, 'reference-total-fast.nii.gz')), source: 'reference-total-fast.nii.gz', units: 'label' }).volumes[0]!;
    const ts = JSON.parse(readFileSync(resolve(dir, '../labels-totalsegmentator-total.json'), 'utf8')) as Record<string, string>;
    const spine = segmentSpineCt({ volume: ct });
    const result = segmentSurroundingsCt({ volume: ct, spine });
    const keepOut = new Set<string>(SURROUNDINGS_KEEP_OUT_NAMES);
    const evaluation = evaluateSurroundings({
      ours: result.labels,
      ourNames: new Map(result.legend.labels.map((e) => [e.value, e.name])),
      isKeepOut: (n) => keepOut.has(n),
      reference: ref,
      referenceNames: new Map(Object.entries(ts).map(([v, n]) => [Number(v), n])),
      keepOutStructures: KEEP_OUT_REFERENCE,
    });
    const table = formatSurroundingsEvaluation(evaluation);
    console.log(`real CT surroundings (${result.corridorSlices} corridor slices)\n${table}`);
    const golden = resolve(import.meta.dirname, 'real-ct-eval.txt');
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(golden, table);
    // The figures depend on segmentSpineCt (another module, still changing): a table that differs from the
    // committed golden is reported, not failed; the floors below are asserted.
    if (existsSync(golden) && readFileSync(golden, 'utf8') !== table) console.warn('surroundings: the table differs from real-ct-eval.txt (UPDATE_GOLDEN=1 to refresh it)');
    const row = (name: string) => evaluation.coverage.find((r) => r.name === name)!;
    // Coverage near L3–S1 with the 5 mm dilation (the planner's viscera margin): every structure ≥ 99 % (target met).
    for (const name of KEEP_OUT_REFERENCE) expect(row(name).nearCoveredDilated / row(name).nearVoxels, name).toBeGreaterThanOrEqual(0.99);
    // Without dilation: great vessels, bowel and left kidney ≥ 97 % (regression floor; the target is 99 %).
    for (const name of KEEP_OUT_REFERENCE) expect(row(name).nearCovered / row(name).nearVoxels, name).toBeGreaterThanOrEqual(0.97);
    for (const open of evaluation.open) {
      // Paraspinal ≥ 90 % open near L3–S1 (target 95 %); posterior psoas ≥ 60 % (target 80 %: not reached, README).
      const floor = open.name.startsWith('autochthon') ? 0.9 : 0.6;
      expect(open.nearOpen / open.nearVoxels, open.name).toBeGreaterThanOrEqual(floor);
    }
  });
});
