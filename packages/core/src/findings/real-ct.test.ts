/**
 * Findings on the real abdominal–pelvic CT (3 mm) with TotalSegmentator's vertebrae as the label map
 * (`../shared/data/ct-abdomen-pelvis-3mm`): vertebral body heights L1–L5 measured as TotalSegmentator's spine
 * report measures them, against its report (`reference-spine-report.json`), and the compression fractures it flags
 * (L4, L5). The table is printed.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readNifti } from '../nifti/index.ts';
import { findingsFromLabelMap } from './findings-from-label-map.ts';
import { formatFindingsTables } from './format-table.ts';

const repoRoot = resolve(import.meta.dirname, '../../../..');
const dir = resolve(repoRoot, '../shared/data/ct-abdomen-pelvis-3mm');
const present = existsSync(resolve(dir, 'ct.nii.gz')) && existsSync(resolve(dir, 'reference-vertebrae.nii.gz')) && existsSync(resolve(dir, 'reference-spine-report.json'));
if (!present) console.warn('findings real CT test skipped: ../shared/data/ct-abdomen-pelvis-3mm is absent');

describe.skipIf(!present)('findingsFromLabelMap on the real CT with TotalSegmentator vertebrae (needs ../shared/data/ct-abdomen-pelvis-3mm)', () => {
  it('measures L1–L5 body heights within 3 mm of TotalSegmentator\'s spine report and flags the fractures it flags (L4, L5)', () => {
    const image = readNifti({ bytes: readFileSync(resolve(dir, 'ct.nii.gz')), source: 'ct.nii.gz', units: 'HU' }).volumes[0]!;
    const labels = readNifti({ bytes: readFileSync(resolve(dir, 'reference-vertebrae.nii.gz')), source: 'reference-vertebrae.nii.gz', units: 'label' }).volumes[0]!;
    const legend = JSON.parse(readFileSync(resolve(dir, '../labels-totalsegmentator-total.json'), 'utf8')) as Record<string, string>;
    const report = (JSON.parse(readFileSync(resolve(dir, 'reference-spine-report.json'), 'utf8')) as { results: Record<string, number> }).results;
    const result = findingsFromLabelMap({ image, labels, legend });
    console.log(formatFindingsTables(result));
    const rows: string[] = ['vertebra  position   ours   TotalSegmentator  difference'];
    let worst = 0;
    for (const name of ['L1', 'L2', 'L3', 'L4', 'L5']) {
      const v = result.vertebrae.find((x) => x.name === name);
      expect(v?.totalSegmentatorHeights, name).toBeDefined();
      for (const position of ['anterior', 'middle', 'posterior'] as const) {
        const ours = v!.totalSegmentatorHeights![position].value;
        const theirs = report[`vertebrae_${name}_height_${position}_mm`]!;
        worst = Math.max(worst, Math.abs(ours - theirs));
        rows.push(`${name.padEnd(9)} ${position.padEnd(9)} ${ours.toFixed(1).padStart(5)}  ${theirs.toFixed(1).padStart(15)}  ${(ours - theirs).toFixed(1).padStart(10)}`);
        expect(Math.abs(ours - theirs), `${name} ${position}: ours ${ours.toFixed(1)} mm, report ${theirs} mm`).toBeLessThanOrEqual(3);
      }
    }
    console.log(`${rows.join('\n')}\nworst difference ${worst.toFixed(1)} mm`);
    const fractures = result.findings.findings.filter((f) => f.kind === 'compression-fracture').map((f) => f.level);
    expect(fractures).toContain('L4');
    expect(fractures).toContain('L5');
  });
});
