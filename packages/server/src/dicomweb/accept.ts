/**
 * Accept header negotiation for WADO-RS (PS3.18 §8.7.3 and §8.7.4): a list of media ranges with
 * parameters (`type`, `transfer-syntax`) and q-values.
 */
import { contentTypeParameters } from './multipart.ts';

export interface AcceptedType {
  readonly mediaType: string;
  readonly params: Record<string, string>;
  readonly q: number;
}

export function parseAccept(header: string | undefined): AcceptedType[] {
  if (header === undefined || header.trim() === '') return [{ mediaType: '*/*', params: {}, q: 1 }];
  return splitTopLevel(header)
    .map((item) => {
      const { mediaType, params } = contentTypeParameters(item);
      const q = params['q'] === undefined ? 1 : Number(params['q']);
      return { mediaType, params, q: Number.isFinite(q) ? q : 1 };
    })
    .filter((a) => a.q > 0)
    .sort((a, b) => b.q - a.q);
}

/** Splits on commas that are outside quotes (transfer-syntax lists are not comma separated, but type="..." may be quoted). */
function splitTopLevel(header: string): string[] {
  const out: string[] = [];
  let current = '';
  let quoted = false;
  for (const c of header) {
    if (c === '"') quoted = !quoted;
    if (c === ',' && !quoted) {
      out.push(current);
      current = '';
    } else current += c;
  }
  out.push(current);
  return out.map((s) => s.trim()).filter((s) => s !== '');
}
