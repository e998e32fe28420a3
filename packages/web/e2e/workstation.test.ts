/**
 * The workstation end to end, in Debian's Chromium against a real server: first admin through the
 * one-time link, import (files with a non-DICOM among them, a folder, a zip), worklist search and
 * sort, case view, the viewer (scroll, window, LPS under the cursor, orientation markers on
 * sagittal, axial-oblique and prone series), length and angle measurements that survive a reload,
 * refused actions (403), a lost connection, sign-out. Screenshots of every main screen go to
 * e2e-output/ for review; the main screens are compared with committed goldens.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { markersFromImageOrientation } from '../src/viewer/orientation.ts';
import type { MprState, ViewerState } from '../src/viewer/test-state.ts';
import { checkCursorLps, currentOrientation, viewerState, type FileGeometry } from './geometry-checks.ts';
import { browserTestsEnabled, compareWithGolden, launchBrowser, screenshot, SHARED_DATA, startServer, type Browser, type TestServer } from './support.ts';
import { setStudyAccess } from '@keyhole/server';
import { writePhantomFiles, zipFiles, type PhantomFiles } from './fixtures.ts';
// The server's repair of files with missing UIDs: deterministic, so the test knows the identifiers the import will assign.
import { assignMissingUids } from '../../server/src/store/repair/index.ts';
import { parseDicom, Tag } from '@keyhole/core';

const REAL_CT = join(SHARED_DATA, 'ct-dicom-series', 'dicom');

/**
 * The real CT as published, each file with the SOP Instance UID the import's repair gives it
 * (computed here with the same deterministic function) and its geometry read from the original
 * file by @keyhole/core's parser: the viewer is then checked against the files, not the archive.
 */
function realCtFiles(): { patientId: string; studyUid: string; bySop: Map<string, FileGeometry> } {
  const bySop = new Map<string, FileGeometry>();
  let patientId = '';
  let studyUid = '';
  for (const name of readdirSync(REAL_CT).sort()) {
    const bytes = readFileSync(join(REAL_CT, name));
    const repaired = assignMissingUids({ bytes, source: name });
    if (!repaired.repaired) throw new Error(`${name}: the real CT was expected to lack its UIDs`);
    patientId = repaired.assigned.PatientID ?? '';
    studyUid = repaired.assigned.StudyInstanceUID ?? '';
    const dataset = parseDicom({ bytes, source: name }).dataset;
    bySop.set(repaired.assigned.SOPInstanceUID ?? '', {
      ipp: dataset.numbers(Tag.ImagePositionPatient), iop: dataset.numbers(Tag.ImageOrientationPatient), spacing: dataset.numbers(Tag.PixelSpacing),
      rows: dataset.number(Tag.Rows) ?? 0, columns: dataset.number(Tag.Columns) ?? 0,
    });
  }
  return { patientId, studyUid, bySop };
}
const realCt = existsSync(REAL_CT) ? realCtFiles() : undefined;
const ADMIN = { name: 'ada', password: 'correct horse battery staple' };
const VIEWER = { name: 'vic', password: 'viewer password 1234' };

/** Waits until the viewer (of `studyUid`, when given) has drawn its first image, or failed. */
async function waitForViewer(page: Page, studyUid?: string): Promise<ViewerState> {
  await page.waitForFunction((study) => {
    const state = window.__keyhole?.viewer?.state;
    if (state === undefined || (study !== undefined && state.studyUid !== study)) return false;
    return state.status === 'error' || (state.status === 'ready' && state.imageCount > 0 && state.markers.left !== '');
  }, studyUid, { timeout: 60_000 });
  const state = await viewerState(page);
  if (state.status === 'error') throw new Error(`the viewer failed: ${state.error ?? ''}`);
  return state;
}

async function importFiles(page: Page, testId: 'import-files' | 'import-folder', files: string | string[]): Promise<void> {
  await page.getByTestId('open-import').click();
  await page.getByTestId(testId).setInputFiles(files);
  await page.getByTestId('import-summary').filter({ hasText: 'Done:' }).waitFor({ timeout: 120_000 });
}

async function closeImport(page: Page): Promise<void> {
  await page.getByTestId('close-import').click();
}

/** Opens the viewer on the study of a patient from the worklist; returns the study's UID. */
async function openStudyOf(page: Page, patientId: string): Promise<string> {
  await page.goto(page.url().replace(/\/viewer\/.*$/, '/'));
  const row = page.getByTestId('study-row').filter({ hasText: patientId });
  const studyUid = (await row.getAttribute('data-study-uid')) ?? '';
  await row.getByTestId('open-viewer').click();
  return studyUid;
}

describe.runIf(browserTestsEnabled())('web workstation (Chromium, real server)', () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  let sagittal: PhantomFiles;
  let proneAxial: PhantomFiles;
  const work = mkdtempSync(join(tmpdir(), 'keyhole-e2e-work-'));

  beforeAll(async () => {
    server = await startServer();
    sagittal = writePhantomFiles({ modality: 'mr-t2', protocol: 'sagittal', seed: 2 });
    proneAxial = writePhantomFiles({ modality: 'mr-t2', protocol: 'axial-angled', position: 'prone', seed: 3 });
    browser = await launchBrowser();
    page = browser.page;
  });
  afterEach(async (context) => {
    // A failed step leaves a picture of the screen behind for the person reading the failure.
    if (context.task.result?.state === 'fail' && page !== undefined) await screenshot(page, `failed-${context.task.name.slice(0, 40).replace(/[^a-z0-9]+/gi, '-')}`);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('shows the sign-in screen with the decision-support statement (golden)', async () => {
    await page.goto(server.url);
    await page.getByTestId('sign-in-form').waitFor();
    await expect(page.getByTestId('disclaimer').textContent()).resolves.toContain('does not replace clinical judgement');
    compareWithGolden(await screenshot(page, 'sign-in'), 'sign-in');
  });

  it('refuses a wrong password with a message, and the form stays usable', async () => {
    await page.getByLabel('Name').fill(ADMIN.name);
    await page.getByLabel('Password').fill('wrong password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByTestId('error-message').textContent()).resolves.toMatch(/name or password is wrong/);
  });

  it('creates the first admin through the one-time link and lands on the empty worklist, signed in', async () => {
    await page.goto(server.setupLink);
    await page.getByLabel('Name').fill(ADMIN.name);
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Create' }).click();
    await page.getByTestId('worklist').waitFor();
    await expect(page.getByTestId('signed-in-as').textContent()).resolves.toBe(`${ADMIN.name} (admin)`);
    await expect(page.getByTestId('study-table').textContent()).resolves.toContain('holds no study yet');
    // A second account, read-only, for the refusal tests (the link works only on an empty archive).
    await server.addUser(VIEWER.name, 'viewer', VIEWER.password);
  });

  it('imports files with per-file results: the phantom series stored, a non-DICOM file refused by name with the reason', async () => {
    const notDicom = join(work, 'notes.txt');
    writeFileSync(notDicom, 'referral letter, not an image\n');
    await importFiles(page, 'import-files', [...sagittal.files, notDicom]);
    const rows = page.getByTestId('import-row');
    await expect(rows.count()).resolves.toBe(sagittal.files.length + 1);
    const refused = rows.filter({ hasText: 'notes.txt' });
    await expect(refused.getAttribute('data-state')).resolves.toBe('failed');
    await expect(refused.textContent()).resolves.toMatch(/not a readable DICOM file/);
    await expect(page.getByTestId('import-summary').textContent()).resolves.toContain(`${sagittal.files.length} stored`);
    await screenshot(page, 'import-dialog');
    await closeImport(page);
  });

  it('imports a zip archive (the prone axial-oblique phantom) and a folder (the real CT)', async () => {
    const zip = zipFiles(proneAxial.files, join(work, 'prone-axial.zip'));
    await importFiles(page, 'import-files', zip);
    await expect(page.getByTestId('import-summary').textContent()).resolves.toContain(`${proneAxial.files.length} stored`);
    await closeImport(page);
    if (existsSync(REAL_CT)) {
      // As published, the real CT's Study/Series/SOP Instance UIDs are blank: every file is refused, each with the reason.
      await importFiles(page, 'import-folder', REAL_CT);
      const count = readdirSync(REAL_CT).length;
      await expect(page.getByTestId('import-summary').textContent()).resolves.toContain(`0 stored, 0 already in the archive, ${count} refused`);
      await expect(page.getByTestId('import-errors').locator('li').count()).resolves.toBe(count);
      await expect(page.getByTestId('import-errors').locator('li').first().textContent()).resolves.toMatch(/Study Instance UID \(0020,000D\) is missing/);
      // Never silent: the dialog says what is wrong and offers the repair as an explicit choice.
      await expect(page.getByTestId('missing-identifiers').textContent()).resolves.toContain(`${count} files lack the identifiers`);
      await screenshot(page, 'import-refused');
      await page.getByTestId('import-assign-uids').click();
      await page.getByTestId('import-summary').filter({ hasText: 'Done:' }).waitFor({ timeout: 120_000 });
      await expect(page.getByTestId('import-summary').textContent()).resolves.toContain(`${count} stored, 0 already in the archive, 0 refused`);
      await expect(page.getByTestId('assigned-note').textContent()).resolves.toContain(`New identifiers were assigned by Keyhole to ${count} files`);
      await expect(page.getByTestId('missing-identifiers').count()).resolves.toBe(0);
      await screenshot(page, 'import-repaired');
      await closeImport(page);
      // Idempotent: the same folder repaired again finds every file already in the archive (same UIDs).
      await importFiles(page, 'import-folder', REAL_CT);
      await page.getByTestId('import-assign-uids').click();
      await page.getByTestId('import-summary').filter({ hasText: 'Done:' }).waitFor({ timeout: 120_000 });
      await expect(page.getByTestId('import-summary').textContent()).resolves.toContain(`0 stored, ${count} already in the archive, 0 refused`);
      await closeImport(page);
      // The audit log names the repair (admin's audit query).
      const audit = await page.evaluate(async (study) => (await fetch(`/api/audit?action=upload&study=${study}`)).json() as Promise<unknown>, realCt!.studyUid);
      expect(JSON.stringify(audit)).toContain('identifiers assigned by Keyhole');
    } else {
      console.warn(`real CT not found at ${REAL_CT}: imported the phantoms only`);
    }
  });

  it('lists, searches and sorts the studies in the worklist (golden)', async () => {
    const rows = page.getByTestId('study-row');
    const expected = existsSync(REAL_CT) ? 3 : 2;
    await expect.poll(() => rows.count()).toBe(expected);
    await page.getByTestId('sort-patientId').click();
    const ids = await rows.evaluateAll((trs) => trs.map((tr) => tr.children[1]?.textContent ?? ''));
    expect(ids).toEqual([...ids].sort((a, b) => a.localeCompare(b, undefined, { numeric: true, sensitivity: 'base' })));
    await page.getByTestId('sort-patientId').click();
    const descending = await rows.evaluateAll((trs) => trs.map((tr) => tr.children[1]?.textContent ?? ''));
    expect(descending).toEqual([...ids].reverse());
    await page.getByTestId('worklist-search').fill('zzz-no-such-patient');
    await expect(page.getByTestId('study-table').textContent()).resolves.toContain('No study matches');
    await page.getByTestId('worklist-search').fill('');
    await page.getByTestId('sort-patientId').click();
    compareWithGolden(await screenshot(page, 'worklist'), 'worklist');
  });
  it('opens a case for the CT from the worklist: patient header and the tabs later work fills (golden)', async () => {
    await page.getByTestId('study-row').filter({ hasText: realCt?.patientId ?? 'no real CT' }).getByTestId('open-case').click();
    await page.getByTestId('case-view').waitFor();
    await page.getByTestId('series-row').first().waitFor();
    for (const tab of ['images', 'anatomy', 'findings', 'symptoms', 'plan', 'follow-up']) await expect(page.getByTestId(`tab-${tab}`).count()).resolves.toBe(1);
    await page.getByTestId('tab-findings').click();
    await expect(page.locator('.tab-panel').textContent()).resolves.toContain('not recorded for this case yet');
    await page.getByTestId('tab-images').click();
    await page.getByTestId('series-row').first().waitFor();
    compareWithGolden(await screenshot(page, 'case'), 'case');
  });

  it('opens the CT in the viewer: image, patient/study overlays, markers R/L/A/P (golden)', async () => {
    await page.getByTestId('open-series').first().click();
    const state = await waitForViewer(page);
    expect(state.imageCount).toBe(existsSync(REAL_CT) ? readdirSync(REAL_CT).length : state.imageCount);
    expect(state.markers).toEqual({ left: 'R', right: 'L', top: 'A', bottom: 'P' });
    await expect(page.getByTestId('overlay-patient').textContent()).resolves.toContain(realCt?.patientId ?? 'no real CT');
    await expect(page.getByTestId('marker-left').textContent()).resolves.toBe('R');
    compareWithGolden(await screenshot(page, 'viewer-ct'), 'viewer-ct', { maxDifferentFraction: 0.02 });
  });

  it('scrolls the stack with the mouse wheel and the keyboard', async () => {
    const before = (await viewerState(page)).imageIndex;
    const box = (await page.getByTestId('viewport').boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.wheel(0, 120);
    await expect.poll(async () => (await viewerState(page)).imageIndex).not.toBe(before);
    const afterWheel = (await viewerState(page)).imageIndex;
    await page.keyboard.press('ArrowDown');
    await expect.poll(async () => (await viewerState(page)).imageIndex).toBe(Math.min(afterWheel + 1, (await viewerState(page)).imageCount - 1));
    await page.keyboard.press('ArrowUp');
    await expect.poll(async () => (await viewerState(page)).imageIndex).toBe(afterWheel);
    await expect.poll(() => page.getByTestId('overlay-image').textContent()).toContain(`Image ${afterWheel + 1} / `);
  });

  it('changes the window with presets and by dragging', async () => {
    await page.getByTestId('preset-bone').click();
    await expect.poll(async () => { const s = await viewerState(page); return [Math.round(s.windowWidth), Math.round(s.windowCenter)]; }).toEqual([2000, 500]);
    await page.getByTestId('preset-soft-tissue').click();
    await expect.poll(async () => { const s = await viewerState(page); return [Math.round(s.windowWidth), Math.round(s.windowCenter)]; }).toEqual([400, 40]);
    await page.getByTestId('tool-window').click();
    const box = (await page.getByTestId('viewport').boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 + 60, box.y + box.height / 2 + 30, { steps: 6 });
    await page.mouse.up();
    const dragged = await viewerState(page);
    expect([Math.round(dragged.windowWidth), Math.round(dragged.windowCenter)]).not.toEqual([400, 40]);
    await expect.poll(() => page.getByTestId('overlay-image').textContent()).toContain(`W ${Math.round(dragged.windowWidth)} L ${Math.round(dragged.windowCenter)}`);
  });

  it('reads the LPS point under the cursor as Image Position + column and row steps (PS3.3 C.7.6.2.1.1); on the real CT, against the original files', async () => {
    await checkCursorLps(page);
    if (realCt === undefined) return;
    // The repaired CT against the files as published (their own Image Position/Orientation): the
    // repair changed identifiers only. Two slices: the one scrolled to, and the last.
    const start = await viewerState(page);
    for (const index of [start.imageIndex, start.imageCount - 1]) {
      await page.getByTestId('viewport').hover();
      if (index !== start.imageIndex) await page.keyboard.press('End');
      await expect.poll(async () => (await viewerState(page)).imageIndex).toBe(index);
      const state = await viewerState(page);
      const geometry = realCt.bySop.get(state.sopInstanceUid);
      expect(geometry, `slice ${index} (${state.sopInstanceUid}) is one of the original files`).toBeDefined();
      await checkCursorLps(page, geometry);
    }
    expect((await viewerState(page)).studyUid).toBe(realCt.studyUid);
  });

  it('places a length and an angle measurement; both are saved to the archive', async () => {
    const box = (await page.getByTestId('viewport').boundingBox())!;
    const cx = box.x + box.width / 2;
    const cy = box.y + box.height / 2;
    await page.getByTestId('tool-length').click();
    await page.mouse.move(cx - 120, cy - 40);
    await page.mouse.down();
    await page.mouse.move(cx + 80, cy - 40, { steps: 8 });
    await page.mouse.up();
    await expect.poll(async () => (await viewerState(page)).measurements.filter((m) => m.tool === 'length' && m.status === 'saved').length).toBe(1);
    await page.getByTestId('tool-angle').click();
    await page.mouse.move(cx - 100, cy + 60);
    await page.mouse.down();
    await page.mouse.move(cx, cy + 140, { steps: 8 });
    await page.mouse.up();
    await page.mouse.move(cx + 100, cy + 60, { steps: 8 });
    await page.mouse.down();
    await page.mouse.up();
    await expect.poll(async () => (await viewerState(page)).measurements.filter((m) => m.tool === 'angle' && m.status === 'saved').length).toBe(1);
    const { measurements } = await viewerState(page);
    const length = measurements.find((m) => m.tool === 'length')!;
    const angle = measurements.find((m) => m.tool === 'angle')!;
    // 200 screen pixels at the viewer's scale: the length is the distance of its two LPS points.
    expect(length.lengthMm).toBeGreaterThan(50);
    expect(angle.angleDeg).toBeGreaterThan(60);
    expect(angle.angleDeg).toBeLessThan(120);
    const saved = await page.evaluate(async (study) => (await fetch(`/api/studies/${study}/annotations`)).json() as Promise<Array<{ uid: string; tool: string }>>, (await viewerState(page)).studyUid);
    expect(saved.map((a) => a.uid).sort()).toEqual([length.uid, angle.uid].sort());
    await screenshot(page, 'viewer-measurements');
  });

  it('finds both measurements again after a reload, with the same points', async () => {
    const before = (await viewerState(page)).measurements;
    await page.reload();
    await waitForViewer(page);
    await expect.poll(async () => (await viewerState(page)).measurements.length).toBe(before.length);
    const after = (await viewerState(page)).measurements;
    for (const m of before) {
      const again = after.find((a) => a.uid === m.uid);
      expect(again?.tool).toBe(m.tool);
      again!.points.forEach((p, i) => p.forEach((v, axis) => expect(v).toBeCloseTo(m.points[i]![axis]!, 3)));
    }
    await expect(page.getByTestId('measurement').count()).resolves.toBe(before.length);
  });

  it('opens MPR: axial, sagittal and coronal planes meet at the crosshair point, in every view (golden)', async () => {
    await page.getByTestId('open-mpr').click();
    await page.waitForFunction(() => window.__keyhole?.mpr?.state.status === 'ready' || window.__keyhole?.mpr?.state.status === 'error', undefined, { timeout: 60_000 });
    const mpr = async (): Promise<MprState> => page.evaluate(() => window.__keyhole!.mpr!.state);
    await expect.poll(async () => (await mpr()).views.length).toBe(3);
    const check = async (): Promise<MprState> => {
      const state = await mpr();
      expect(state.status, state.error).toBe('ready');
      const center = state.crosshairLps!;
      for (const view of state.views) {
        // The crosshair point lies on the plane each view shows, and its canvas position maps back to it.
        expect(Math.abs(view.crosshairPlaneDistance!), `${view.orientation} plane distance`).toBeLessThan(0.01);
        view.crosshairFromCanvas!.forEach((v, axis) => expect(Math.abs(v - center[axis]!), `${view.orientation} axis ${axis}`).toBeLessThan(0.01));
      }
      return state;
    };
    const initial = await check();
    const markers = Object.fromEntries(initial.views.map((v) => [v.orientation, v.markers]));
    expect(markers['axial']).toEqual({ left: 'R', right: 'L', top: 'A', bottom: 'P' });
    expect(markers['sagittal']).toEqual({ left: 'A', right: 'P', top: 'S', bottom: 'I' });
    expect(markers['coronal']).toEqual({ left: 'R', right: 'L', top: 'S', bottom: 'I' });
    compareWithGolden(await screenshot(page, 'mpr'), 'mpr', { maxDifferentFraction: 0.02 });
    // Move the crosshair to a known LPS point: every plane follows.
    const target: [number, number, number] = [initial.crosshairLps![0] + 30, initial.crosshairLps![1] - 20, initial.crosshairLps![2] + 4];
    await page.evaluate((p) => window.__keyhole!.mpr!.setCrosshair(p), target);
    await expect.poll(async () => (await mpr()).crosshairLps!.map((v) => Math.round(v * 100) / 100)).toEqual(target.map((v) => Math.round(v * 100) / 100));
    await expect.poll(async () => Math.max(...(await mpr()).views.map((v) => Math.abs(v.crosshairPlaneDistance!)))).toBeLessThan(0.01);
    await check();
    await screenshot(page, 'mpr-moved');
    await page.getByTestId('back-to-stack').click();
    await waitForViewer(page);
  });

  it('shows orientation markers from the image geometry on a sagittal series', async () => {
    const state = await waitForViewer(page, await openStudyOf(page, 'KH-PHANTOM-2'));
    const iop = await currentOrientation(page, state);
    expect(state.markers).toEqual(markersFromImageOrientation(iop));
    expect(new Set([state.markers.left, state.markers.right])).toEqual(new Set(['A', 'P']));
    expect(new Set([state.markers.top, state.markers.bottom])).toEqual(new Set(['S', 'I']));
    await checkCursorLps(page);
    await screenshot(page, 'viewer-sagittal');
  });

  it('shows orientation markers and LPS on axial-oblique series of a prone patient', async () => {
    await waitForViewer(page, await openStudyOf(page, 'KH-PHANTOM-3'));
    // The L5-S1 stack is tilted most (about 22° along the disc).
    await page.getByTestId('series-choice').filter({ hasText: 'L5-S1' }).click();
    // The overlay names the new series once it is loaded; then wait for its first image.
    await page.getByTestId('overlay-study').filter({ hasText: 'L5-S1' }).waitFor();
    const state = await waitForViewer(page);
    const iop = await currentOrientation(page, state);
    expect(state.markers).toEqual(markersFromImageOrientation(iop));
    // Prone: the patient's left lies on the screen's left as stored, and posterior at the top.
    expect(state.markers.left.startsWith('L')).toBe(true);
    expect(state.markers.top.startsWith('P')).toBe(true);
    // Oblique: the slice is tilted along the disc, so the vertical edges name a second axis (S or I).
    expect(state.markers.top).toMatch(/^P[SI]$/);
    expect(state.markers.bottom).toMatch(/^A[SI]$/);
    await checkCursorLps(page);
    await screenshot(page, 'viewer-prone-oblique');
  });

  it('a read-only user: the import is refused with a clear message (403) and the app stays usable; an unknown study says so', async () => {
    await page.getByTestId('sign-out').click();
    await page.getByTestId('sign-in-form').waitFor();
    await page.getByLabel('Name').fill(VIEWER.name);
    await page.getByLabel('Password').fill(VIEWER.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('worklist').waitFor();
    await importFiles(page, 'import-files', sagittal.files.slice(0, 2));
    await expect(page.getByTestId('import-row').first().textContent()).resolves.toMatch(/not allowed: role viewer may not patient-data write/);
    await expect(page.getByTestId('import-dialog').textContent()).resolves.toContain('Your account may not import images');
    await screenshot(page, 'import-forbidden');
    await closeImport(page);
    await expect.poll(() => page.getByTestId('study-row').count()).toBeGreaterThan(0);
    await page.goto(`${server.url}/viewer/1.2.826.0.1.999999`);
    await expect(page.getByTestId('error-message').textContent()).resolves.toMatch(/Not found|no study/i);
    await expect(page.getByTestId('signed-in-as').textContent()).resolves.toContain(VIEWER.name);
  });

  it('a study the user may not see: the viewer says so (403) and the app stays usable', async () => {
    // A real restriction (server study-access/): the study is restricted to the admin, so this
    // viewer's requests about it are refused by the server itself, and QIDO no longer lists it.
    await setStudyAccess(server.app.keyhole.db, sagittal.studyUid, [ADMIN.name], ADMIN.name);
    try {
      await page.goto(`${server.url}/viewer/${sagittal.studyUid}`);
      await expect(page.getByTestId('error-message').textContent()).resolves.toMatch(/not allowed.*may not see study/);
      await screenshot(page, 'viewer-forbidden');
      // Still signed in; the worklist still works, without the restricted study, and opens another one.
      await expect(page.getByTestId('signed-in-as').textContent()).resolves.toContain(VIEWER.name);
      await page.getByRole('button', { name: 'Worklist' }).click();
      await expect.poll(() => page.getByTestId('study-row').count()).toBeGreaterThan(0);
      const listed = await page.evaluate(async () => ((await (await fetch('/dicom-web/studies')).json()) as Array<Record<string, { Value?: string[] }>>).map((s) => s['0020000D']?.Value?.[0]));
      expect(listed).not.toContain(sagittal.studyUid);
      const refusals = await server.app.keyhole.db.selectFrom('audit').select(['outcome', 'study_uid']).where('user_name', '=', VIEWER.name).where('outcome', '=', 'denied').where('study_uid', '=', sagittal.studyUid).execute();
      expect(refusals.length).toBeGreaterThan(0);
    } finally {
      await setStudyAccess(server.app.keyhole.db, sagittal.studyUid, [], ADMIN.name);
    }
    await waitForViewer(page, await openStudyOf(page, 'KH-PHANTOM-3'));
  });

  it('says when the server cannot be reached, keeps the screen, and recovers by itself', async () => {
    await page.goto(server.url);
    await page.getByTestId('study-row').first().waitFor();
    const block = (route: { abort: (code: string) => Promise<void> }): Promise<void> => route.abort('connectionrefused');
    await page.route(/\/(api|dicom-web|healthz)/, block);
    await page.getByRole('button', { name: 'Refresh' }).click();
    await page.getByTestId('connection-lost').waitFor();
    await expect(page.getByTestId('error-message').textContent()).resolves.toContain('cannot be reached');
    await screenshot(page, 'connection-lost');
    await page.unroute(/\/(api|dicom-web|healthz)/, block);
    await page.getByTestId('connection-lost').waitFor({ state: 'detached', timeout: 15_000 });
    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect.poll(() => page.getByTestId('study-row').count()).toBeGreaterThan(0);
  });

  it('signs out: the session ends and a reload shows the sign-in screen', async () => {
    await page.getByTestId('sign-out').click();
    await page.getByTestId('sign-in-form').waitFor();
    await page.reload();
    await page.getByTestId('sign-in-form').waitFor();
    expect(browser.consoleErrors.filter((e) => !/Failed to load resource|ERR_CONNECTION_REFUSED|401|403|404/.test(e))).toEqual([]);
  });
});
