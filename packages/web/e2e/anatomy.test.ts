/**
 * The Anatomy tab end to end, in Debian's Chromium against a real server (issue 5, "in the
 * viewer"): a phantom CT imported, the spine found from the case (the server's run with its
 * progress), the level count with its confidence and cues shown, the numbering confirmed by a
 * person allowed to, and the labels opened on the images with the structure names of the phantom.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { browserTestsEnabled, launchBrowser, screenshot, startServer, type Browser, type TestServer, createFirstAdmin, importThroughDialog, screenshotOnFailure } from './support.ts';
import { writePhantomFiles, type PhantomFiles } from './fixtures.ts';

const ADMIN = { name: 'ada', password: 'correct horse battery staple' };

describe.runIf(browserTestsEnabled())('anatomy tab (Chromium, real server)', () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  let ct: PhantomFiles;

  beforeAll(async () => {
    server = await startServer();
    ct = writePhantomFiles({ modality: 'ct', seed: 3 }, join(mkdtempSync(join(tmpdir(), 'keyhole-e2e-anatomy-')), 'ct'));
    browser = await launchBrowser();
    page = browser.page;
    await createFirstAdmin(page, server, ADMIN);
    await importThroughDialog(page, ct.files, 180_000);
  }, 300_000);
  afterEach(async (context) => screenshotOnFailure(page, context, 'anatomy'));
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('finds the spine from the case, shows the count with its cues, takes the confirmation, and opens the labels on the images', async () => {
    const truth = (ct.study.truthJson as unknown as { sceneLevels: { vertebrae: string[] } }).sceneLevels.vertebrae;
    // The only study in the archive.
    await page.getByTestId('study-row').first().getByTestId('open-case').click();
    await page.getByTestId('case-view').waitFor();
    await page.getByTestId('tab-anatomy').click();
    await page.getByTestId('anatomy-panel').waitFor();
    await expect(page.getByTestId('anatomy-state').first().textContent()).resolves.toMatch(/not been looked for/);
    await page.getByTestId('anatomy-start').first().click();
    await page.getByTestId('level-count').waitFor({ timeout: 240_000 });
    await expect(page.getByTestId('level-count').textContent()).resolves.toContain(truth.join(' · '));
    await expect(page.getByTestId('level-count').textContent()).resolves.toMatch(/confidence \d\.\d\d/);
    expect(await page.getByTestId('level-cues').locator('tbody tr').count()).toBeGreaterThan(0);
    await expect(page.locator('.anatomy-panel .decision-support').textContent()).resolves.toContain('does not replace clinical judgement');
    await page.getByTestId('anatomy-confirm').click();
    await expect(page.getByTestId('anatomy-confirmed').textContent()).resolves.toContain('ada (admin)');
    await screenshot(page, 'anatomy-tab');

    await page.getByTestId('anatomy-view').click();
    // The run's SEG is overlaid on its source series with the structure names of the phantom's vocabulary.
    await page.waitForFunction(() => window.__keyhole?.viewer?.state.labels?.status === 'ready', undefined, { timeout: 90_000 });
    const labels = await page.evaluate(() => window.__keyhole!.viewer!.state.labels!);
    const names = labels.structures.map((s) => s.name);
    for (const name of ['L3', 'L4', 'L5', 'L4-L5']) expect(names, name).toContain(name);
    await page.getByTestId('label-panel').waitFor();
    expect(await page.getByTestId('structure-toggle').count()).toBe(names.length);

    // The spine model's names on the slice on screen (stack), and in MPR (the same layer on each of
    // the three planes): on the mid-sagittal plane through the crosshair every vertebra is named.
    const namesOn = async (testId: string): Promise<string[]> => ((await page.getByTestId(testId).getAttribute('data-names')) ?? '').split(',').filter((n) => n !== '');
    // Step through the stack until a slice passes through a vertebral body or a disc (its names appear).
    const fors = await page.evaluate(async (study) => ((await (await fetch(`/api/studies/${study}/anatomy`)).json()) as Array<{ frameOfReferenceUid?: string }>).map((r) => r.frameOfReferenceUid), ct.studyUid);
    expect(fors).toEqual([ct.frameOfReferenceUid]);
    await page.getByTestId('viewport').hover();
    for (let step = 0; step < 60 && (await namesOn('landmark-overlay')).length === 0; step++) {
      await page.keyboard.press('ArrowDown');
      await page.waitForTimeout(100);
    }
    expect(await namesOn('landmark-overlay')).not.toEqual([]);
    for (const name of await namesOn('landmark-overlay')) expect([...truth, ...truth.slice(0, -1).map((v, i) => `${v}-${truth[i + 1] === 'sacrum' ? 'S1' : truth[i + 1]}`)]).toContain(name);
    await page.getByTestId('open-mpr').click();
    await page.getByTestId('mpr-sagittal').waitFor();
    await expect.poll(async () => (await namesOn('mpr-sagittal-landmarks')).filter((n) => !n.includes('-')).sort(), { timeout: 90_000 }).toEqual([...truth].sort());
    await screenshot(page, 'anatomy-mpr-names');

    // Side by side: each viewport names what its own study's model puts on its slice.
    await page.getByTestId('back-to-stack').click();
    await page.getByTestId('open-compare').click();
    await page.getByTestId('compare-screen').waitFor();
    const pane = page.getByTestId('pane-viewport-0');
    await pane.waitFor();
    const box = (await pane.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    for (let step = 0; step < 60 && (await namesOn('pane-landmarks-0')).length === 0; step++) {
      await page.mouse.wheel(0, 120);
      await page.waitForTimeout(100);
    }
    expect(await namesOn('pane-landmarks-0')).not.toEqual([]);
  }, 400_000);
});
