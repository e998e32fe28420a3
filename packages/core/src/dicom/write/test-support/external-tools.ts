/**
 * Test support (used only by *.test.ts files): whether an external tool (dcmdump, dcm2niix,
 * python3 with nibabel) is installed, and the project's policy when it is not — skip with a clear
 * message on a developer's machine, FAIL when the `CI` environment variable is set, because CI
 * installs the tools and must exercise them.
 *
 * Core is compiled without Node's types (it must run in browsers), so this module takes Node's
 * `spawnSync` and `process.env` from the caller instead of importing `node:` modules itself.
 */

export interface SpawnResultLike {
  readonly status: number | null;
  readonly error?: Error | undefined;
}

export interface ToolEnvironment {
  /** node:child_process spawnSync (or anything with its shape). */
  readonly spawnSync: (command: string, args: readonly string[], options: { stdio: 'ignore' }) => SpawnResultLike;
  /** process.env */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** console.warn: where the skip notice goes (core has no `console` type of its own). */
  readonly warn: (message: string) => void;
}

export interface ToolCheck {
  readonly available: boolean;
  /** The command to run (for python, the interpreter that has the modules). */
  readonly command: string;
  /** Why the tests skip, for describe titles and warnings. */
  readonly skipReason: string;
}

export interface ToolProbeOptions {
  /** What the tool is, in messages (e.g. `dcm2niix`). */
  readonly name: string;
  /** Commands to try in order; the first that runs the probe successfully is used. */
  readonly candidates: readonly string[];
  /** Arguments that make the tool exit 0 when it works (e.g. `['--version']`). */
  readonly probeArgs: readonly string[];
  /** Exit statuses that count as working (some tools exit non-zero on --version). Default [0]. */
  readonly okStatuses?: readonly number[];
}

/** Probes a tool; throws when it is missing and CI is set, returns `available: false` otherwise. */
export function checkTool(environment: ToolEnvironment, options: ToolProbeOptions): ToolCheck {
  const ok = options.okStatuses ?? [0];
  for (const command of options.candidates) {
    const result = environment.spawnSync(command, options.probeArgs, { stdio: 'ignore' });
    if (result.error === undefined && result.status !== null && ok.includes(result.status)) {
      return { available: true, command, skipReason: '' };
    }
  }
  const skipReason = `${options.name} is not installed (tried ${options.candidates.join(', ')})`;
  if (environment.env['CI'] !== undefined) {
    throw new Error(`${skipReason}; CI must install it so that these tests run`);
  }
  environment.warn(`skipping tests that need ${options.name}: ${skipReason}`);
  return { available: false, command: options.candidates[0] ?? options.name, skipReason };
}

/** The usual tools, with the probes that work for the Debian packages. */
export function checkDcmdump(environment: ToolEnvironment): ToolCheck {
  return checkTool(environment, { name: 'dcmdump (DCMTK)', candidates: ['dcmdump'], probeArgs: ['--version'] });
}

export function checkDcm2niix(environment: ToolEnvironment): ToolCheck {
  // dcm2niix prints its version with -v and exits 0 on recent releases, 3 on some older ones.
  return checkTool(environment, { name: 'dcm2niix', candidates: ['dcm2niix'], probeArgs: ['-v'], okStatuses: [0, 3] });
}

export function checkPythonWith(environment: ToolEnvironment, modules: readonly string[]): ToolCheck {
  // Debian's /usr/bin/python3 carries python3-nibabel / python3-pydicom; a pyenv shim may not.
  return checkTool(environment, {
    name: `python3 with ${modules.join(', ')}`,
    candidates: ['/usr/bin/python3', 'python3'],
    probeArgs: ['-c', modules.map((m) => `import ${m}`).join('; ')],
  });
}
