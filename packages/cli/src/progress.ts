import cliProgress from 'cli-progress';

export interface ProgressReporter {
  /** fraction 0..1; `label` says what is being done. */
  update(fraction: number, label: string): void;
  stop(): void;
}

export interface ProgressOptions {
  /** Bars are drawn only for people: on a TTY and never with --json. */
  readonly enabled: boolean;
  readonly title: string;
}

/**
 * A progress bar on stderr that appears only after a second of work, so quick commands
 * stay quiet and long ones (large series, compressed data, phantoms) show progress.
 */
export function createProgress(options: ProgressOptions): ProgressReporter {
  if (!options.enabled) return { update: () => undefined, stop: () => undefined };
  const started = Date.now();
  let bar: cliProgress.SingleBar | undefined;
  return {
    update(fraction, label) {
      if (bar === undefined) {
        if (Date.now() - started < 1000) return;
        bar = new cliProgress.SingleBar(
          { format: `${options.title} [{bar}] {percentage}% {label}`, stream: process.stderr, hideCursor: true, clearOnComplete: true },
          cliProgress.Presets.shades_classic,
        );
        bar.start(1000, 0, { label });
      }
      bar.update(Math.round(Math.min(1, Math.max(0, fraction)) * 1000), { label });
    },
    stop() {
      bar?.stop();
    },
  };
}
