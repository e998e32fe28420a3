/**
 * The case document, version 1: a patient's clinical episode that later issues fill (symptoms,
 * findings, plans, follow-up). Every stored document carries `schemaVersion`, so a later version
 * can be migrated on read. Unknown properties are refused with `propertyNames` rather than
 * `additionalProperties: false`, because Fastify's Ajv removes additional properties silently
 * (removeAdditional) and a clinical record must never lose a field without telling.
 */
const LEVEL = { type: 'string', pattern: '^(C[1-7]|T(1[0-3]|[1-9])|L[1-6]|S[1-5])(-(C[1-7]|T(1[0-3]|[1-9])|L[1-6]|S[1-5]))?$', description: 'vertebral level or disc, e.g. L4 or L4-L5' } as const;
const DATE = { type: 'string', format: 'date' } as const;

function entry(properties: Record<string, unknown>): Record<string, unknown> {
  const all = { description: { type: 'string', minLength: 1, maxLength: 10_000 }, ...properties };
  return { type: 'object', required: ['description'], properties: all, propertyNames: { enum: Object.keys(all) } };
}

export const CASE_DOCUMENT_SCHEMA_V1 = {
  $id: 'keyhole-case-document-v1',
  type: 'object',
  required: ['schemaVersion'],
  properties: {
    schemaVersion: { const: 1 },
    summary: { type: 'string', maxLength: 10_000 },
    symptoms: { type: 'array', maxItems: 500, items: entry({ side: { enum: ['left', 'right', 'both', 'none'] }, level: LEVEL, since: DATE }) },
    findings: { type: 'array', maxItems: 500, items: entry({ level: LEVEL, studyUid: { type: 'string', pattern: '^[0-9.]{1,64}$' } }) },
    plans: { type: 'array', maxItems: 100, items: entry({ level: LEVEL, approach: { type: 'string', maxLength: 200 }, date: DATE }) },
    followUp: { type: 'array', maxItems: 500, items: entry({ date: DATE }) },
  },
  propertyNames: { enum: ['schemaVersion', 'summary', 'symptoms', 'findings', 'plans', 'followUp'] },
} as const;

export interface CaseDocumentV1 {
  readonly schemaVersion: 1;
  readonly summary?: string;
  readonly symptoms?: ReadonlyArray<{ description: string; side?: string; level?: string; since?: string }>;
  readonly findings?: ReadonlyArray<{ description: string; level?: string; studyUid?: string }>;
  readonly plans?: ReadonlyArray<{ description: string; level?: string; approach?: string; date?: string }>;
  readonly followUp?: ReadonlyArray<{ description: string; date?: string }>;
}

export const EMPTY_CASE_DOCUMENT: CaseDocumentV1 = { schemaVersion: 1 };
