import { execFileSync } from 'node:child_process';

/**
 * For tests: whether an external tool (python3 …) is installed. Absent: the caller skips with a
 * message, except with CI set, where its absence fails the run (CI must exercise it).
 */
export function hasTool(name: string): boolean {
  let present = true;
  try {
    execFileSync('which', [name], { stdio: 'ignore' });
  } catch {
    present = false;
  }
  if (!present && process.env['CI'] !== undefined) throw new Error(`${name} is required in CI (.ci/run installs it) but is not installed`);
  if (!present) console.warn(`skipping tests that need ${name}: not installed`);
  return present;
}
