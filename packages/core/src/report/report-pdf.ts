import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import type { FindingsReport } from './report-model.ts';

/**
 * The findings report as PDF, with pdf-lib (pure JavaScript, no native code, runs in Node and the browser; chosen over
 * pdfkit, which is built on Node streams and needs bundler shims in the browser, and jsPDF, which is browser-first
 * with its HTML path needing a DOM). A4 pages: header, graded findings, correlation, measurements, key images; the
 * disclaimer and the uncertainty line in the footer of every page.
 */
const A4: [number, number] = [595.28, 841.89];
const MARGIN = 40;
const FOOTER = 46;

/** Characters the standard fonts' WinAnsi encoding lacks, written the way a reader expects. */
const REPLACE: Readonly<Record<string, string>> = { '≥': '>=', '≤': '<=', '→': '->', '←': '<-', '−': '-', '✗': 'x', '✓': 'ok', '′': "'", '±': '+/-' };
const WIN_ANSI_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');

export function winAnsi(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (REPLACE[ch] !== undefined) out += REPLACE[ch];
    else if ((code >= 32 && code <= 126) || (code >= 160 && code <= 255) || WIN_ANSI_EXTRA.has(ch)) out += ch;
    else if (ch === '\n' || ch === '\t') out += ' ';
    else out += '?';
  }
  return out;
}

function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of winAnsi(text).split(/\s*\n\s*/)) {
    let line = '';
    for (const word of paragraph.split(' ')) {
      const next = line === '' ? word : `${line} ${word}`;
      if (font.widthOfTextAtSize(next, size) <= width || line === '') {
        // A single word wider than the cell is cut.
        line = next;
        while (font.widthOfTextAtSize(line, size) > width && line.length > 1) {
          let cut = line.length - 1;
          while (cut > 1 && font.widthOfTextAtSize(line.slice(0, cut), size) > width) cut--;
          lines.push(line.slice(0, cut));
          line = line.slice(cut);
        }
      } else {
        lines.push(line);
        line = word;
      }
    }
    lines.push(line);
  }
  return lines;
}

interface Layout {
  readonly doc: PDFDocument;
  readonly font: PDFFont;
  readonly bold: PDFFont;
  page: PDFPage;
  y: number;
}

function newPage(layout: Layout): void {
  layout.page = layout.doc.addPage(A4);
  layout.y = A4[1] - MARGIN;
}

function ensure(layout: Layout, height: number): void {
  if (layout.y - height < MARGIN + FOOTER) newPage(layout);
}

function paragraph(layout: Layout, text: string, options: { size?: number; bold?: boolean; colour?: [number, number, number]; indent?: number } = {}): void {
  const size = options.size ?? 9;
  const font = options.bold === true ? layout.bold : layout.font;
  const indent = options.indent ?? 0;
  for (const line of wrap(text, font, size, A4[0] - 2 * MARGIN - indent)) {
    ensure(layout, size * 1.3);
    layout.page.drawText(line, { x: MARGIN + indent, y: layout.y - size, size, font, color: rgb(...(options.colour ?? [0, 0, 0])) });
    layout.y -= size * 1.3;
  }
}

function heading(layout: Layout, text: string): void {
  ensure(layout, 40);
  layout.y -= 8;
  paragraph(layout, text, { size: 12, bold: true });
  layout.y -= 2;
}

function drawTable(layout: Layout, columns: readonly string[], widths: readonly number[], rows: ReadonlyArray<readonly string[]>, shade?: readonly boolean[]): void {
  const size = 7.5;
  const pad = 2.5;
  const line = size * 1.25;
  const total = widths.reduce((a, b) => a + b, 0);
  const scaleW = (A4[0] - 2 * MARGIN) / total;
  const w = widths.map((x) => x * scaleW);
  const drawRow = (cells: readonly string[], bold: boolean, fill?: [number, number, number]): void => {
    const font = bold ? layout.bold : layout.font;
    const wrapped = cells.map((c, i) => wrap(c, font, size, w[i]! - 2 * pad));
    const height = Math.max(...wrapped.map((l) => l.length)) * line + 2 * pad;
    ensure(layout, height);
    let x = MARGIN;
    wrapped.forEach((lines, i) => {
      layout.page.drawRectangle({ x, y: layout.y - height, width: w[i]!, height, borderColor: rgb(0.6, 0.6, 0.6), borderWidth: 0.5, ...(fill !== undefined ? { color: rgb(...fill) } : {}) });
      lines.forEach((text, k) => layout.page.drawText(text, { x: x + pad, y: layout.y - pad - size - k * line, size, font }));
      x += w[i]!;
    });
    layout.y -= height;
  };
  drawRow(columns, true, [0.92, 0.92, 0.92]);
  rows.forEach((r, i) => drawRow(r, false, shade?.[i] === true ? [1, 0.95, 0.84] : undefined));
  layout.y -= 6;
}

export async function renderReportPdf(report: FindingsReport): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle(winAnsi(report.title));
  doc.setProducer(winAnsi(report.software));
  doc.setCreator('Keyhole');
  // Fixed dates: the same report gives the same bytes.
  const when = new Date(report.generatedAt);
  if (Number.isFinite(when.getTime())) {
    doc.setCreationDate(when);
    doc.setModificationDate(when);
  }
  const layout: Layout = { doc, font: await doc.embedFont(StandardFonts.Helvetica), bold: await doc.embedFont(StandardFonts.HelveticaBold), page: doc.addPage(A4), y: A4[1] - MARGIN };

  paragraph(layout, report.title, { size: 16, bold: true });
  layout.y -= 4;
  paragraph(layout, report.disclaimer, { size: 10, bold: true, colour: [0.7, 0, 0] });
  layout.y -= 4;
  drawTable(layout, ['', ''], [1, 3], report.header.map(([k, v]) => [k, v]));

  heading(layout, 'Uncertainties');
  for (const u of report.uncertainties) paragraph(layout, `- ${u}`, { indent: 6 });

  heading(layout, 'Graded findings per level');
  if (report.findings.length === 0) paragraph(layout, 'No finding was graded.');
  else drawTable(layout, ['Level', 'Finding', 'Grade', 'Measurement', 'Source', 'Conf.', 'Review'], [1, 3, 2.4, 2, 2.6, 0.8, 1], report.findings.map((f) => [f.level, f.finding, f.grade, f.measurement, f.source, f.confidence, f.review ? 'needs review' : '']), report.findings.map((f) => f.review));

  heading(layout, 'Clinical correlation');
  if (report.correlation === undefined) paragraph(layout, 'No examination was given: findings are not correlated with symptoms.');
  else {
    paragraph(layout, report.correlation.notice, { size: 8 });
    paragraph(layout, `Urgency: ${report.correlation.urgency}`, { bold: true });
    paragraph(layout, 'Implicated roots:', { bold: true });
    for (const r of report.correlation.roots) paragraph(layout, `- ${r}`, { indent: 6 });
    paragraph(layout, 'Candidate level-zone-side:', { bold: true });
    for (const r of report.correlation.candidates) paragraph(layout, `- ${r}`, { indent: 6 });
    paragraph(layout, 'Imaging findings against the examination:', { bold: true });
    for (const r of report.correlation.concordance) paragraph(layout, `- ${r}`, { indent: 6 });
  }

  heading(layout, 'Measurements per level');
  drawTable(layout, report.discColumns, [1, 2, 1, 1, 1, 1, 1.1], report.discs.map((r) => r.cells));
  drawTable(layout, report.vertebraColumns, [1, 2, 1, 1, 1], report.vertebrae.map((r) => r.cells));

  if (report.structuredOutputs.length > 0) {
    heading(layout, 'Structured outputs');
    for (const o of report.structuredOutputs) paragraph(layout, `- ${o}`, { indent: 6 });
  }

  // Key images: two per row, each scaled to half the text width, caption below.
  heading(layout, 'Key images');
  const columnWidth = (A4[0] - 2 * MARGIN - 12) / 2;
  let column = 0;
  let rowHeight = 0;
  let rowTop = layout.y;
  for (const key of report.keyImages) {
    const png = await doc.embedPng(key.png);
    const s = Math.min(columnWidth / key.width, 300 / key.height);
    const w = key.width * s, h = key.height * s;
    const captionLines = wrap(key.caption.startsWith(key.level) ? key.caption : `${key.level}: ${key.caption}`, layout.font, 8, columnWidth);
    const need = h + captionLines.length * 10 + 10;
    if (column === 1 && rowTop - need < MARGIN + FOOTER) {
      // The second image of a row must fit beside the first; otherwise it starts the next row.
      layout.y = rowTop - rowHeight;
      column = 0;
    }
    if (column === 0) {
      ensure(layout, need);
      rowTop = layout.y;
      rowHeight = 0;
    }
    const x = MARGIN + column * (columnWidth + 12);
    layout.page.drawImage(png, { x, y: rowTop - h, width: w, height: h });
    captionLines.forEach((text, k) => layout.page.drawText(text, { x, y: rowTop - h - 10 - k * 10, size: 8, font: layout.font }));
    rowHeight = Math.max(rowHeight, need);
    column = (column + 1) % 2;
    layout.y = rowTop - rowHeight;
  }
  layout.y -= 6;
  paragraph(layout, `Generated ${report.generatedAt} by ${report.software}.`, { size: 8 });

  // Footer on every page: the disclaimer, the uncertainty line, the page number.
  const pages = doc.getPages();
  pages.forEach((page, i) => {
    page.drawLine({ start: { x: MARGIN, y: MARGIN + FOOTER - 8 }, end: { x: A4[0] - MARGIN, y: MARGIN + FOOTER - 8 }, thickness: 0.5, color: rgb(0.5, 0.5, 0.5) });
    page.drawText(winAnsi(report.disclaimer), { x: MARGIN, y: MARGIN + FOOTER - 20, size: 8.5, font: layout.bold, color: rgb(0.7, 0, 0) });
    wrap(report.uncertaintySummary, layout.font, 7.5, A4[0] - 2 * MARGIN - 60).slice(0, 2).forEach((text, k) => page.drawText(text, { x: MARGIN, y: MARGIN + FOOTER - 31 - 9 * k, size: 7.5, font: layout.font }));
    page.drawText(`page ${i + 1} of ${pages.length}`, { x: A4[0] - MARGIN - 50, y: MARGIN + FOOTER - 31, size: 7.5, font: layout.font });
  });
  return doc.save({ useObjectStreams: false });
}
