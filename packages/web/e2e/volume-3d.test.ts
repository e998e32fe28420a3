/**
 * 3D volume rendering end to end, in Debian's Chromium (SwiftShader WebGL) against a real server:
 * the phantom CT opened in the 3D view with the bone preset renders bone (non-blank pixels), the
 * orientation cube is drawn, dragging with the mouse rotates the camera (read from the viewer's
 * state), the edge letters follow the rotation, Reset brings back the frontal view; golden image.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { PNG } from 'pngjs';
import type { Volume3dState } from '../src/viewer/test-state.ts';
import { browserTestsEnabled, compareWithGolden, launchBrowser, screenshot, startServer, type Browser, type TestServer, createFirstAdmin, importThroughDialog, screenshotOnFailure } from './support.ts';
import { writePhantomFiles, type PhantomFiles } from './fixtures.ts';

const ADMIN = { name: 'ada', password: 'correct horse battery staple' };
type Vec3 = readonly [number, number, number];
const angleDeg = (a: Vec3, b: Vec3): number => (Math.acos(Math.max(-1, Math.min(1, (a[0] * b[0] + a[1] * b[1] + a[2] * b[2]) / (Math.hypot(...a) * Math.hypot(...b))))) * 180) / Math.PI;

async function state(page: Page): Promise<Volume3dState> {
  return page.evaluate(() => window.__keyhole!.volume3d!.state);
}

/** Fraction of the viewport's pixels that are not (near) black, and of its bottom-right corner that is coloured like the cube's faces. */
async function pixelsOf(page: Page): Promise<{ lit: number; cube: number }> {
  const png = PNG.sync.read(await page.getByTestId('volume3d-viewport').screenshot());
  let lit = 0;
  let cube = 0;
  let cornerPixels = 0;
  for (let y = 0; y < png.height; y++) {
    for (let x = 0; x < png.width; x++) {
      const i = (y * png.width + x) * 4;
      const [r, g, b] = [png.data[i]!, png.data[i + 1]!, png.data[i + 2]!];
      if (Math.max(r, g, b) > 40) lit++;
      if (x > png.width * 0.75 && y > png.height * 0.7) {
        cornerPixels++;
        // The cube's faces: blue (S/I), yellow (L/R), cyan (A/P) — saturated colours bone never has.
        if ((b > 150 && r < 90) || (r > 150 && g > 150 && b < 90) || (g > 150 && b > 150 && r < 90)) cube++;
      }
    }
  }
  return { lit: lit / (png.width * png.height), cube: cube / Math.max(1, cornerPixels) };
}

describe.runIf(browserTestsEnabled())('3D volume rendering (Chromium, real server)', () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  let ct: PhantomFiles;

  beforeAll(async () => {
    server = await startServer();
    ct = writePhantomFiles({ modality: 'ct', protocol: 'sagittal', seed: 2 });
    browser = await launchBrowser();
    page = browser.page;
    await createFirstAdmin(page, server, ADMIN);
    await importThroughDialog(page, ct.files, 120_000);
  }, 180_000);
  afterEach(async (context) => screenshotOnFailure(page, context, '3d'));
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('opens the phantom CT in 3D from the stack viewer: bone preset, non-blank rendering, orientation cube, frontal view (golden)', async () => {
    await page.goto(`${server.url}/viewer/${ct.studyUid}?series=${ct.seriesUids[0]}`);
    await page.getByTestId('open-3d').click();
    await page.waitForFunction(() => ['ready', 'error'].includes(window.__keyhole?.volume3d?.state.status ?? ''), undefined, { timeout: 90_000 });
    const opened = await state(page);
    expect(opened.status, opened.error).toBe('ready');
    expect(opened.preset).toBe('CT-Bone');
    expect(opened.orientationMarker).toBe(true);
    // Frontal view: looking from anterior to posterior, head up, patient's right on the screen's left.
    expect(opened.markers).toEqual({ left: 'R', right: 'L', top: 'S', bottom: 'I' });
    await expect.poll(async () => (await pixelsOf(page)).lit, { timeout: 30_000 }).toBeGreaterThan(0.02);
    const pixels = await pixelsOf(page);
    expect(pixels.cube).toBeGreaterThan(0.01);
    console.info(`3D: ${(pixels.lit * 100).toFixed(1)} % of the viewport lit, ${(pixels.cube * 100).toFixed(1)} % of its corner coloured by the cube`);
    compareWithGolden(await screenshot(page, 'volume-3d'), 'volume-3d', { maxDifferentFraction: 0.03 });
  });

  it('rotates with a mouse drag: the camera turns, the edge letters follow; Reset brings the frontal view back', async () => {
    const before = (await state(page)).camera!;
    const box = (await page.getByTestId('volume3d-viewport').boundingBox())!;
    await page.mouse.move(box.x + box.width / 2 - 120, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 + 120, box.y + box.height / 2, { steps: 4 });
    await page.mouse.up();
    await expect.poll(async () => angleDeg((await state(page)).camera!.viewPlaneNormal, before.viewPlaneNormal)).toBeGreaterThan(20);
    const dragged = await state(page);
    // A horizontal drag turns about the vertical: the head stays up.
    expect(angleDeg(dragged.camera!.viewUp, before.viewUp)).toBeLessThan(10);
    expect((await pixelsOf(page)).lit).toBeGreaterThan(0.02);
    await screenshot(page, 'volume-3d-rotated');
    // A quarter turn by the keyboard shows the patient from the side: A/P at the left and right edges.
    await page.getByTestId('reset-3d').click();
    await expect.poll(async () => angleDeg((await state(page)).camera!.viewPlaneNormal, before.viewPlaneNormal)).toBeLessThan(0.5);
    await page.evaluate(() => window.__keyhole!.volume3d!.rotate(90));
    await expect.poll(async () => { const m = (await state(page)).markers; return new Set([m.left, m.right]); }).toEqual(new Set(['A', 'P']));
    expect((await state(page)).markers).toMatchObject({ top: 'S', bottom: 'I' });
    await page.getByTestId('reset-3d').click();
    await expect.poll(async () => (await state(page)).markers).toEqual({ left: 'R', right: 'L', top: 'S', bottom: 'I' });
    const reset = (await state(page)).camera!;
    expect(angleDeg(reset.viewPlaneNormal, before.viewPlaneNormal)).toBeLessThan(0.5);
    expect(angleDeg(reset.viewUp, before.viewUp)).toBeLessThan(0.5);
  });

  it('changes the preset and returns to the stack viewer', async () => {
    await page.getByTestId('volume-preset').selectOption('CT-MIP');
    await expect.poll(async () => (await state(page)).preset).toBe('CT-MIP');
    expect((await pixelsOf(page)).lit).toBeGreaterThan(0.02);
    await page.getByTestId('back-to-stack').click();
    await page.waitForFunction(() => window.__keyhole?.viewer?.state.status === 'ready', undefined, { timeout: 60_000 });
    expect(browser.consoleErrors.filter((e) => !/Failed to load resource|401|403|404/.test(e))).toEqual([]);
  });
});
