import type { CorrelationResult } from '@keyhole/core';

const percent = (x: number): string => (x < 0.005 ? '<1%' : x > 0.995 ? '>99%' : `${Math.round(x * 100)}%`).padStart(4);

function findingLabel(result: CorrelationResult, index: number): string {
  const f = result.findings[index]?.finding;
  if (f === undefined) return `#${index + 1}`;
  const parts: string[] = [f.level, f.kind];
  if (f.kind === 'disc-herniation') parts.push(f.type, f.zone, f.side);
  if ((f.kind === 'foraminal-stenosis' || f.kind === 'lateral-recess-stenosis') && f.side !== undefined) parts.push(f.side);
  if (f.kind === 'red-flag') parts.push(f.flag);
  return parts.join(' ');
}

/** The correlation as a surgeon reads it: urgency first, then roots, candidate levels, findings. */
export function formatCorrelation(result: CorrelationResult): string {
  const lines: string[] = [];
  lines.push('Keyhole MRI–clinical correlation');
  lines.push(result.notice);
  lines.push('');
  const u = result.urgency;
  lines.push(`Urgency: ${u.level.toUpperCase()}${u.caudaEquinaSuspected ? ' — suspected cauda equina syndrome: NOT for elective planning' : ''}`);
  for (const reason of u.reasons) lines.push(`  - ${reason.reason} ${reason.source}`);
  lines.push('');

  const e = result.exam;
  const weeks = (n: number): string => `${n} week${n === 1 ? '' : 's'}`;
  lines.push(`Examination: ${e.complaint}, ${e.side}${e.durationWeeks !== undefined ? `, ${weeks(e.durationWeeks)}` : ''}${e.conservativeCareWeeks !== undefined ? `, conservative care ${weeks(e.conservativeCareWeeks)}` : ''}`);
  if (result.upperMotorNeuronSigns.length > 0) lines.push(`  upper motor neuron signs: ${result.upperMotorNeuronSigns.join(', ')}`);
  lines.push('');

  lines.push('Implicated roots (likelihood, evidence):');
  if (result.roots.length === 0) lines.push('  none: the examination points to no single root');
  for (const root of result.roots) {
    lines.push(`  ${root.root.padEnd(3)} ${root.side.padEnd(11)} ${percent(root.likelihood)}`);
    for (const ev of root.evidence.filter((x) => x.kind !== 'prior')) lines.push(`      + ${ev.finding} ${ev.source}`);
    for (const ev of root.against) lines.push(`      − ${ev.finding} ${ev.source}`);
  }
  lines.push('');

  lines.push('Candidate level–zone–side (most likely first):');
  if (result.candidates.length === 0) lines.push('  none');
  result.candidates.slice(0, 6).forEach((c, i) => {
    const imaging = c.imaging !== undefined ? ` — imaging: finding #${c.imaging.findingIndex + 1} (${findingLabel(result, c.imaging.findingIndex)})` : '';
    const basis = c.basis.filter((b) => b !== 'numbering');
    lines.push(`  ${i + 1}. ${c.level} ${c.zone} ${c.side}`.padEnd(40) + `${percent(c.likelihood)}  ${c.roots.join(', ')}${basis.length > 0 ? ` [${basis.join(', ')}]` : ''}${imaging}`);
  });
  lines.push('');

  if (result.findings.length > 0) {
    lines.push('Imaging findings:');
    for (const f of result.findings) {
      lines.push(`  #${f.index + 1} ${findingLabel(result, f.index)}: ${f.concordance.toUpperCase()}${f.needsReview ? ' (needs review)' : ''}`);
      for (const reason of f.reasons) lines.push(`      ${reason}`);
    }
    lines.push('');
  }
  lines.push(`Level count: ${result.numbering.note}`);
  for (const note of result.notes) lines.push(`Note: ${note}`);
  return lines.join('\n');
}
