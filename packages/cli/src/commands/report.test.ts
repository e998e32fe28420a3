/**
 * keyhole report on a phantom CT (DICOM) with a herniation, its truth label map and an examination: the PDF checked
 * as pages with poppler (Debian poppler-utils: pdftotext for the text, pdftoppm for the page images). The page
 * checks skip when poppler is absent and fail when CI is set.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decode } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { keyhole, tool } from '../test-support.ts';

const poppler = spawnSync('pdftotext', ['-v']).error === undefined && spawnSync('pdftoppm', ['-v']).error === undefined;
if (!poppler && process.env['CI'] !== undefined) throw new Error('pdftotext/pdftoppm (Debian poppler-utils) are required in CI');
if (!poppler) console.warn('keyhole report page checks skipped: pdftotext/pdftoppm (Debian poppler-utils) not installed');

describe('keyhole report', () => {
  it('refuses a study without an anatomy model and says what to do', async () => {
    const run = await keyhole(['report', '--volume', 'no-such-study', '-o', 'x.pdf']);
    expect(run.code).toBe(4);
    expect(run.stderr).toMatch(/needs an anatomy model: run keyhole segment or pass --labels/);
  });

  it.skipIf(!poppler)('writes a PDF and HTML report of a phantom with a herniation: header, findings with grades, correlation, disclaimer on every page, key images', { timeout: 480_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'keyhole-report-'));
    const out = join(dir, 'p');
    const made = await keyhole(['phantom', '-o', out, '--modality', 'ct', '--seed', '11', '--levels', 'L3-S1', '--pathology', 'herniation:L4-L5:left:subarticular:extrusion']);
    expect(made.code, made.stderr).toBe(0);
    const series = readdirSync(join(out, 'dicom'))[0]!;
    const exam = {
      complaint: 'radicular', side: 'left', painRegions: ['buttock', 'posterior-thigh', 'lateral-calf', 'dorsum-foot'], sensoryLoss: ['dorsum-foot'],
      weakness: { 'great-toe-extension': 4 }, reflexes: { achilles: 'normal', patellar: 'normal' }, tests: { slr: 'positive' }, redFlags: [],
    };
    writeFileSync(join(dir, 'exam.json'), JSON.stringify(exam));
    const pdf = join(dir, 'report.pdf'), html = join(dir, 'report.html'), sr = join(dir, 'findings-sr.dcm'), seg = join(dir, 'labels-seg.dcm');
    const run = await keyhole(['report', '--volume', join(out, 'dicom', series), '--labels', join(out, 'truth.nii.gz'), '--legend', join(out, 'truth-legend.json'), '--exam', join(dir, 'exam.json'), '-o', pdf, '--html', html, '--sr', sr, '--seg', seg, '--json']);
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout) as { keyImages: number; findings: number; correlated: boolean };
    expect(summary.correlated).toBe(true);
    expect(summary.keyImages).toBeGreaterThanOrEqual(2);

    const text = spawnSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
    expect(text.status).toBe(0);
    const pages = text.stdout.split('\f').filter((p) => p.trim().length > 0);
    expect(pages.length).toBeGreaterThanOrEqual(2);
    for (const page of pages) expect(page.replace(/\s+/g, ' ')).toContain('Keyhole supports decisions and does not replace clinical judgement');
    const all = text.stdout.replace(/\s+/g, ' ');
    for (const level of ['L3', 'L4', 'L5', 'L4-L5']) expect(all).toContain(level);
    // Table cells wrap, so the words are checked one by one.
    for (const word of ['extrusion', 'subarticular', 'DSCA']) expect(all).toContain(word);
    expect(all).toContain('[Fardon, Radiopaedia-Nom]');
    expect(all).toMatch(/Urgency: (ELECTIVE|URGENT)/);
    expect(all).toContain('Mid-sagittal slice');
    // Where the DICOM SR and SEG of the findings went, and that both pass dciodvfy (Debian dicom3tools).
    expect(all).toContain('Structured outputs');
    expect(all).toContain('findings-sr.dcm');
    expect(all).toContain('labels-seg.dcm');
    if (tool('dciodvfy')) {
      for (const file of [sr, seg]) {
        const checked = spawnSync('dciodvfy', [file], { encoding: 'utf8' });
        const errors = `${checked.stdout}${checked.stderr}`.split('\n').filter((line) => /^Error/.test(line.trim()));
        expect(errors, `${file}: ${checked.stderr}`).toEqual([]);
      }
    }
    // The phantom's patient header (not de-identified).
    expect(all).toMatch(/Patient ID/);

    const ppm = spawnSync('pdftoppm', ['-r', '50', '-png', pdf, join(dir, 'page')]);
    expect(ppm.status).toBe(0);
    const pngs = readdirSync(dir).filter((f) => /^page-\d+\.png$/.test(f)).sort();
    expect(pngs.length).toBe(pages.length);
    const picturePages = pngs.filter((f) => {
      const page = decode(readFileSync(join(dir, f)));
      let ink = 0, coloured = 0;
      for (let q = 0; q < page.width * page.height; q++) {
        const r = page.data[page.channels * q]!, g = page.data[page.channels * q + 1]!, b = page.data[page.channels * q + 2]!;
        if (r + g + b < 600) ink++;
        if (Math.max(r, g, b) - Math.min(r, g, b) > 120) coloured++;
      }
      return ink / (page.width * page.height) > 0.15 && coloured > 100;
    });
    expect(picturePages.length).toBeGreaterThanOrEqual(1);

    const page = readFileSync(html, 'utf8');
    expect(page).toContain('Keyhole supports decisions and does not replace clinical judgement');
    expect(page.match(/<img /g)?.length).toBe(summary.keyImages);

    const anonymous = await keyhole(['report', '--volume', join(out, 'dicom', series), '--labels', join(out, 'truth.nii.gz'), '--legend', join(out, 'truth-legend.json'), '-o', join(dir, 'anon.pdf'), '--html', join(dir, 'anon.html'), '--deidentify']);
    expect(anonymous.code, anonymous.stderr).toBe(0);
    const anonHtml = readFileSync(join(dir, 'anon.html'), 'utf8');
    expect(anonHtml).toContain('de-identified');
    expect(anonHtml).not.toContain('Patient ID');
  });
});
