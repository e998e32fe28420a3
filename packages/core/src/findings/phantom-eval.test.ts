/**
 * The findings step on phantoms with known pathology, the phantom's truth label map as input (so the measurement
 * and grading are tested apart from the segmentation). The default run takes a handful of seeds; the evaluation
 * over 50 pathology seeds and 20 pathology-free ones is the same test with FINDINGS_EVAL_SEEDS=50:
 *   FINDINGS_EVAL_SEEDS=50 npx vitest run packages/core/src/findings/phantom-eval.test.ts
 * (FINDINGS_EVAL_FROM shifts the first seed, to split the run.) The table and summary are printed.
 */
import { describe, expect, it } from 'vitest';
import { generatePhantomStudy } from '../phantom/study.ts';
import { findingsFromLabelMap } from './findings-from-label-map.ts';
import { formatFindingsTables } from './format-table.ts';
import { evaluatePhantomFindings, formatPhantomEval, phantomEvalPathology, summarisePhantomEval, type PhantomEvalRow } from './phantom-eval.ts';

const env = (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env ?? {};
const count = Number(env['FINDINGS_EVAL_SEEDS'] ?? 3);
const from = Number(env['FINDINGS_EVAL_FROM'] ?? 1);
const cleanCount = env['FINDINGS_EVAL_SEEDS'] !== undefined ? Math.round((count * 2) / 5) : 1;

function run(seed: number, clean: boolean): PhantomEvalRow {
  const pathology = clean ? [] : phantomEvalPathology(seed);
  const study = generatePhantomStudy({ seed, modality: 'ct', dicom: false, levels: { from: 'T12', to: 'sacrum' }, pathology });
  const series = study.series[0]!;
  const result = findingsFromLabelMap({ image: series.volume, labels: series.labels, legend: study.truthJson.legend as Record<string, string> });
  if (seed === from) console.log(`seed ${seed}:\n${formatFindingsTables(result)}`);
  return evaluatePhantomFindings({ seed, scene: study.scene, pathology: study.truthJson.pathology, result, labels: series.labels, clean });
}

describe('findingsFromLabelMap on phantoms with known pathology (truth label map as input)', () => {
  it(`measures and grades ${count} pathology phantoms and ${cleanCount} pathology-free ones`, { timeout: 3_600_000 }, () => {
    const rows: PhantomEvalRow[] = [];
    for (let s = from; s < from + count; s++) rows.push(run(s, false));
    for (let s = 0; s < cleanCount; s++) rows.push(run(1000 + from + s, true));
    console.log(formatPhantomEval(rows));
    const summary = summarisePhantomEval(rows);
    expect(summary.levelRate).toBeGreaterThanOrEqual(0.95);
    expect(summary.sideRate).toBeGreaterThanOrEqual(0.95);
    expect(summary.zoneRate).toBeGreaterThanOrEqual(0.95);
    expect(summary.typeRate).toBeGreaterThanOrEqual(0.9);
    expect(summary.sizeWithin15Rate).toBeGreaterThanOrEqual(0.9);
    expect(summary.sacWithin10Rate).toBe(1);
    if (Number.isFinite(summary.slipGradeRate)) expect(summary.slipGradeRate).toBe(1);
    if (Number.isFinite(summary.fractureGradeRate)) expect(summary.fractureGradeRate).toBe(1);
    expect(summary.cleanWithFindingRate).toBeLessThanOrEqual(0.05);
  });
});
