import { readFile } from 'node:fs/promises';
import { correlate, isKeyholeError, KeyholeError, validateExam, validateFindings, type ErrorCode } from '@keyhole/core';
import { exitCodeFor } from '../exit-codes.ts';
import { EXIT, makeContext, reportError } from '../run-command.ts';
import { formatCorrelation } from './correlate-format.ts';

export interface CorrelateCommandOptions {
  readonly exam: string;
  readonly findings?: string;
  readonly json: boolean;
}

/** Reads and parses a JSON file; a missing file is FILE_NOT_FOUND, bad JSON is the document's own validation code. */
async function readJson(file: string, invalid: ErrorCode): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new KeyholeError(code === 'ENOENT' ? 'FILE_NOT_FOUND' : 'FILE_UNREADABLE', { file, message: code === 'ENOENT' ? 'no such file' : String(error), cause: error });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new KeyholeError(invalid, { file, message: `not valid JSON (${error instanceof Error ? error.message : String(error)})`, cause: error });
  }
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
    const exam = validateExam(await readJson(options.exam, 'CLINICAL_EXAM_INVALID'), options.exam);
    const findings = options.findings !== undefined ? validateFindings(await readJson(options.findings, 'IMAGING_FINDINGS_INVALID'), options.findings) : undefined;
    const result = correlate({ exam, ...(findings !== undefined ? { findings } : {}) });
    ctx.out(options.json ? JSON.stringify({ ok: true, ...result }, null, 2) : formatCorrelation(result));
    return EXIT.ok;
  } catch (error) {
    if (!options.json && isKeyholeError(error) && Array.isArray(error.details['problems'])) return reportProblems(error);
    return reportError(error, options.json);
  }
}
