import type { FindingsResult } from './types.ts';

/** Plain-text tables of the per-level measurements (tests and `keyhole analyze` print them). */
export function formatFindingsTables(result: FindingsResult): string {
  const f = (x: number | undefined, digits = 1): string => (x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(digits));
  const lines: string[] = [];
  lines.push('vertebra  ant   mid   post  | TS post  mid   ant  diff | loss%  Genant  HU     vol ml');
  for (const v of result.vertebrae) {
    const h = v.heights, t = v.totalSegmentatorHeights;
    lines.push(
      `${v.name.padEnd(8)} ${f(h?.anterior.value).padStart(5)} ${f(h?.middle.value).padStart(5)} ${f(h?.posterior.value).padStart(5)} | ` +
        `${f(t?.posterior.value).padStart(6)} ${f(t?.middle.value).padStart(5)} ${f(t?.anterior.value).padStart(5)} ${f(t?.heightDifference, 2).padStart(5)} | ` +
        `${f(v.heightLoss?.value, 0).padStart(5)} ${String(v.genantGrade ?? '—').padStart(6)}  ${f(v.boneDensity?.value, 0).padStart(5)} ${f(v.volumeMl, 1).padStart(7)}${v.complete ? '' : '  (cut by FOV)'}`,
    );
  }
  lines.push('');
  lines.push('disc      ant   mid   post  angle | slip%  Meyer | DSCA mm²  AP mm  loss%  Lurie    | herniation');
  for (const d of result.discs) {
    const h = d.heights;
    const hn = d.herniation;
    const hern = hn?.type === undefined ? '—' : `${hn.type} ${hn.zone} ${hn.side} ${f(hn.sizeMm)} mm${hn.migration ? ` migrated ${hn.migration.direction} ${hn.migration.grade}${hn.migration.leeZone ? ' zone ' + hn.migration.leeZone : ''}` : ''}`;
    lines.push(
      `${d.name.padEnd(8)} ${f(h?.anterior.value).padStart(5)} ${f(h?.middle.value).padStart(5)} ${f(h?.posterior.value).padStart(5)} ${f(d.segmentalAngle?.value).padStart(6)} | ` +
        `${f(d.slip?.value).padStart(5)} ${(d.slip?.meyerding ?? '—').padStart(5)} | ${f(d.duralSacArea?.value, 0).padStart(8)} ${f(d.apDiameter?.value).padStart(6)} ${f(d.areaLoss?.value, 0).padStart(6)}  ${(d.lurie ?? '—').padEnd(8)} | ${hern}`,
    );
  }
  if (result.lordosis !== undefined) lines.push(`\nlordosis ${result.lordosis.from}–${result.lordosis.to}: ${result.lordosis.value.toFixed(1)}°`);
  lines.push(`findings: ${result.findings.findings.length === 0 ? 'none' : result.findings.findings.map((x) => `${x.kind}@${x.level}`).join(', ')}`);
  for (const note of result.notes) lines.push(`note: ${note}`);
  return lines.join('\n');
}
