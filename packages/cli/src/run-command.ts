import { isKeyholeError, KeyholeError } from '@keyhole/core';
import { EXIT, exitCodeFor } from './exit-codes.ts';

export interface CommandContext {
  readonly json: boolean;
  /** Human output (stdout). */
  out(text: string): void;
  /** Notes and warnings for people (stderr), silent with --json. */
  note(text: string): void;
  /** Progress bars are allowed: stderr is a terminal and output is not JSON. */
  readonly interactive: boolean;
}

export function makeContext(json: boolean): CommandContext {
  return {
    json,
    out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
    note: (text) => {
      if (!json) process.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
    },
    interactive: !json && process.stderr.isTTY === true,
  };
}

/** Prints an error the way a user can act on it, or as JSON, and returns the exit code. */
export function reportError(error: unknown, json: boolean): number {
  const keyhole = isKeyholeError(error)
    ? error
    : new KeyholeError('INTERNAL', { message: error instanceof Error ? error.stack ?? error.message : String(error), cause: error });
  if (json) {
    process.stdout.write(`${JSON.stringify({ ok: false, error: keyhole.toJSON() }, null, 2)}\n`);
  } else {
    process.stderr.write(`keyhole: error [${keyhole.code}] ${keyhole.message}\n  ${keyhole.hint}\n`);
  }
  return exitCodeFor(keyhole.code);
}

export { EXIT };
