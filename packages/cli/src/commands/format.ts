import type { Vec3 } from '@keyhole/core';

/** Rounded to `digits` decimals, trailing zeros dropped: 4 → "4", 0.9765625 → "0.977". */
export const fmt = (value: number, digits = 2): string => String(Number(value.toFixed(digits)));
export const fmtVec = (v: Vec3, digits = 2): string => `(${v.map((x) => fmt(x, digits)).join(', ')})`;
export const fmtSize = (v: Vec3): string => v.join('×');
export const fmtSpacing = (v: Vec3): string => `${v.map((x) => fmt(x, 3)).join('×')} mm`;

/** The orientation of each voxel axis as the patient-axis letter it runs towards (LPS), e.g. `+y −z −x`. */
export function axisCode(direction: readonly number[]): string {
  const letters = [['R', 'L'], ['A', 'P'], ['I', 'S']] as const;
  const out: string[] = [];
  for (let c = 0; c < 3; c++) {
    const column = [direction[c]!, direction[3 + c]!, direction[6 + c]!];
    let best = 0;
    for (let r = 1; r < 3; r++) if (Math.abs(column[r]!) > Math.abs(column[best]!)) best = r;
    out.push(letters[best as 0 | 1 | 2][column[best]! >= 0 ? 1 : 0]);
  }
  return out.join('');
}
