import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { jsonOutputRequested } from './main.ts';

/** A program shaped like `keyhole`'s: `info --json` is a switch, `segment --json <file>` names the model file. */
function program(): Command {
  const p = new Command('keyhole');
  p.command('info').argument('<paths...>').option('--json', 'machine-readable output');
  p.command('segment').argument('<input...>').requiredOption('-o, --output <file>').requiredOption('--legend <file>').option('--json <file>', 'model JSON');
  return p;
}

describe('the global --json switch', () => {
  it('switches error output to JSON for a command whose --json is a flag', () => {
    expect(jsonOutputRequested(program(), ['info', 'a.dcm', '--json'])).toBe(true);
    expect(jsonOutputRequested(program(), ['info', 'a.dcm'])).toBe(false);
  });

  it('leaves `keyhole segment … --json MODEL.json` alone: there --json names a file', () => {
    expect(jsonOutputRequested(program(), ['segment', 'ct.nii.gz', '-o', 'seg.nii.gz', '--legend', 'l.json', '--json', 'model.json'])).toBe(false);
    expect(jsonOutputRequested(program(), ['segment', 'ct.nii.gz', '--json', 'model.json', '-o', 'seg.nii.gz', '--legend', 'l.json'])).toBe(false);
  });

  it('still parses segment\'s own --json value through commander', async () => {
    const p = program().exitOverride();
    let model: string | undefined;
    p.commands.find((c) => c.name() === 'segment')!.action((_input: string[], options: { json?: string }) => {
      model = options.json;
    });
    await p.parseAsync(['segment', 'ct.nii.gz', '-o', 'seg.nii.gz', '--legend', 'l.json', '--json', 'model.json'], { from: 'user' });
    expect(model).toBe('model.json');
  });
});
