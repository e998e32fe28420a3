/**
 * Viewer benchmark in the e2e tests' headless Chromium (software WebGL: SwiftShader), against a
 * real server on loopback:
 * - time from opening the viewer on a 512 × 512 × 300 CT (phantom) to its first rendered image,
 *   measured by the page (viewer state `firstImageMs`: from the viewer's mount to the first
 *   IMAGE_RENDERED of the stack) and, for the whole page, from navigation start;
 * - stack-scroll frame rate: scrolling image by image through 100 slices as fast as the viewer
 *   renders them (each step waits for the image's frame), cold (first pass: fetch + decode) and
 *   warm (second pass: cached).
 *
 * Run: `node --import tsx packages/web/bench/viewer-bench.ts [--slices 300] [--runs 3]`.
 * Prints JSON. Not a test: timings depend on the machine (reported with its load average).
 */
import { loadavg, cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { generatePhantomStudy, parsePhantomSpec } from '@keyhole/core';
import { launchBrowser, startServer } from '../e2e/support.ts';

function argument(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
}

const slices = argument('slices', 300);
const runs = argument('runs', 3);
const scrollSteps = Math.min(100, slices - 1);

const t0 = performance.now();
const study = generatePhantomStudy({ ...parsePhantomSpec({ modality: 'ct', seed: 7 }), grid: { size: [512, 512, slices] } });
const series = study.series[0]!;
const generateMs = performance.now() - t0;

const server = await startServer();
await server.addUser('bench', 'admin', 'benchmark password 1');
const login = await fetch(`${server.url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'bench', password: 'benchmark password 1' }) });
const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
for (let i = 0; i < series.files.length; i += 50) {
  const form = new FormData();
  for (const file of series.files.slice(i, i + 50)) form.append('file', new Blob([new Uint8Array(file.bytes)]), file.name);
  const response = await fetch(`${server.url}/api/upload`, { method: 'POST', headers: { cookie }, body: form });
  if (!response.ok) throw new Error(`upload failed: ${response.status} ${await response.text()}`);
}
const uid = study.truthJson.studyInstanceUid;

const results: Array<{ firstImageMs: number; pageToFirstImageMs: number; coldFps: number; warmFps: number }> = [];
for (let run = 0; run < runs; run++) {
  // A fresh browser profile each run: nothing cached between runs.
  const browser = await launchBrowser();
  const { page } = browser;
  await browser.context.addCookies([{ name: 'keyhole_session', value: cookie.split('=')[1] ?? '', url: server.url }]);
  await page.goto(`${server.url}/viewer/${uid}`);
  await page.waitForFunction(() => window.__keyhole?.viewer?.state.status === 'ready', undefined, { timeout: 120_000 });
  const first = await page.evaluate(() => ({ firstImageMs: window.__keyhole!.viewer!.state.firstImageMs ?? Number.NaN, sinceNavigation: performance.now() }));
  const scroll = (): Promise<number> =>
    page.evaluate(async (steps) => {
      const viewer = window.__keyhole!.viewer!;
      const start = performance.now();
      for (let i = 0; i < steps; i++) {
        const before = viewer.state.renderedFrames;
        await viewer.scrollTo(i);
        // Wait for the frame of this image (a rendered frame after the index changed).
        while (viewer.state.renderedFrames === before) await new Promise((resolve) => requestAnimationFrame(resolve));
      }
      return (steps / (performance.now() - start)) * 1000;
    }, scrollSteps);
  const coldFps = await scroll();
  const warmFps = await scroll();
  results.push({ firstImageMs: first.firstImageMs, pageToFirstImageMs: first.sinceNavigation, coldFps, warmFps });
  await browser.close();
}
await server.close();

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
console.log(JSON.stringify({
  machine: { cpus: cpus().length, model: cpus()[0]?.model, loadAverage: loadavg(), node: process.version },
  study: { size: [512, 512, slices], files: series.files.length, generateMs: Math.round(generateMs) },
  renderer: 'headless Chromium, software WebGL (SwiftShader), --disable-gpu',
  runs: results.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Math.round(v * 10) / 10]))),
  median: { firstImageMs: Math.round(median(results.map((r) => r.firstImageMs))), pageToFirstImageMs: Math.round(median(results.map((r) => r.pageToFirstImageMs))), coldScrollFps: Math.round(median(results.map((r) => r.coldFps)) * 10) / 10, warmScrollFps: Math.round(median(results.map((r) => r.warmFps)) * 10) / 10 },
}, null, 2));
