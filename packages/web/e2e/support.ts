/**
 * End-to-end test support: a real Keyhole server on a temporary data folder and a real socket,
 * Debian's Chromium driven by playwright-core (never a downloaded browser), screenshots for review
 * and golden-image comparison.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { buildApp, createUser, DEFAULT_ACCOUNT_SETTINGS, firstAdminLink, serverOptions, type Role } from '@keyhole/server';

export const WEB_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const REPO_ROOT = resolve(WEB_ROOT, '../..');
export const SHARED_DATA = resolve(REPO_ROOT, '../shared/data');
export const CHROMIUM = process.env['KEYHOLE_CHROMIUM'] ?? '/usr/bin/chromium';
/** Screenshots of every main screen, for a person to look at (gitignored). */
export const OUTPUT_DIR = join(WEB_ROOT, 'e2e-output');
/** Committed reference images of the main screens. */
export const GOLDEN_DIR = join(WEB_ROOT, 'e2e', 'goldens');

export const hasChromium = existsSync(CHROMIUM);

/**
 * Whether the browser tests run: they skip with a message when Chromium is absent on a
 * developer's machine, and fail when CI is set (CI installs it: .ci/run).
 */
export function browserTestsEnabled(): boolean {
  if (hasChromium) return true;
  if (process.env['CI'] !== undefined && process.env['CI'] !== '') throw new Error(`Chromium is missing at ${CHROMIUM}: CI must install Debian's chromium package (.ci/run)`);
  console.warn(`skipping the web end-to-end tests: no Chromium at ${CHROMIUM} (apt-get install chromium)`);
  return false;
}

/** The newest modification time (ms) of the app's sources. */
function newestSource(path: string): number {
  const info = statSync(path);
  if (!info.isDirectory()) return info.mtimeMs;
  return Math.max(info.mtimeMs, ...readdirSync(path).map((name) => newestSource(join(path, name))));
}

/**
 * Builds the web app when its build is missing or older than its sources (a single test file run
 * without `npm test`'s pretest, or after an edit), so the tests never drive a stale app.
 */
export function ensureWebBuild(): void {
  const index = join(WEB_ROOT, 'dist', 'index.html');
  const sources = Math.max(...['src', 'index.html', 'vite.config.ts', 'package.json'].map((p) => newestSource(join(WEB_ROOT, p))));
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return;
  execFileSync(process.execPath, [join(REPO_ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'], { cwd: WEB_ROOT, stdio: 'inherit' });
}

export interface TestServer {
  readonly app: FastifyInstance;
  readonly url: string;
  readonly dataDir: string;
  /** The one-time first-admin link, as `keyhole serve` prints it on a fresh data folder. */
  readonly setupLink: string;
  addUser(name: string, role: Role, password: string): Promise<void>;
  close(): Promise<void>;
}

export async function startServer(): Promise<TestServer> {
  ensureWebBuild();
  const dataDir = mkdtempSync(join(tmpdir(), 'keyhole-e2e-'));
  const app = await buildApp({ options: serverOptions({ dataDir, port: 0, host: '127.0.0.1' }) });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = address !== null && typeof address === 'object' ? address.port : 0;
  const url = `http://127.0.0.1:${port}`;
  const setupLink = await firstAdminLink(app, { baseUrl: url });
  if (setupLink === undefined) throw new Error('a fresh data folder should offer the first-admin link');
  return {
    app,
    url,
    dataDir,
    setupLink,
    addUser: async (name, role, password) => {
      await createUser({ db: app.keyhole.db, name, role, password, policy: { minLength: DEFAULT_ACCOUNT_SETTINGS.passwordMinLength } });
    },
    close: async () => {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The launch flags the machines need (closed network, no GPU, root): docs in the environment notes. */
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface Browser {
  readonly context: BrowserContext;
  readonly page: Page;
  /** Messages the page logged as errors, for failure reports. */
  readonly consoleErrors: string[];
  close(): Promise<void>;
}

export async function launchBrowser(viewport = { width: 1280, height: 800 }): Promise<Browser> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'keyhole-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true, viewport, deviceScaleFactor: 1 });
  const page = context.pages()[0] ?? (await context.newPage());
  const consoleErrors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(String(error)));
  return {
    context,
    page,
    consoleErrors,
    close: async () => {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** Saves a screenshot of the page for review: e2e-output/NAME.png. */
export async function screenshot(page: Page, name: string): Promise<Buffer> {
  mkdirSync(OUTPUT_DIR, { recursive: true });
  const bytes = await page.screenshot({ path: join(OUTPUT_DIR, `${name}.png`), animations: 'disabled', caret: 'hide' });
  return bytes;
}

export interface GoldenComparison {
  /** Fraction of pixels whose colour differs by more than the per-channel tolerance. */
  readonly differentFraction: number;
  readonly written: boolean;
}

/**
 * Compares a screenshot with the committed golden image. A pixel counts as different when a
 * channel differs by more than `channelTolerance` (anti-aliasing and font hinting move edges by a
 * few levels); the screen matches when at most `maxDifferentFraction` of pixels differ. With
 * KEYHOLE_UPDATE_GOLDENS=1 every golden is rewritten, with =missing only absent ones; otherwise a
 * missing golden fails the test.
 */
export function compareWithGolden(actual: Buffer, name: string, options: { channelTolerance?: number; maxDifferentFraction?: number } = {}): GoldenComparison {
  const file = join(GOLDEN_DIR, `${name}.png`);
  const update = process.env['KEYHOLE_UPDATE_GOLDENS'];
  if (update === '1' || (update === 'missing' && !existsSync(file))) {
    mkdirSync(GOLDEN_DIR, { recursive: true });
    writeFileSync(file, actual);
    return { differentFraction: 0, written: true };
  }
  if (!existsSync(file)) throw new Error(`no golden image ${file}: run once with KEYHOLE_UPDATE_GOLDENS=1, look at it, and commit it`);
  const expected = PNG.sync.read(readFileSync(file));
  const got = PNG.sync.read(actual);
  if (expected.width !== got.width || expected.height !== got.height) {
    throw new Error(`${name}: screenshot is ${got.width}×${got.height}, golden ${expected.width}×${expected.height}`);
  }
  const tolerance = options.channelTolerance ?? 24;
  let different = 0;
  for (let i = 0; i < got.data.length; i += 4) {
    for (let c = 0; c < 3; c++) {
      if (Math.abs(got.data[i + c]! - expected.data[i + c]!) > tolerance) {
        different++;
        break;
      }
    }
  }
  const differentFraction = different / (got.width * got.height);
  const limit = options.maxDifferentFraction ?? 0.01;
  if (differentFraction > limit) {
    mkdirSync(OUTPUT_DIR, { recursive: true });
    writeFileSync(join(OUTPUT_DIR, `${name}.actual.png`), actual);
    throw new Error(`${name}: ${(differentFraction * 100).toFixed(2)} % of pixels differ from the golden (limit ${(limit * 100).toFixed(2)} %); see e2e-output/${name}.actual.png`);
  }
  console.info(`golden ${name}: ${(differentFraction * 100).toFixed(3)} % of pixels differ (limit ${(limit * 100).toFixed(2)} %)`);
  return { differentFraction, written: false };
}

/** The first admin of a fresh archive, created through the one-time link as a user would; lands on the worklist. */
export async function createFirstAdmin(page: Page, server: TestServer, admin: { readonly name: string; readonly password: string }): Promise<void> {
  await page.goto(server.setupLink);
  await page.getByLabel('Name').fill(admin.name);
  await page.getByLabel('Password').fill(admin.password);
  await page.getByRole('button', { name: 'Create' }).click();
  await page.getByTestId('worklist').waitFor();
}

/** Imports files through the import dialog and closes it once every file has its result. */
export async function importThroughDialog(page: Page, files: readonly string[], timeoutMs = 180_000): Promise<void> {
  await page.getByTestId('open-import').click();
  await page.getByTestId('import-files').setInputFiles([...files]);
  await page.getByTestId('import-summary').filter({ hasText: 'Done:' }).waitFor({ timeout: timeoutMs });
  await page.getByTestId('close-import').click();
}

/** A screenshot of the page when a test failed, named after the test (afterEach). */
export async function screenshotOnFailure(page: Page | undefined, context: { readonly task: { readonly name: string; readonly result?: { readonly state?: string } } }, prefix: string): Promise<void> {
  if (context.task.result?.state === 'fail' && page !== undefined) await screenshot(page, `failed-${prefix}-${context.task.name.slice(0, 40).replace(/[^a-z0-9]+/gi, '-')}`);
}
