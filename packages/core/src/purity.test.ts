import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

// @keyhole/core must run in Node, in worker threads and in the browser: no I/O, no DOM,
// no module-global mutable state. This test reads the sources and fails on the usual ways in.
const root = import.meta.dirname;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return path.endsWith('.ts') && !/\.(test|bench)\.ts$/.test(path) && !/test-support/.test(path) ? [path] : [];
  });
}

const forbidden: Array<[RegExp, string]> = [
  [/from\s+['"]node:/, 'imports a node: module'],
  [/from\s+['"](fs|path|os|child_process|worker_threads|zlib|crypto)['"]/, 'imports a Node built-in'],
  [/\bprocess\.(env|argv|cwd|exit)/, 'reads the process'],
  [/\b(document|window|localStorage)\./, 'touches the DOM'],
  [/\bMath\.random\(/, 'uses Math.random (algorithms are seeded and deterministic)'],
  [/^\s*(export\s+)?let\s+\w+/m, 'declares a module-level `let` (global mutable state)'],
  [/\bconsole\.(log|warn|error)\(/, 'logs instead of returning warnings or throwing'],
];

describe('@keyhole/core stays pure', () => {
  const files = sources(root);
  it('has sources to check', () => expect(files.length).toBeGreaterThan(5));
  for (const file of files) {
    it(relative(root, file), () => {
      const text = readFileSync(file, 'utf8');
      // Only top-level statements count for `let`; strip indented lines for that check.
      const topLevel = text.split('\n').filter((line) => !/^\s/.test(line)).join('\n');
      for (const [pattern, why] of forbidden) {
        const target = pattern.source.startsWith('^') ? topLevel : text;
        expect(pattern.test(target), `${relative(root, file)} ${why}`).toBe(false);
      }
    });
  }
});
