import type { SurgicalPlan } from './plan-surgery.ts';

const f1 = (v: number | null | undefined): string => (v === null || v === undefined ? '—' : v.toFixed(1));

/** The plan as text for people: approach and why, the best trajectory's numbers and clearances, warnings. */
export function formatPlan(plan: SurgicalPlan): string {
  const lines: string[] = [];
  lines.push(`Plan ${plan.level} ${plan.side} (level count: ${plan.levelCount.verified ? 'verified' : 'NOT verified'}, ${plan.levelCount.source})`);
  lines.push(`Approach: ${plan.approach.title}`);
  for (const r of plan.approach.reasons) lines.push(`  because ${r}`);
  for (const a of plan.approach.alternatives) lines.push(`  not ${a.approach}: ${a.why}`);
  const t = plan.trajectory;
  lines.push(`Transforaminal search: ${t.message}`);
  lines.push(`  target [${plan.target.map((v) => v.toFixed(1)).join(', ')}] LPS mm (${t.targetSource}); ${t.search.candidates} candidates, ${t.search.safe} safe, ${t.search.safeWithForaminoplasty} safe with foraminoplasty`);
  const b = plan.best;
  if (b !== undefined) {
    lines.push(`  entry [${b.entry.map((v) => v.toFixed(1)).join(', ')}] LPS mm: ${f1(b.entryFromMidlineMm)} mm from the midline, ${f1(b.entryHeightMm)} mm above the disc centre; depth to target ${f1(b.lengthMm)} mm`);
    lines.push(`  angles: ${f1(b.angles.fromCoronalPlaneDeg)}° from the coronal plane (axial view), ${f1(b.angles.toAxialPlaneDeg)}° to the axial plane, ${f1(b.angles.toSagittalPlaneDeg)}° to the sagittal plane; bull's-eye C-arm primary ${f1(b.bullsEye.primaryDeg)}°, secondary ${f1(b.bullsEye.secondaryDeg)}°`);
    lines.push(`  Kambin's triangle: ${b.kambin.passes ? 'passes' : 'does NOT pass'} (exiting root ${f1(b.kambin.exitingRootMm)} mm, traversing root ${f1(b.kambin.traversingRootMm)} mm, dural sac ${f1(b.kambin.duralSacMm)} mm, lower vertebra ${f1(b.kambin.lowerVertebraMm)} mm)`);
    if (b.foraminoplasty.needed) lines.push(`  foraminoplasty: ${f1(b.foraminoplasty.boneLengthMm)} mm of bone in the way, up to ${f1(b.foraminoplasty.boneDepthMm)} mm deep`);
    lines.push('  clearance (cannula surface to structure, mm; margin):');
    for (const c of b.clearances) if (c.clearanceMm !== null) lines.push(`    ${c.title.padEnd(44)} ${c.clearanceMm >= 12 ? '≥ 12' : f1(c.clearanceMm).padStart(5)}  (${c.marginMm})${c.ok ? '' : ' ✗'}`);
  }
  const il = t.interlaminar;
  if (il !== undefined) lines.push(`Interlaminar window: ${f1(il.diameterMm)} mm channel, ${f1(il.lateralMm)} mm lateral and ${f1(il.cranialMm)} mm cranial of the disc centre, skin to sac ${f1(Math.hypot(il.entry[0] - il.target[0], il.entry[1] - il.target[1], il.entry[2] - il.target[2]))} mm${il.rootApproach !== undefined ? `; ${il.rootApproach} approach to the traversing root` : ''}`);
  const option = t.foraminoplastyPlans[0];
  if (option !== undefined) lines.push(`  with foraminoplasty: entry ${f1(option.entryFromMidlineMm)} mm from the midline, ${f1(option.foraminoplasty.boneLengthMm)} mm of the superior articular process in the way (up to ${f1(option.foraminoplasty.boneDepthMm)} mm deep)`);
  if (plan.iliacCrest !== undefined) lines.push(`Iliac crest: apex ${f1(plan.iliacCrest.aboveMidPedicleMm)} mm above the middle of the ${plan.iliacCrest.lastLumbar.vertebra} pedicle (${plan.iliacCrest.highByChoi ? 'high' : 'not high'} by Choi [HIC-Def]${plan.iliacCrest.songGroup !== undefined ? `, Song ${plan.iliacCrest.songGroup} [Song2021]` : ''})`);
  for (const w of plan.warnings) lines.push(`Warning: ${w}`);
  for (const u of plan.approach.unconfirmedSettings) lines.push(`Setting (unconfirmed): ${u.setting} = ${JSON.stringify(u.value)} — ${u.why}`);
  return lines.join('\n');
}
