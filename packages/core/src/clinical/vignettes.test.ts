import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { correlate } from './correlate.ts';

/**
 * The vignette suite (issue 6 acceptance): clinical vignettes written from the clinical reference's
 * tables, committed as readable JSON in vignettes/, each with its expectations:
 * - `firstRoot`: the root the correlation must rank first (null: no root should be implicated);
 * - `levelZone`: a level–zone–side that must be among the top two candidates;
 * - `urgency`: emergency / urgent / elective; every cauda equina vignette (`caudaEquina: true`) must be an emergency;
 * - `concordance`: per finding, concordant / partly-concordant / incidental.
 */
interface Vignette {
  readonly id: string;
  readonly title: string;
  readonly reference: string;
  readonly exam: unknown;
  readonly findings?: unknown;
  readonly expect: {
    readonly firstRoot?: string | null;
    readonly levelZone?: { readonly level: string; readonly zone: string; readonly side: string };
    readonly urgency: 'emergency' | 'urgent' | 'elective';
    readonly caudaEquina?: boolean;
    readonly concordance?: readonly string[];
  };
}

const folder = join(import.meta.dirname, 'vignettes');
const vignettes = readdirSync(folder)
  .filter((name) => name.endsWith('.json'))
  .sort()
  .map((name) => ({ file: name, vignette: JSON.parse(readFileSync(join(folder, name), 'utf8')) as Vignette }));

const rows: string[] = [];

describe('clinical vignettes', () => {
  it('has at least 40 vignettes, lumbar and cervical, with cauda equina, discordant and incidental cases', () => {
    expect(vignettes.length).toBeGreaterThanOrEqual(40);
    const ids = vignettes.map((v) => v.vignette.id).join(' ');
    for (const part of ['lumbar-', 'cervical-', 'ces-', 'discordant-', 'incidental-', 'red-flag-']) expect(ids).toContain(part);
    const roots = new Set(vignettes.map((v) => v.vignette.expect.firstRoot));
    for (const root of ['L2', 'L3', 'L4', 'L5', 'S1', 'C5', 'C6', 'C7', 'C8', 'T1']) expect(roots.has(root), `a vignette for ${root}`).toBe(true);
    const zones = new Set(vignettes.map((v) => v.vignette.expect.levelZone?.zone));
    for (const zone of ['central', 'subarticular', 'foraminal', 'extraforaminal']) expect(zones.has(zone), `a vignette for the ${zone} zone`).toBe(true);
  });

  for (const { file, vignette } of vignettes) {
    it(`${file}: ${vignette.title}`, () => {
      const result = correlate({ exam: vignette.exam, ...(vignette.findings !== undefined ? { findings: vignette.findings } : {}) });
      const expected = vignette.expect;
      const first = result.roots[0];
      const topTwo = result.candidates.slice(0, 2);
      const lz = expected.levelZone;
      const lzRank = lz === undefined ? undefined : result.candidates.findIndex((c) => c.level === lz.level && c.zone === lz.zone && c.side === lz.side) + 1;
      rows.push([
        file.replace(/\.json$/, '').padEnd(44),
        `${String(expected.firstRoot ?? '—').padEnd(4)}→ ${first !== undefined ? `${first.root} ${first.likelihood.toFixed(2)}` : '—'}`.padEnd(18),
        lz === undefined ? '—'.padEnd(36) : `${lz.level} ${lz.zone} ${lz.side} #${lzRank}`.padEnd(36),
        `${expected.urgency}→${result.urgency.level}`.padEnd(22),
        result.findings.map((f) => f.concordance.replace('partly-concordant', 'partly').replace('concordant', 'conc').replace('incidental', 'incid')).join(','),
      ].join(' '));

      if (expected.firstRoot === null) expect(first, 'no root should be implicated').toBeUndefined();
      else if (expected.firstRoot !== undefined) expect(first?.root, 'first root').toBe(expected.firstRoot);
      if (lz !== undefined) {
        expect(topTwo.some((c) => c.level === lz.level && c.zone === lz.zone && c.side === lz.side), `${lz.level} ${lz.zone} ${lz.side} among the top two; got ${topTwo.map((c) => `${c.level} ${c.zone} ${c.side}`).join(', ')}`).toBe(true);
      }
      expect(result.urgency.level, `urgency: ${result.urgency.reasons.map((r) => r.reason).join(' | ')}`).toBe(expected.urgency);
      if (expected.caudaEquina === true) {
        expect(result.urgency.caudaEquinaSuspected).toBe(true);
        expect(result.urgency.level).toBe('emergency');
        expect(result.urgency.electivePlanningAllowed).toBe(false);
      }
      if (expected.concordance !== undefined) {
        expect(result.findings.map((f) => f.concordance), result.findings.map((f) => f.reasons.join(' | ')).join('\n')).toEqual(expected.concordance);
      }
      expect(result.notice).toMatch(/does not replace clinical judgement/);
    });
  }

  afterAll(() => {
    // Summary table (expected → got): read it in the test output.
    process.stdout.write(`\nvignette                                     root→got          level–zone (rank)                    urgency                findings\n${rows.sort().join('\n')}\n`);
  });
});
