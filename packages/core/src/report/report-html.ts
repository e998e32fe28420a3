import { base64 } from './png.ts';
import type { FindingsReport } from './report-model.ts';

/**
 * The findings report as one self-contained HTML page (key images inline as PNG data URIs): what the workstation
 * shows and prints. The disclaimer and the uncertainty line sit in a footer that print repeats on every page.
 */
const escape = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function table(columns: readonly string[], rows: ReadonlyArray<readonly string[]>, reviewRows?: readonly boolean[]): string {
  const head = `<tr>${columns.map((c) => `<th>${escape(c)}</th>`).join('')}</tr>`;
  const body = rows.map((r, i) => `<tr${reviewRows?.[i] === true ? ' class="review"' : ''}>${r.map((c) => `<td>${escape(c)}</td>`).join('')}</tr>`).join('\n');
  return `<table>\n<thead>${head}</thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
}

export function renderReportHtml(report: FindingsReport): string {
  const footer = `<footer><strong>${escape(report.disclaimer)}</strong> ${escape(report.uncertaintySummary)}</footer>`;
  const findingRows = report.findings.map((f) => [f.level, f.finding, f.grade, f.measurement, f.source, f.confidence, f.review ? 'needs review' : '']);
  const images = report.keyImages
    .map((k) => `<figure><img alt="${escape(k.caption)}" width="${k.width}" height="${k.height}" src="data:image/png;base64,${base64(k.png)}"><figcaption>${escape(k.caption.startsWith(k.level) ? k.caption : `${k.level}: ${k.caption}`)}</figcaption></figure>`)
    .join('\n');
  const correlation = report.correlation === undefined
    ? '<p>No examination was given: findings are not correlated with symptoms.</p>'
    : `<p class="notice">${escape(report.correlation.notice)}</p>
<p><strong>Urgency:</strong> ${escape(report.correlation.urgency)}</p>
<h3>Implicated roots</h3><ul>${report.correlation.roots.map((r) => `<li>${escape(r)}</li>`).join('')}</ul>
<h3>Candidate level–zone–side</h3><ol>${report.correlation.candidates.map((r) => `<li>${escape(r)}</li>`).join('')}</ol>
<h3>Imaging findings against the examination</h3><ul>${report.correlation.concordance.map((r) => `<li>${escape(r)}</li>`).join('')}</ul>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escape(report.title)}</title>
<style>
body { font: 13px/1.4 system-ui, sans-serif; margin: 24px 24px 64px; color: #111; }
h1 { font-size: 20px; margin: 0 0 8px; } h2 { font-size: 16px; margin: 20px 0 6px; } h3 { font-size: 14px; margin: 10px 0 4px; }
table { border-collapse: collapse; margin: 6px 0; } th, td { border: 1px solid #bbb; padding: 3px 6px; text-align: left; vertical-align: top; }
th { background: #eee; } tr.review td { background: #fff4d6; }
.header td:first-child { font-weight: 600; }
.disclaimer { border: 2px solid #b00; padding: 6px 10px; font-weight: 600; }
figure { display: inline-block; margin: 6px; vertical-align: top; max-width: 48%; } figure img { max-width: 100%; height: auto; background: #000; }
figcaption { font-size: 12px; }
footer { position: fixed; bottom: 0; left: 0; right: 0; background: #fff; border-top: 1px solid #999; padding: 6px 24px; font-size: 11px; }
@media print { figure { break-inside: avoid; } }
</style>
</head>
<body>
<h1>${escape(report.title)}</h1>
<p class="disclaimer">${escape(report.disclaimer)}</p>
<table class="header"><tbody>${report.header.map(([k, v]) => `<tr><td>${escape(k)}</td><td>${escape(v)}</td></tr>`).join('')}</tbody></table>
<h2>Uncertainties</h2>
<ul>${report.uncertainties.map((u) => `<li>${escape(u)}</li>`).join('')}</ul>
<h2>Graded findings per level</h2>
${report.findings.length === 0 ? '<p>No finding was graded.</p>' : table(['Level', 'Finding', 'Grade', 'Measurement', 'Source', 'Confidence', 'Review'], findingRows, report.findings.map((f) => f.review))}
<h2>Clinical correlation</h2>
${correlation}
<h2>Measurements per level</h2>
${table(report.discColumns, report.discs.map((r) => r.cells))}
${table(report.vertebraColumns, report.vertebrae.map((r) => r.cells))}
${report.structuredOutputs.length > 0 ? `<h2>Structured outputs</h2><ul>${report.structuredOutputs.map((o) => `<li>${escape(o)}</li>`).join('')}</ul>` : ''}
<h2>Key images</h2>
${images}
<p>Generated ${escape(report.generatedAt)} by ${escape(report.software)}.</p>
${footer}
</body>
</html>
`;
}
