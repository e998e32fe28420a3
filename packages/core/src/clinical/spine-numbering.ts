import type { CastellviType } from '../phantom/anatomy/types.ts';

/**
 * The patient's own level count, as the imaging pipeline found it (clinical reference §9). Root ↔ disc
 * mapping follows the numbering rule of §2 [Witek] over THIS patient's vertebrae, so a six-lumbar spine
 * has an L5–L6 and an L6–S1 disc, and a four-lumbar spine goes L4–S1.
 */
export interface SpineNumbering {
  /** Lumbar-type (mobile, rib-free, presacral) vertebrae counted from C2: 5 normally, 4 or 6 in numerical variants. A sacralized L5 still counts. */
  readonly lumbarCount: number;
  /** A lumbosacral transitional vertebra, when there is one (Castellvi [pacs, Ars, BMC-LSTV]). */
  readonly transitional?: {
    readonly vertebra: string;
    readonly kind: 'sacralized' | 'lumbarized';
    readonly castellvi?: CastellviType;
  };
  /** Whether the count was verified by counting down from C2 on whole-spine imaging, the gold standard [Lian2018]. */
  readonly countVerified: boolean;
  /** `input`: given with the findings; `assumed`: not given, standard numbering assumed. */
  readonly source: 'input' | 'assumed';
}

export const STANDARD_NUMBERING: SpineNumbering = { lumbarCount: 5, countVerified: false, source: 'assumed' };

/** T12, L1 … Ln, S1, S2: the vertebrae the lumbosacral roots are named after, cranial first. */
export function lumbosacralVertebrae(numbering: SpineNumbering): string[] {
  return ['T12', ...Array.from({ length: numbering.lumbarCount }, (_, i) => `L${i + 1}`), 'S1', 'S2'];
}

export const discBetween = (upper: string, lower: string): string => `${upper}-${lower}`;

/** `L4-L5` → ['L4', 'L5']; also accepts `L4/L5`, `L4/5`, `L5S1`, `L4–L5`. Undefined for anything else. */
export function parseDisc(text: string): readonly [string, string] | undefined {
  const match = /^([CTLS])(\d{1,2})\s*[-/–]?\s*([CTLS])?(\d{1,2})$/i.exec(text.trim());
  if (match === null) return undefined;
  const upperRegion = (match[1] ?? '').toUpperCase();
  const lowerRegion = (match[3] ?? match[1] ?? '').toUpperCase();
  return [`${upperRegion}${Number(match[2])}`, `${lowerRegion}${Number(match[4])}`];
}

/** The next vertebra below `vertebra` in this patient's column (C7 → T1, L5 → S1 or L6), or undefined. */
export function vertebraBelow(vertebra: string, numbering: SpineNumbering): string | undefined {
  const region = vertebra[0];
  const n = Number(vertebra.slice(1));
  if (region === 'C') return n === 7 ? 'T1' : `C${n + 1}`;
  if (region === 'T') return n >= 12 ? 'L1' : `T${n + 1}`;
  const column = lumbosacralVertebrae(numbering);
  const at = column.indexOf(vertebra);
  return at >= 0 ? column[at + 1] : undefined;
}

export function vertebraAbove(vertebra: string, numbering: SpineNumbering): string | undefined {
  const region = vertebra[0];
  const n = Number(vertebra.slice(1));
  if (region === 'C') return n > 1 ? `C${n - 1}` : undefined;
  if (region === 'T') return n === 1 ? 'C7' : `T${n - 1}`;
  const column = lumbosacralVertebrae(numbering);
  const at = column.indexOf(vertebra);
  return at > 0 ? column[at - 1] : undefined;
}

/** Whether a disc name exists in this patient's column (`L5-L6` exists only with six lumbar vertebrae). */
export function discExists(disc: string, numbering: SpineNumbering): boolean {
  const parts = parseDisc(disc);
  if (parts === undefined) return false;
  return vertebraBelow(parts[0], numbering) === parts[1];
}

export const isCervicalRoot = (root: string): boolean => /^C[5-8]$/.test(root) || root === 'T1';

/**
 * Where a root meets a disc (clinical reference §2).
 *
 * Lumbar [Witek]: root Ln exits through the foramen below the pedicle of Ln, at disc Ln–(next); it
 * traverses the lateral recess at the disc above, (previous)–Ln. Central and paracentral/subarticular
 * herniations hit the traversing root; foraminal and extraforaminal ones the exiting root [MRCS,
 * Orthobullets, NSPC].
 *
 * Cervical [Mostoufi, SpineHealth]: each root exits above the vertebra it is named for, so Cn leaves at
 * disc C(n−1)–Cn whatever the zone, and C8 at C7–T1; T1 at T1–T2.
 */
export function rootDiscs(root: string, numbering: SpineNumbering): { readonly traversing?: string; readonly exiting?: string } {
  if (isCervicalRoot(root)) {
    const above = vertebraAbove(root === 'C8' ? 'T1' : root, numbering);
    const vertebra = root === 'C8' ? 'T1' : root;
    if (root === 'T1') return { exiting: discBetween('T1', 'T2') };
    return above !== undefined ? { exiting: discBetween(above, vertebra) } : {};
  }
  const above = vertebraAbove(root, numbering);
  const below = vertebraBelow(root, numbering);
  // S1 leaves through the sacral foramen, not at a disc; a lumbarized S1 has a (rudimentary) S1–S2 disc.
  const sacralExit = root === 'S1' && numbering.transitional?.kind !== 'lumbarized';
  return {
    ...(above !== undefined ? { traversing: discBetween(above, root) } : {}),
    ...(below !== undefined && !sacralExit && root !== 'S2' ? { exiting: discBetween(root, below) } : {}),
  };
}

/** The roots a disc's zones hit (the inverse of `rootDiscs`), per clinical reference §2. */
export function discRoots(disc: string, _numbering: SpineNumbering): { readonly traversing?: string; readonly exiting?: string; readonly cord: boolean } {
  const parts = parseDisc(disc);
  if (parts === undefined) return { cord: false };
  const [upper, lower] = parts;
  if (upper.startsWith('C') || (upper === 'T1' && lower === 'T2')) {
    // Cn–C(n+1) compresses C(n+1) [SpineHealth]; C7–T1 → C8 [Mostoufi]; T1–T2 → T1. Central: the cord [Dimitriu].
    const root = upper === 'C7' ? 'C8' : upper === 'T1' ? 'T1' : lower;
    return { exiting: root, traversing: root, cord: true };
  }
  // Thoracic discs above T12 sit over the cord; from T12–L1 down the canal holds the conus and cauda equina.
  return { traversing: lower, exiting: upper, cord: upper.startsWith('T') && upper !== 'T12' };
}

/**
 * The anatomical roots behind a clinical root pattern in this patient, with shares that sum to 1.
 *
 * Primary: the root of the same name counted from C2 [Lian2018], as the reference's numbering rule
 * assumes. With a transitional or numerical variant the dermatomes may be variant [Peker]: part of the
 * mass (setting `transitionalShiftShare`) goes to the root in the same position counted up from the
 * sacrum (the root below the last mobile lumbar-type vertebra behaves as "S1", the one above it as "L5").
 */
export function anatomicalRoots(clinicalRoot: string, numbering: SpineNumbering, transitionalShiftShare: number): Array<{ root: string; share: number; basis: 'numbering' | 'transitional-shift' }> {
  if (isCervicalRoot(clinicalRoot)) return [{ root: clinicalRoot, share: 1, basis: 'numbering' }];
  const mobile = mobileLumbarRoots(numbering);
  const clinicalOrder = ['L1', 'L2', 'L3', 'L4', 'L5', 'S1'];
  const fromBottom = clinicalOrder.length - 1 - clinicalOrder.indexOf(clinicalRoot); // S1 → 0, L5 → 1, …
  const functionalSequence = [...mobile, rootBelowMobile(numbering)];
  const functional = functionalSequence[functionalSequence.length - 1 - fromBottom];
  const byCount = lumbosacralVertebrae(numbering).includes(clinicalRoot) ? clinicalRoot : undefined;
  if (functional === undefined || functional === byCount) return byCount !== undefined ? [{ root: byCount, share: 1, basis: 'numbering' }] : [];
  if (byCount === undefined) return [{ root: functional, share: 1, basis: 'transitional-shift' }];
  return [
    { root: byCount, share: 1 - transitionalShiftShare, basis: 'numbering' },
    { root: functional, share: transitionalShiftShare, basis: 'transitional-shift' },
  ];
}

/** Mobile lumbar-type vertebrae (their roots), cranial first: a sacralized vertebra is left out, a lumbarized S1 added. */
function mobileLumbarRoots(numbering: SpineNumbering): string[] {
  const lumbar = Array.from({ length: numbering.lumbarCount }, (_, i) => `L${i + 1}`);
  const t = numbering.transitional;
  if (t?.kind === 'sacralized') return lumbar.filter((v) => v !== t.vertebra);
  if (t?.kind === 'lumbarized') return [...lumbar, t.vertebra];
  return lumbar;
}

function rootBelowMobile(numbering: SpineNumbering): string {
  const mobile = mobileLumbarRoots(numbering);
  const last = mobile[mobile.length - 1] ?? 'L5';
  return vertebraBelow(last, numbering) ?? 'S1';
}

/** Whether this patient's numbering differs from the textbook five lumbar vertebrae. */
export const isVariantNumbering = (numbering: SpineNumbering): boolean => numbering.lumbarCount !== 5 || numbering.transitional !== undefined;

/** The discs one level above and below (for misnumbering alternatives). */
export function neighbouringDiscs(disc: string, numbering: SpineNumbering): string[] {
  const parts = parseDisc(disc);
  if (parts === undefined) return [];
  const [upper, lower] = parts;
  const out: string[] = [];
  const above = vertebraAbove(upper, numbering);
  if (above !== undefined) out.push(discBetween(above, upper));
  const below = vertebraBelow(lower, numbering);
  if (below !== undefined && !(lower === 'S1' && numbering.transitional?.kind !== 'lumbarized')) out.push(discBetween(lower, below));
  return out;
}
