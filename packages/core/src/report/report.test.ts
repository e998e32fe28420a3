/**
 * The findings report on a phantom with a known herniation (truth label map as input): key images rendered from the
 * volume and label map, the HTML page, and the PDF checked as pages with poppler (Debian's poppler-utils: pdftoppm
 * renders each page to PNG, pdftotext extracts its text). The tools' checks skip when poppler is absent, and fail
 * when CI is set.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decode } from 'fast-png';
import { afterAll, describe, expect, it } from 'vitest';
import { correlate } from '../clinical/correlate.ts';
import { validateExam } from '../clinical/index.ts';
import { findingsFromLabelMap } from '../findings/findings-from-label-map.ts';
import { generatePhantomStudy } from '../phantom/study.ts';
import { renderKeyImages } from './key-images.ts';
import { buildFindingsReport, DISCLAIMER } from './report-model.ts';
import { renderReportHtml } from './report-html.ts';
import { renderReportPdf, winAnsi } from './report-pdf.ts';
import { renderSlice } from './slice-render.ts';

const env = (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env ?? {};
const poppler = spawnSync('pdftoppm', ['-v'], { encoding: 'utf8' }).error === undefined && spawnSync('pdftotext', ['-v'], { encoding: 'utf8' }).error === undefined;
if (!poppler && env['CI'] !== undefined) throw new Error('pdftoppm/pdftotext (Debian poppler-utils) are required in CI');
if (!poppler) console.warn('report PDF page checks skipped: pdftoppm/pdftotext (Debian poppler-utils) not installed');

const study = generatePhantomStudy({
  seed: 7, modality: 'ct', dicom: false, levels: { from: 'T12', to: 'sacrum' },
  pathology: [{ kind: 'disc-herniation', level: 'L4-L5', zone: 'subarticular', side: 'left', type: 'extrusion', sizeMm: 11 }],
});
const series = study.series[0]!;
const legend = study.truthJson.legend as Record<string, string>;
const result = findingsFromLabelMap({ image: series.volume, labels: series.labels, legend });
const keyImages = renderKeyImages({ image: series.volume, labels: series.labels, legend, result });
const exam = validateExam({ complaint: 'radicular', side: 'left', durationWeeks: 10, conservativeCareWeeks: 8, painRegions: ['buttock', 'posterior-thigh', 'lateral-calf', 'dorsum-foot'], sensoryLoss: ['dorsum-foot'], weakness: { 'great-toe-extension': 4 }, reflexes: { achilles: 'normal', patellar: 'normal' }, tests: { slr: 'positive', 'femoral-stretch': 'negative' }, redFlags: [] }, 'exam.json');
const report = buildFindingsReport({
  result, keyImages, correlation: correlate({ exam, findings: result.findings }),
  header: { patientName: 'PHANTOM^SEVEN', patientId: 'PH-7', studyDate: '20260101', modality: 'CT', studyDescription: 'lumbar spine phantom' },
  generatedAt: '2026-01-01T00:00:00Z', software: 'Keyhole test',
});
const dir = mkdtempSync(join(tmpdir(), 'keyhole-report-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('key images', () => {
  it('renders a mid-sagittal slice naming the lumbar vertebrae and an axial slice per finding with the herniation outlined', () => {
    expect(result.findings.findings.some((f) => f.kind === 'disc-herniation' && f.level === 'L4-L5')).toBe(true);
    const sagittal = keyImages[0]!;
    expect(sagittal.kind).toBe('mid-sagittal');
    expect(sagittal.orientation).toBe('sagittal');
    for (const name of ['L1', 'L2', 'L3', 'L4', 'L5']) expect(sagittal.names).toContain(name);
    const hern = keyImages.find((k) => k.kind === 'disc-herniation' && k.level === 'L4-L5');
    expect(hern?.orientation).toBe('axial');
    // The PNG decodes, and the herniation's outline colour (pure red) is on it.
    const png = decode(hern!.png);
    expect([png.width, png.height]).toEqual([hern!.width, hern!.height]);
    let red = 0;
    for (let q = 0; q < png.width * png.height; q++) if (png.data[4 * q] === 255 && png.data[4 * q + 1] === 40 && png.data[4 * q + 2] === 40) red++;
    expect(red).toBeGreaterThan(20);
  });

  it('puts the patient\'s left on the image\'s right of an axial slice (radiological convention)', () => {
    // A herniation on the left: its outline pixels sit right of the image centre.
    const disc = result.discs.find((d) => d.name === 'L4-L5')!;
    const names = new Map(Object.entries(legend).map(([v, n]) => [Number(v), n]));
    const slice = renderSlice({ image: series.volume, labels: series.labels, names, plane: disc.midPlane!, widthMm: 110, heightMm: 90, highlight: new Set([Number(Object.entries(legend).find(([, n]) => n === 'herniation_L4-L5')![0])]) });
    let sx = 0, n = 0;
    for (let y = 0; y < slice.height; y++) for (let x = 0; x < slice.width; x++) {
      const o = 4 * (y * slice.width + x);
      if (slice.data[o] === 255 && slice.data[o + 1] === 40 && slice.data[o + 2] === 40) { sx += x; n++; }
    }
    expect(n).toBeGreaterThan(0);
    expect(sx / n).toBeGreaterThan(slice.width / 2);
  });
});

describe('findings report', () => {
  it('writes an HTML page with the header, the graded findings, the correlation, the disclaimer and the key images', () => {
    const html = renderReportHtml(report);
    writeFileSync(join(dir, 'report.html'), html);
    expect(html).toContain(DISCLAIMER);
    expect(html).toContain('PHANTOM^SEVEN');
    expect(html).toContain('L4-L5');
    expect(html).toContain('[Fardon, Radiopaedia-Nom]');
    expect(html).toContain('Urgency:');
    expect(html.match(/<img /g)?.length).toBe(keyImages.length);
  });

  it('leaves the direct identifiers out when de-identified', () => {
    const anonymous = buildFindingsReport({ result, keyImages: [], header: { patientName: 'PHANTOM^SEVEN', patientId: 'PH-7', accessionNumber: 'A1', studyDate: '20260101' }, deidentify: true, generatedAt: '2026-01-01T00:00:00Z' });
    const html = renderReportHtml(anonymous);
    expect(html).not.toContain('PHANTOM^SEVEN');
    expect(html).not.toContain('PH-7');
    expect(html).not.toContain('A1<');
    expect(html).toContain('de-identified');
  });

  it('keeps text the PDF fonts cannot encode readable', () => {
    expect(winAnsi('≥ 95% → L4–L5, 75 mm², Schönström')).toBe('>= 95% -> L4–L5, 75 mm², Schönström');
  });

  it.skipIf(!poppler)('writes a PDF whose pages (pdftoppm) show the key images and whose text (pdftotext) has the levels, grades and disclaimer', { timeout: 120_000 }, async () => {
    const pdf = await renderReportPdf(report);
    const file = join(dir, 'report.pdf');
    writeFileSync(file, pdf);
    const text = spawnSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    expect(text.status).toBe(0);
    const pages = text.stdout.split('\f').filter((p) => p.trim().length > 0);
    expect(pages.length).toBeGreaterThanOrEqual(2);
    // The disclaimer and the uncertainty line on every page.
    for (const page of pages) {
      expect(page.replace(/\s+/g, ' ')).toContain(DISCLAIMER);
      expect(page).toContain('Uncertainties:');
    }
    const all = text.stdout.replace(/\s+/g, ' ');
    for (const level of ['L1', 'L2', 'L3', 'L4', 'L5', 'L4-L5']) expect(all).toContain(level);
    const hern = report.findings.find((f) => f.level === 'L4-L5' && f.finding.startsWith('Disc'))!;
    expect(all).toContain(hern.grade.split(',')[0]!);
    expect(all).toContain('Mid-sagittal slice');
    // Pages as images: the page with the key images has large dark (image) regions with coloured outline pixels.
    const ppm = spawnSync('pdftoppm', ['-r', '50', '-png', file, join(dir, 'page')], { encoding: 'utf8' });
    expect(ppm.status).toBe(0);
    const pngs = readdirSync(dir).filter((f) => /^page-\d+\.png$/.test(f)).sort();
    expect(pngs.length).toBe(pages.length);
    const stats = pngs.map((f) => {
      const page = decode(readFileSync(join(dir, f)));
      const channels = page.channels;
      let ink = 0, coloured = 0;
      for (let q = 0; q < page.width * page.height; q++) {
        const r = page.data[channels * q]!, g = page.data[channels * q + 1]!, b = page.data[channels * q + 2]!;
        if (r + g + b < 600) ink++;
        if (Math.max(r, g, b) - Math.min(r, g, b) > 120) coloured++;
      }
      return { ink: ink / (page.width * page.height), coloured };
    });
    // The key-image page is largely covered by pictures (CT greys with coloured outlines); text pages hold little ink.
    const pictures = stats.filter((s) => s.ink > 0.15 && s.coloured > 100);
    expect(pictures.length).toBeGreaterThanOrEqual(1);
    expect(stats[0]!.ink).toBeLessThan(0.15);
  });
});
