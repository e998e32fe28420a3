import { seedDemoCase, type buildApp, type DemoSeriesPlan, type SeedDemoCaseResult } from '@keyhole/server';
import { createProgress } from '../progress.ts';
import type { CommandContext } from '../run-command.ts';

/** `--demo` (always), `--no-demo` (never), or neither (only into an archive without patients). */
export type ServeDemoMode = 'if-empty' | 'always' | 'never';

export interface ServeDemoOptions {
  readonly app: Awaited<ReturnType<typeof buildApp>>;
  readonly mode: ServeDemoMode;
  readonly context: CommandContext;
  /** Tests shrink the grids; default the demo's own. */
  readonly series?: readonly DemoSeriesPlan[];
}

/**
 * The synthetic demo case at start-up, with progress: a bar on a terminal, one line per step
 * otherwise (logs, tests), and a summary that says plainly that it is a phantom, not a patient.
 */
export async function seedServeDemo(options: ServeDemoOptions): Promise<SeedDemoCaseResult | undefined> {
  const { app, context } = options;
  if (options.mode === 'never') return undefined;
  const started = Date.now();
  const bar = createProgress({ enabled: context.interactive, title: 'demo case' });
  let lastStep = '';
  let result: SeedDemoCaseResult;
  try {
    result = await seedDemoCase({
      db: app.keyhole.db,
      dataDir: app.keyhole.options.dataDir,
      mode: options.mode,
      ...(options.series !== undefined ? { series: options.series } : {}),
      onProgress: (fraction, stage) => {
        if (lastStep === '') context.out('Demo case: generating a SYNTHETIC spine phantom (CT and MR T2; not a patient) …');
        bar.update(fraction, stage);
        // Without a terminal, one line per step: "CT phantom", "MR T2 phantom", "storing", …
        const step = stage.split(':')[0] ?? stage;
        if (!context.interactive && step !== lastStep && step !== 'done') context.out(`  ${step} (${Math.round(fraction * 100)}%)`);
        lastStep = step;
      },
    });
  } finally {
    bar.stop();
  }
  if (result.status === 'skipped') {
    context.out(`Demo case: not added (${result.reason ?? 'the archive holds patient data'})`);
    return result;
  }
  const made = result.status === 'created' ? `, made in ${((Date.now() - started) / 1000).toFixed(1)} s` : ', already in the archive';
  context.out(`Demo case ${result.caseId ?? ''}: "${result.caseTitle}" — SYNTHETIC phantom data, not a patient${made}`);
  context.out(`  patient ${result.patientId}, study ${result.studyUid}: ${result.series.length > 0 ? result.series.map((s) => `${s.modality} ${s.instances}`).join(' + ') + ' = ' : ''}${result.instanceCount} instances (start with --no-demo to leave it out)`);
  return result;
}
