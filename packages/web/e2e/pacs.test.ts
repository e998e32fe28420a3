/**
 * Import from a configured PACS, end to end in Debian's Chromium: Orthanc with its DICOMweb plugin
 * (Debian packages) is the PACS; the import dialog searches it by patient ID, pulls the study, and
 * the worklist then shows it. Skips with a message when Orthanc is not installed (CI installs it).
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { addDicomNode } from '@keyhole/server';
import { dicomwebPluginPath, orthancBinary, startOrthanc, type OrthancInstance } from '../../server/src/remote/test-support/orthanc.ts';
import { browserTestsEnabled, launchBrowser, screenshot, startServer, type Browser, type TestServer, createFirstAdmin } from './support.ts';
import { writePhantomFiles, type PhantomFiles } from './fixtures.ts';

const ADMIN = { name: 'ada', password: 'correct horse battery staple' };
const orthancAvailable = orthancBinary() !== undefined && dicomwebPluginPath() !== undefined;
if (!orthancAvailable && process.env['CI'] !== undefined) throw new Error('Orthanc and its DICOMweb plugin must be installed in CI (.ci/run installs orthanc orthanc-dicomweb)');

describe.runIf(browserTestsEnabled() && orthancAvailable)('import from a PACS (Chromium, real server, Orthanc as the PACS)', () => {
  let server: TestServer;
  let orthanc: OrthancInstance;
  let browser: Browser;
  let page: Page;
  let study: PhantomFiles;

  beforeAll(async () => {
    server = await startServer();
    orthanc = await startOrthanc();
    study = writePhantomFiles({ modality: 'mr-t2', seed: 5 }, join(mkdtempSync(join(tmpdir(), 'keyhole-e2e-pacs-')), 'mr'));
    await orthanc.upload(study.files.map((path) => new Uint8Array(readFileSync(path))));
    await addDicomNode(server.app.keyhole.db, { name: 'hospital-pacs', kind: 'remote-pacs', aeTitle: orthanc.aeTitle, host: '127.0.0.1', port: orthanc.dicomPort, dicomwebUrl: orthanc.dicomwebUrl });
    browser = await launchBrowser();
    page = browser.page;
    await createFirstAdmin(page, server, ADMIN);
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await orthanc?.stop();
    await server?.close();
  });

  it('searches the PACS by patient ID, pulls the study with its own result, and the worklist shows it', async () => {
    const patientId = 'KH-PHANTOM-5';
    await expect.poll(() => page.getByTestId('study-row').count()).toBe(0);
    await page.getByTestId('open-import').click();
    await page.getByTestId('pacs-pull').waitFor();
    await expect(page.getByTestId('pacs-node').inputValue()).resolves.toBe('hospital-pacs');
    await page.getByTestId('pacs-patient-id').fill('NO-SUCH-PATIENT');
    await page.getByTestId('pacs-search').click();
    await page.getByTestId('pacs-no-match').waitFor();
    await page.getByTestId('pacs-patient-id').fill(patientId);
    await page.getByTestId('pacs-search').click();
    await expect.poll(() => page.getByTestId('pacs-match').count()).toBe(1);
    await expect(page.getByTestId('pacs-match').textContent()).resolves.toContain(patientId);
    await page.getByTestId('pacs-pull-study').click();
    await expect.poll(() => page.getByTestId('pacs-pull-result').textContent(), { timeout: 60_000 }).toBe(`${study.files.length} stored`);
    await screenshot(page, 'import-from-pacs');
    await page.getByTestId('close-import').click();
    await expect.poll(() => page.getByTestId('study-row').count()).toBe(1);
    await expect(page.getByTestId('study-row').textContent()).resolves.toContain(patientId);
    const audit = await server.app.keyhole.db.selectFrom('audit').select(['action', 'outcome', 'study_uid']).where('action', 'in', ['remote.query', 'remote.retrieve']).execute();
    expect(audit.filter((a) => a.action === 'remote.retrieve' && a.outcome === 'success' && a.study_uid === study.studyUid)).toHaveLength(1);
  }, 180_000);
});
