// Clinical examination and MRI–clinical correlation (issue 6). README.md describes the formats.
export * from './exam-vocabulary.ts';
export type * from './exam.ts';
export * from './validate-exam.ts';
export type * from './findings.ts';
export * from './validate-findings.ts';
export * from './validation-problems.ts';
export * from './root-map.ts';
export * from './correlation-settings.ts';
export * from './spine-numbering.ts';
export * from './finding-effects.ts';
export * from './implicate-roots.ts';
export * from './level-candidates.ts';
export * from './concordance.ts';
export * from './urgency.ts';
export * from './correlate.ts';
