/**
 * Formatting of DICOM numeric strings. DS (Decimal String) values are at most 16 bytes and IS
 * (Integer String) at most 12 (DICOM PS3.5 §6.2); longer values make strict readers (DCMTK's
 * dcmdump +E, dciodvfy) complain, and JavaScript's default number printing easily exceeds 16.
 */

const DS_MAX = 16;

/** The most precise representation of `value` that fits a DS value (≤ 16 characters). */
export function formatDecimalString(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`cannot write ${value} as a DICOM decimal string`);
  // Cosines computed as 6.1e-17 are zeros that floating point missed; print them as 0.
  if (Math.abs(value) < 1e-12) return '0';
  const plain = String(value);
  if (plain.length <= DS_MAX && !plain.includes('e')) return plain;
  for (let digits = 15; digits >= 1; digits--) {
    const text = trimZeros(value.toPrecision(digits));
    if (text.length <= DS_MAX) return text;
  }
  throw new RangeError(`cannot fit ${value} into a 16-character DICOM decimal string`);
}

function trimZeros(text: string): string {
  const [mantissa = '', exponent] = text.split('e');
  const trimmed = mantissa.includes('.') ? mantissa.replace(/0+$/, '').replace(/\.$/, '') : mantissa;
  if (exponent === undefined) return trimmed;
  return `${trimmed}e${Number(exponent)}`;
}

/** Several DS values (a multi-valued element such as ImagePositionPatient). */
export function formatDecimalStrings(values: readonly number[]): string[] {
  return values.map((v) => formatDecimalString(v));
}
