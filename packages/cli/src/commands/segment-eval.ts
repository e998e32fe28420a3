/**
 * Seed sweep of the CT spine pipeline on the phantom (issue 5 acceptance: ≥ 30 seeds across sizes,
 * positions and variants): per case the level count (correct and verified / correct but unverified /
 * wrong but flagged / WRONG AND VERIFIED — the one outcome that must never happen) and the Dice of every
 * vertebra and disc against the phantom's truth; then a summary.
 *
 *   node --import tsx packages/cli/src/commands/segment-eval.ts [--cases 30] [--first-seed 1]
 *   node --import tsx packages/cli/src/commands/segment-eval.ts --bench
 *
 * `--bench` times the pipeline instead (one thread): the real 3 mm CT (../shared/data) and a
 * 512 × 512 × 300 phantom CT (0.39 × 0.39 × 1 mm), median of three runs, with the load average and the
 * peak resident memory, since this machine's two cores are shared.
 *
 * Not a test (a 30-case sweep takes minutes on the 2-core machine); the default test runs one seed.
 */
import {
  compareLabelMaps, generatePhantomStudy, LABELS, matchByOverlap, segmentSpineCt,
  type SpineVariant, type StructureAgreement,
} from '@keyhole/core';

const VARIANTS: readonly SpineVariant[] = [
  { kind: 'none' },
  { kind: 'sacralized-L5', castellvi: 'IIIa', side: 'left' },
  { kind: 'lumbarized-S1', castellvi: 'IIa', side: 'right' },
  { kind: 'six-lumbar' },
  { kind: 'four-lumbar' },
  { kind: 'T13' },
  { kind: 'none' },
  { kind: 'sacralized-L5', castellvi: 'Ib' },
  { kind: 'sacralized-L5', castellvi: 'IIb' },
  { kind: 'lumbarized-S1', castellvi: 'IIIb' },
];
const SIZES = ['small', 'medium', 'large'] as const;

const names = new Map(Object.entries(LABELS).map(([n, v]) => [v as number, n]));
const isVertebra = (n: string): boolean => /^(C|T|L)\d+$|^S1$|^sacrum$/.test(n);
const isDisc = (n: string): boolean => /^[CTLS]\d+-[CTLS]\d+$/.test(n);

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s.length === 0 ? Number.NaN : s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

if (process.argv.includes('--bench')) {
  await bench();
  process.exit(0);
}

async function bench(): Promise<void> {
  const { existsSync } = await import('node:fs');
  const { loadavg } = await import('node:os');
  const { resolve } = await import('node:path');
  const { readNiftiFile } = await import('@keyhole/io');
  const median3 = (run: () => void): number => {
    const times: number[] = [];
    for (let r = 0; r < 3; r++) {
      const t0 = performance.now();
      run();
      times.push((performance.now() - t0) / 1000);
    }
    return median(times);
  };
  const real = resolve(import.meta.dirname, '../../../../../shared/data/ct-abdomen-pelvis-3mm/ct.nii.gz');
  if (existsSync(real)) {
    const volume = (await readNiftiFile({ path: real, units: 'HU' })).volumes[0]!;
    const seconds = median3(() => segmentSpineCt({ volume }));
    console.log(`real CT ${volume.size.join('×')} @ 3 mm: ${seconds.toFixed(2)} s (median of 3), load average ${loadavg()[0]!.toFixed(1)}`);
  }
  const study = generatePhantomStudy({ seed: 7, modality: 'ct', dicom: false, grid: { size: [512, 512, 300], spacing: [0.390625, 0.390625, 1] } });
  const volume = study.series[0]!.volume;
  let timings: Readonly<Record<string, number>> = {};
  const seconds = median3(() => {
    timings = segmentSpineCt({ volume }).timings;
  });
  console.log(`phantom CT 512×512×300: ${seconds.toFixed(2)} s (median of 3), stages of the last run ${JSON.stringify(timings)}, load average ${loadavg()[0]!.toFixed(1)}`);
  console.log(`peak resident memory ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB (includes the phantom generator)`);
}

const cases = arg('--cases', 30);
const firstSeed = arg('--first-seed', 1);
const allVertebra: StructureAgreement[] = [];
const allDisc: StructureAgreement[] = [];
const outcomes: Record<string, number> = {};
let segSeconds = 0;
console.log('seed variant                 pos    size   pattern        verified outcome            vert min  vert med  disc med  seconds');
for (let n = 0; n < cases; n++) {
  const seed = firstSeed + n;
  const variant = VARIANTS[n % VARIANTS.length]!;
  const position = n % 2 === 0 ? 'supine' : 'prone';
  const size = SIZES[n % 3]!;
  const study = generatePhantomStudy({ seed, modality: 'ct', dicom: false, variant, position, body: { size } });
  const series = study.series[0]!;
  const t0 = performance.now();
  const result = segmentSpineCt({ volume: series.volume });
  const seconds = (performance.now() - t0) / 1000;
  segSeconds += seconds;
  const variantName = variant.kind + ('castellvi' in variant ? `:${variant.castellvi}` : '');
  if (result.labels === undefined) {
    outcomes['no result'] = (outcomes['no result'] ?? 0) + 1;
    console.log(`${String(seed).padEnd(4)} ${variantName.padEnd(24)} ${position.padEnd(6)} ${size.padEnd(6)} ${result.model.status}: ${result.model.message}`);
    continue;
  }
  const truthNames = Object.values(study.truthJson.legend).filter((x) => isVertebra(x) || isDisc(x));
  const rows = compareLabelMaps({ predicted: result.labels, predictedNames: names, reference: series.labels, referenceNames: names, names: truthNames });
  const vert = rows.filter((r) => isVertebra(r.name));
  const disc = rows.filter((r) => isDisc(r.name));
  allVertebra.push(...vert);
  allDisc.push(...disc);
  const matches = matchByOverlap({ predicted: result.labels, predictedNames: names, reference: series.labels, referenceNames: names, predictedFilter: isVertebra });
  const wrong = matches.filter((m) => m.reference !== m.predicted);
  const wrongVerified = wrong.filter((m) => result.model.vertebrae.find((v) => v.name === m.predicted)?.labelVerified === true);
  const outcome = wrongVerified.length > 0 ? `WRONG AND VERIFIED (${wrongVerified.map((m) => `${m.predicted}≠${m.reference}`).join(' ')})`
    : wrong.length > 0 ? `wrong, flagged (${wrong.length})` : result.model.levelCount.verified ? 'correct, verified' : 'correct, unverified';
  const key = outcome.startsWith('WRONG') ? 'WRONG AND VERIFIED' : outcome.replace(/ \(\d+\)$/, '');
  outcomes[key] = (outcomes[key] ?? 0) + 1;
  const minV = Math.min(...vert.map((r) => r.dice));
  console.log(`${String(seed).padEnd(4)} ${variantName.padEnd(24)} ${position.padEnd(6)} ${size.padEnd(6)} ${result.model.levelCount.pattern.padEnd(14)} ${String(result.model.levelCount.verified).padEnd(8)} ${outcome.padEnd(18)} ${minV.toFixed(3).padStart(8)}  ${median(vert.map((r) => r.dice)).toFixed(3).padStart(8)}  ${median(disc.map((r) => r.dice)).toFixed(3).padStart(8)}  ${seconds.toFixed(1).padStart(7)}`);
  const worst = vert.filter((r) => r.dice < 0.92).map((r) => `${r.name} ${r.dice.toFixed(3)}`);
  if (worst.length > 0) console.log(`       vertebrae under 0.92: ${worst.join(', ')}`);
}
const vd = allVertebra.map((r) => r.dice), dd = allDisc.map((r) => r.dice);
const frac = (values: number[], t: number): string => `${((100 * values.filter((v) => v >= t).length) / Math.max(1, values.length)).toFixed(0)}%`;
console.log(`\ncases ${cases}; outcomes ${JSON.stringify(outcomes)}`);
console.log(`vertebrae: ${vd.length}, Dice median ${median(vd).toFixed(3)}, min ${Math.min(...vd).toFixed(3)}, ≥ 0.92: ${frac(vd, 0.92)}; centroid error median ${median(allVertebra.map((r) => r.centroidErrorMm)).toFixed(2)} mm`);
console.log(`discs: ${dd.length}, Dice median ${median(dd).toFixed(3)}, min ${Math.min(...dd).toFixed(3)}, ≥ 0.85: ${frac(dd, 0.85)}`);
console.log(`segmentation ${(segSeconds / cases).toFixed(1)} s per case on average (one thread)`);
