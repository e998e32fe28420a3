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
import { browserTestsEnabled, compareWithGolden, launchBrowser, screenshot, startServer, type Browser, type TestServer, createFirstAdmin, importThroughDialog, screenshotOnFailure } from './support.ts';
import { mat4MulPoint } from '@keyhole/core';
import { writePhantomFiles, writeTruthSegmentation, type PhantomFiles } from './fixtures.ts';
import { checkCursorLps, currentOrientation } from './geometry-checks.ts';
import { markersFromImageOrientation } from '../src/viewer/orientation.ts';

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
  let proneSagittal: PhantomFiles;
  let truthSeg: { path: string; seriesInstanceUid: string };

  beforeAll(async () => {
    server = await startServer();
    // One phantom patient (seed 2), three studies in one frame of reference: the same anatomy in LPS.
    const root = mkdtempSync(join(tmpdir(), 'keyhole-e2e-tools-'));
    sagittalMr = writePhantomFiles({ modality: 'mr-t2', protocol: 'sagittal', seed: 2 }, join(root, 'sag-mr'));
    axialMr = writePhantomFiles({ modality: 'mr-t2', protocol: 'axial-angled', seed: 2 }, join(root, 'ax-mr'));
    sagittalCt = writePhantomFiles({ modality: 'ct', protocol: 'sagittal', seed: 2 }, join(root, 'sag-ct'));
    // Another patient, lying prone: a sagittal stack of known geometry for the markers and LPS checks.
    proneSagittal = writePhantomFiles({ modality: 'mr-t2', protocol: 'sagittal', position: 'prone', seed: 4 }, join(root, 'prone-sag'));
    // The sagittal T2's truth labels as a DICOM SEG in its study: the label-map overlay's input.
    truthSeg = writeTruthSegmentation(sagittalMr, 0, join(root, 'truth-seg.dcm'));
    browser = await launchBrowser();
    page = browser.page;
    await createFirstAdmin(page, server, ADMIN);
    await importThroughDialog(page, [...sagittalMr.files, ...axialMr.files, ...sagittalCt.files, ...proneSagittal.files, truthSeg.path], 180_000);
  }, 300_000);
  afterEach(async (context) => screenshotOnFailure(page, context, 'tools'));
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

  it('orientation markers and the LPS point under the cursor on a supine axial-oblique and a prone sagittal series (phantoms of known geometry)', async () => {
    const axialL5 = axialMr.seriesUids[axialMr.descriptions.findIndex((d) => d.includes('L5-S1'))]!;
    const cases = [
      { studyUid: axialMr.studyUid, seriesUid: axialL5, name: 'supine axial-oblique L5-S1' },
      { studyUid: proneSagittal.studyUid, seriesUid: proneSagittal.seriesUids[0]!, name: 'prone sagittal' },
    ];
    const seen: Record<string, { left: string; right: string; top: string; bottom: string }> = {};
    for (const c of cases) {
      await page.goto(`${server.url}/viewer/${c.studyUid}?series=${c.seriesUid}`);
      const state = await waitForViewer(page, c.studyUid);
      expect(state.seriesUid, c.name).toBe(c.seriesUid);
      // The markers follow the image's own Image Orientation (Patient), as the archive holds it …
      expect(state.markers, c.name).toEqual(markersFromImageOrientation(await currentOrientation(page, state)));
      // … and the LPS readout is IPP + column·Δc·row + row·Δr·column at two pixel centres.
      await checkCursorLps(page);
      seen[c.name] = state.markers;
      await screenshot(page, `viewer-${c.name.replace(/[^a-z0-9]+/gi, '-')}`);
    }
    // Known geometry: a supine axial slice tilted along the disc shows the patient's right on the
    // left and anterior (tilted toward S or I) at the top; a sagittal slice shows A/P across, S/I up and down.
    expect(seen['supine axial-oblique L5-S1']!.left).toBe('R');
    expect(seen['supine axial-oblique L5-S1']!.top).toMatch(/^A[SI]$/);
    expect(new Set([seen['prone sagittal']!.left, seen['prone sagittal']!.right])).toEqual(new Set(['A', 'P']));
    expect(new Set([seen['prone sagittal']!.top, seen['prone sagittal']!.bottom])).toEqual(new Set(['S', 'I']));
  });

  it('stack viewer keyboard: help overlay lists the shortcuts; I inverts, F/V flip, → rotates, R resets, Home/End/Page Down scroll, 2 applies a preset, C plays and pauses cine', async () => {
    await page.goto(`${server.url}/viewer/${sagittalCt.studyUid}?series=${sagittalCt.seriesUids[0]}`);
    const start = await waitForViewer(page, sagittalCt.studyUid);
    expect(start.markers).toEqual({ left: 'A', right: 'P', top: 'S', bottom: 'I' });
    await page.keyboard.press('?');
    await page.getByTestId('shortcut-help').waitFor();
    const help = (await page.getByTestId('shortcut-help').textContent()) ?? '';
    for (const text of ['Cine: play / pause', 'Invert grey scale', 'Flip horizontally', 'Window preset: bone (CT)', '10 images on', 'Operating-room mode', 'does not replace clinical judgement']) expect(help).toContain(text);
    await screenshot(page, 'shortcut-help');
    await page.keyboard.press('Escape');
    await page.getByTestId('shortcut-help').waitFor({ state: 'detached' });

    await page.keyboard.press('i');
    await expect.poll(async () => (await viewerState(page)).invert).toBe(true);
    await page.keyboard.press('f');
    await expect.poll(async () => (await viewerState(page)).markers).toEqual({ left: 'P', right: 'A', top: 'S', bottom: 'I' });
    await page.keyboard.press('v');
    await expect.poll(async () => (await viewerState(page)).markers).toEqual({ left: 'P', right: 'A', top: 'I', bottom: 'S' });
    expect(await viewerState(page)).toMatchObject({ flipHorizontal: true, flipVertical: true });
    await page.keyboard.press('r');
    await expect.poll(async () => { const s = await viewerState(page); return [s.invert, s.flipHorizontal, s.flipVertical, s.rotation]; }).toEqual([false, false, false, 0]);
    await page.keyboard.press('ArrowRight');
    await expect.poll(async () => (await viewerState(page)).rotation).toBe(90);
    // Turned 90° clockwise: the top of the screen now shows what was on the left (anterior).
    await expect.poll(async () => (await viewerState(page)).markers.top).toBe('A');
    await page.keyboard.press('r');
    await expect.poll(async () => (await viewerState(page)).markers).toEqual(start.markers);

    await page.keyboard.press('End');
    await expect.poll(async () => (await viewerState(page)).imageIndex).toBe(start.imageCount - 1);
    await page.keyboard.press('Home');
    await expect.poll(async () => (await viewerState(page)).imageIndex).toBe(0);
    await page.keyboard.press('PageDown');
    await expect.poll(async () => (await viewerState(page)).imageIndex).toBe(10);
    await page.keyboard.press('2');
    await expect.poll(async () => { const s = await viewerState(page); return [Math.round(s.windowWidth), Math.round(s.windowCenter)]; }).toEqual([400, 40]);

    // Cine: the stack plays (several different images seen), + raises the rate, C pauses it.
    await page.keyboard.press('c');
    await expect.poll(async () => (await viewerState(page)).cine.playing).toBe(true);
    const seen = new Set<number>();
    await expect.poll(async () => {
      seen.add((await viewerState(page)).imageIndex);
      return seen.size;
    }, { timeout: 20_000 }).toBeGreaterThanOrEqual(4);
    await page.keyboard.press('+');
    await expect.poll(async () => (await viewerState(page)).cine.fps).toBe(15);
    await page.keyboard.press('c');
    await expect.poll(async () => (await viewerState(page)).cine.playing).toBe(false);
    // A frame already requested may still land; after that the stack stays put.
    await page.waitForTimeout(300);
    const paused = (await viewerState(page)).imageIndex;
    await page.waitForTimeout(700);
    expect((await viewerState(page)).imageIndex).toBe(paused);
  });

  it('places a Cobb angle, an ellipse and a rectangle ROI with HU statistics; after a reload they come back with the same values', async () => {
    await page.keyboard.press('Home');
    await page.keyboard.press('PageDown');
    await page.keyboard.press('PageDown');
    await expect.poll(async () => (await viewerState(page)).imageIndex).toBe(20);
    const box = (await page.getByTestId('viewport').boundingBox())!;
    const cx = box.x + box.width / 2;
    const cy = box.y + box.height / 2;
    // Cobb: a horizontal line, then a line rising 30° on screen (square pixels keep screen angles).
    await page.getByTestId('tool-cobb').click();
    await page.mouse.move(cx - 150, cy - 150);
    await page.mouse.down();
    await page.mouse.move(cx - 30, cy - 150, { steps: 6 });
    await page.mouse.up();
    const t = (30 * Math.PI) / 180;
    await page.mouse.move(cx - 150, cy + 150, { steps: 4 });
    await page.mouse.down();
    await page.mouse.move(cx - 150 + 140 * Math.cos(t), cy + 150 - 140 * Math.sin(t), { steps: 6 });
    await page.mouse.up();
    // An ellipse (drawn from its centre: 2 × 45 by 2 × 35 screen pixels) and an 80 × 80 pixel rectangle.
    await page.getByTestId('tool-ellipse').click();
    await page.mouse.move(cx + 20, cy - 60);
    await page.mouse.down();
    await page.mouse.move(cx + 65, cy - 25, { steps: 6 });
    await page.mouse.up();
    await page.getByTestId('tool-rectangle').click();
    await page.mouse.move(cx + 20, cy + 40);
    await page.mouse.down();
    await page.mouse.move(cx + 100, cy + 120, { steps: 6 });
    await page.mouse.up();
    await expect.poll(async () => (await viewerState(page)).measurements.filter((m) => m.status === 'saved').map((m) => m.tool).sort(), { timeout: 20_000 }).toEqual(['cobb-angle', 'ellipse-roi', 'rectangle-roi']);
    const before = (await viewerState(page)).measurements;
    const cobb = before.find((m) => m.tool === 'cobb-angle')!;
    expect(Math.abs(cobb.cobbDeg! - 30)).toBeLessThan(1);
    // The areas against the sizes drawn on screen (mm per screen pixel from the camera; the mouse lands on whole pixels).
    const mmPerPixel = ((await viewerState(page)).camera!.parallelScale * 2) / box.height;
    const ellipse = before.find((m) => m.tool === 'ellipse-roi')!;
    const rectangle = before.find((m) => m.tool === 'rectangle-roi')!;
    expect(ellipse.stats!.areaMm2 / ((Math.PI / 4) * 90 * 70 * mmPerPixel ** 2)).toBeCloseTo(1, 1);
    expect(rectangle.stats!.areaMm2 / (80 * 80 * mmPerPixel ** 2)).toBeCloseTo(1, 1);
    for (const roi of [ellipse, rectangle]) {
      const ours = roi.stats!;
      console.info(`${roi.tool}: mean ${ours.mean.toFixed(2)} HU, SD ${ours.sd.toFixed(2)}, min ${ours.min}, max ${ours.max}, area ${ours.areaMm2.toFixed(2)} mm² (${ours.pixelCount} pixels)`);
      expect(ours.pixelCount).toBeGreaterThan(100);
      expect(ours.min).toBeLessThanOrEqual(ours.mean);
      expect(ours.max).toBeGreaterThanOrEqual(ours.mean);
    }
    // Two implementations agree: cornerstone3D's own statistics (its text beside each ROI). The ellipse
    // takes the same pixels; cornerstone's rectangle takes every pixel its corners' pixels span (ours
    // those whose centres lie inside), so its values may differ by an edge row or column.
    const library = async (tool: string) => (await viewerState(page)).measurements.find((m) => m.tool === tool)?.libraryStats;
    await expect.poll(async () => {
      const l = await library('ellipse-roi');
      return l === undefined ? 'none' : [l.area / ellipse.stats!.areaMm2, l.mean - ellipse.stats!.mean, l.stdDev - ellipse.stats!.sd, l.min - ellipse.stats!.min, l.max - ellipse.stats!.max].map((v) => Math.round(v * 100) / 100 + 0); // + 0: no -0
    }).toEqual([1, 0, 0, 0, 0]);
    // Its rectangle area from the handle distances in index space: the same within 1 %.
    await expect.poll(async () => Math.abs(((await library('rectangle-roi'))?.area ?? 0) / rectangle.stats!.areaMm2 - 1)).toBeLessThan(0.01);
    const rectangleLibrary = (await library('rectangle-roi'))!;
    console.info(`rectangle-roi: cornerstone3D mean ${rectangleLibrary.mean.toFixed(2)} SD ${rectangleLibrary.stdDev.toFixed(2)} min ${rectangleLibrary.min} max ${rectangleLibrary.max} area ${rectangleLibrary.area.toFixed(2)} mm²`);
    expect(Math.abs(rectangleLibrary.mean - rectangle.stats!.mean)).toBeLessThan(Math.max(5, 0.05 * Math.abs(rectangle.stats!.mean)));
    await expect(page.getByTestId('measurement-list').textContent()).resolves.toMatch(/Ellipse mean -?\d+\.\d HU, SD \d+\.\d/);
    await screenshot(page, 'viewer-cobb-roi');

    await page.reload();
    await waitForViewer(page, sagittalCt.studyUid);
    await page.evaluate((index) => window.__keyhole!.viewer!.scrollTo(index), 20);
    await expect.poll(async () => (await viewerState(page)).measurements.filter((m) => m.tool === 'cobb-angle' || m.stats !== undefined).length, { timeout: 20_000 }).toBe(3);
    const after = (await viewerState(page)).measurements;
    for (const m of before) {
      const again = after.find((a) => a.uid === m.uid)!;
      expect(again.tool).toBe(m.tool);
      if (m.cobbDeg !== undefined) expect(again.cobbDeg).toBeCloseTo(m.cobbDeg, 6);
      if (m.stats !== undefined) for (const key of ['mean', 'sd', 'min', 'max', 'areaMm2', 'pixelCount'] as const) expect(again.stats![key], `${m.tool} ${key}`).toBeCloseTo(m.stats[key], 3);
    }
  });

  it('MPR axial-oblique: Tilt turns the sagittal and coronal planes about the axial normal; the three planes still meet at the crosshair', async () => {
    await page.getByTestId('open-mpr').click();
    await page.waitForFunction(() => window.__keyhole?.mpr?.state.status === 'ready' || window.__keyhole?.mpr?.state.status === 'error', undefined, { timeout: 60_000 });
    const mpr = async (): Promise<MprState> => page.evaluate(() => window.__keyhole!.mpr!.state);
    await expect.poll(async () => (await mpr()).views.length).toBe(3);
    const initial = await mpr();
    expect(initial.status, initial.error).toBe('ready');
    const normal = (state: MprState, orientation: string): number[] => [...state.views.find((v) => v.orientation === orientation)!.viewPlaneNormal];
    for (let i = 0; i < 4; i++) await page.getByTestId('tilt-plus').click();
    await expect.poll(async () => (await mpr()).obliqueDeg).toBe(20);
    const tilted = await mpr();
    const axis = normal(initial, 'axial');
    expect(dot(normal(tilted, 'axial'), axis)).toBeCloseTo(1, 6);
    for (const orientation of ['sagittal', 'coronal']) {
      expect(dot(normal(tilted, orientation), normal(initial, orientation)), orientation).toBeCloseTo(Math.cos((20 * Math.PI) / 180), 6);
      expect(Math.abs(dot(normal(tilted, orientation), axis)), orientation).toBeLessThan(1e-6);
    }
    const center = tilted.crosshairLps!;
    for (const view of tilted.views) {
      expect(Math.abs(view.crosshairPlaneDistance!), `${view.orientation} plane distance`).toBeLessThan(0.01);
      view.crosshairFromCanvas!.forEach((v, a) => expect(Math.abs(v - center[a]!), `${view.orientation} axis ${a}`).toBeLessThan(0.01));
    }
    // The tilted sagittal plane's horizontal screen direction is now oblique: two letters (A or P with R or L).
    const sagittalMarkers = tilted.views.find((v) => v.orientation === 'sagittal')!.markers;
    expect(sagittalMarkers.left).toMatch(/^[AP][RL]$/);
    expect(sagittalMarkers.top).toBe('S');
    await screenshot(page, 'mpr-oblique');
    await page.keyboard.press('\\');
    await expect.poll(async () => (await mpr()).obliqueDeg).toBe(0);
    expect(dot(normal(await mpr(), 'sagittal'), normal(initial, 'sagittal'))).toBeCloseTo(1, 6);
    await page.getByTestId('back-to-stack').click();
    await waitForViewer(page, sagittalCt.studyUid);
  });

  it('operating-room mode: large type, touch-sized controls, the statement still visible; O toggles it (golden)', async () => {
    await page.getByTestId('toggle-or-mode').click();
    await expect.poll(() => page.evaluate(() => getComputedStyle(document.documentElement).fontSize)).toBe('30px');
    const next = (await page.getByTestId('next-image').boundingBox())!;
    expect(next.height).toBeGreaterThanOrEqual(48);
    expect(next.width).toBeGreaterThanOrEqual(48);
    await expect(page.getByTestId('tool-length').isVisible()).resolves.toBe(false);
    // The whole app fits the screen: the statement stays in view under the image.
    const statement = (await page.getByTestId('disclaimer').boundingBox())!;
    expect(statement.y + statement.height).toBeLessThanOrEqual(800);
    expect(statement.y).toBeGreaterThan(0);
    const markerSize = await page.getByTestId('marker-left').evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    expect(markerSize).toBeGreaterThanOrEqual(48);
    const before = (await viewerState(page)).imageIndex;
    await page.getByTestId('next-image').click();
    await expect.poll(async () => (await viewerState(page)).imageIndex).toBe(before + 1);
    await page.getByTestId('previous-image').click();
    await expect.poll(async () => (await viewerState(page)).imageIndex).toBe(before);
    await page.mouse.move(0, 0);
    compareWithGolden(await screenshot(page, 'viewer-or-mode'), 'viewer-or-mode', { maxDifferentFraction: 0.02 });
    await page.keyboard.press('o');
    await expect.poll(() => page.evaluate(() => getComputedStyle(document.documentElement).fontSize)).toBe('15px');
    await expect(page.getByTestId('tool-length').isVisible()).resolves.toBe(true);
  });

  it('overlays the study segmentation on the sagittal T2: structure names under the cursor match the truth labels, each structure toggles', async () => {
    await page.goto(`${server.url}/viewer/${sagittalMr.studyUid}?series=${sagittalMr.seriesUids[0]}`);
    await waitForViewer(page, sagittalMr.studyUid);
    // The SEG series is not offered as a stack; it shows in the label panel.
    await expect(page.getByTestId('series-choice').count()).resolves.toBe(1);
    await expect.poll(async () => (await viewerState(page)).labels?.status, { timeout: 30_000 }).toBe('ready');
    const labels = (await viewerState(page)).labels!;
    expect(labels.segmentationSeriesUid).toBe(truthSeg.seriesInstanceUid);
    expect(labels.structures.length).toBeGreaterThan(10);
    await expect(page.getByTestId('disclaimer').textContent()).resolves.toContain('does not replace clinical judgement');

    // The truth at an LPS point: the phantom's own label volume and legend.
    const series = sagittalMr.study.series[0]!;
    const legend = sagittalMr.study.truthJson.legend as Record<number, string>;
    const truthAt = (p: readonly number[]): string | undefined => {
      const index = mat4MulPoint(series.labels.worldToIndex, [p[0]!, p[1]!, p[2]!]).map(Math.round) as [number, number, number];
      const [ni, nj, nk] = series.labels.size;
      if (index.some((v, a) => v < 0 || v >= [ni, nj, nk][a]!)) return undefined;
      const value = series.labels.data[index[0] + ni * (index[1] + nj * index[2])] ?? 0;
      return value === 0 ? undefined : legend[value];
    };
    const box = (await page.getByTestId('viewport').boundingBox())!;
    const state = await viewerState(page);
    const [columns, rows] = [series.labels.size[0], series.labels.size[1]];
    let labelled: { name: string; canvas: [number, number] } | undefined;
    let named = 0;
    for (let gy = 1; gy <= 7; gy++) {
      for (let gx = 1; gx <= 7; gx++) {
        const canvas = await page.evaluate(([c, r]) => window.__keyhole!.viewer!.imageToCanvas(c + 0.5, r + 0.5), [Math.floor((gx * columns) / 8), Math.floor((gy * rows) / 8)] as const);
        await page.mouse.move(box.x + canvas[0], box.y + canvas[1]);
        await expect.poll(async () => (await viewerState(page)).cursorLps).toBeDefined();
        const after = await viewerState(page);
        const expected = truthAt(after.cursorLps!);
        expect(after.cursorStructure, `at LPS ${after.cursorLps!.map((v) => v.toFixed(1)).join(', ')}`).toBe(expected);
        if (expected !== undefined) {
          named++;
          labelled ??= { name: expected, canvas };
        }
      }
    }
    expect(named).toBeGreaterThanOrEqual(5);
    expect(state.imageIndex).toBe((await viewerState(page)).imageIndex);

    // The overlay paints the structure there; switching the structure off clears it, on paints it again.
    const alphaAt = (p: [number, number]): Promise<number> => page.evaluate(([x, y]) => (document.querySelector('[data-testid="label-overlay"]') as HTMLCanvasElement).getContext('2d')!.getImageData(Math.round(x!), Math.round(y!), 1, 1).data[3]!, p);
    await expect.poll(() => alphaAt(labelled!.canvas)).toBeGreaterThan(0);
    await screenshot(page, 'viewer-labels');
    const toggle = page.locator(`[data-testid="structure-toggle"][data-structure="${labelled!.name}"]`);
    await toggle.click();
    await expect.poll(() => alphaAt(labelled!.canvas)).toBe(0);
    expect((await viewerState(page)).labels!.structures.find((s) => s.name === labelled!.name)?.visible).toBe(false);
    await toggle.click();
    await expect.poll(() => alphaAt(labelled!.canvas)).toBeGreaterThan(0);
    await page.getByTestId('labels-shown').click();
    await expect.poll(() => alphaAt(labelled!.canvas)).toBe(0);
  });
});
