import { readJsonFile } from '../read-json-file.ts';
import { correlate, isKeyholeError, KeyholeError, validateExam, validateFindings } from '@keyhole/core';
import { exitCodeFor } from '../exit-codes.ts';
import { EXIT, makeContext, reportError } from '../run-command.ts';
import { formatCorrelation } from './correlate-format.ts';

export interface CorrelateCommandOptions {
  readonly exam: string;
  readonly findings?: string;
  readonly json: boolean;
}


/** Human output of a validation error: one problem per line, each with its path. */
function reportProblems(error: KeyholeError): number {
  const problems = error.details['problems'] as Array<{ path: string; message: string }>;
  const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
  process.stderr.write(`keyhole: error [${error.code}] ${error.file ?? ''}: ${count}\n${problems.map((p) => `  ${p.path}: ${p.message}\n`).join('')}  ${error.hint}\n`);
  return exitCodeFor(error.code);
}

/**
 * `keyhole correlate --exam EXAM.json [--findings FINDINGS.json] [--json]`: the MRI–clinical correlation
 * of issue 6 (packages/core/src/clinical). Exit 0 with a result, 3 when a file is missing, 4 when a
 * document is invalid (every bad field named with its path).
 */
export async function runCorrelate(options: CorrelateCommandOptions): Promise<number> {
  const ctx = makeContext(options.json);
  try {
    const exam = validateExam(await readJsonFile(options.exam, { invalid: 'CLINICAL_EXAM_INVALID' }), options.exam);
    const findings = options.findings !== undefined ? validateFindings(await readJsonFile(options.findings, { invalid: 'IMAGING_FINDINGS_INVALID' }), options.findings) : undefined;
    const result = correlate({ exam, ...(findings !== undefined ? { findings } : {}) });
    ctx.out(options.json ? JSON.stringify({ ok: true, ...result }, null, 2) : formatCorrelation(result));
    return EXIT.ok;
  } catch (error) {
    if (!options.json && isKeyholeError(error) && Array.isArray(error.details['problems'])) return reportProblems(error);
    return reportError(error, options.json);
  }
}
