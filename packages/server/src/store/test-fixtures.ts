/**
 * Test fixtures for the store and DICOMweb tests: a small phantom MR series (generated, the
 * project's oracle) and the real CT series from ../shared/data.
 *
 * The real CT series (JPEG 2000 lossless, whatever its README says) was anonymised with its Study, Series and SOP Instance UIDs blanked (only the
 * file meta's Media Storage SOP Instance UID is left), which an archive must refuse. The fixture
 * fills them in (study and series UIDs derived from a fixed root, SOP Instance UID from the file
 * meta) with dcmjs, leaving pixel data and every other attribute as they are.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generatePhantomStudy, parseDicom, Tag } from '@keyhole/core';

export interface FixtureFile {
  readonly bytes: Uint8Array;
  readonly source: string;
}

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
export const SHARED_DATA = resolve(repoRoot, '../shared/data');
export const CT_SERIES_DIR = join(SHARED_DATA, 'ct-dicom-series', 'dicom');
export const hasCtSeries = existsSync(CT_SERIES_DIR);

/** Study and series UIDs given to the real CT series (2.25 = UUID-derived root, PS3.5 §B.2). */
export const CT_STUDY_UID = '2.25.1000000000000000000000000001';
export const CT_SERIES_UID = '2.25.1000000000000000000000000002';

interface DcmjsWriter {
  data: {
    DicomMessage: { readFile(buffer: ArrayBuffer): { meta: Record<string, { vr: string; Value?: unknown[] }>; dict: Record<string, { vr: string; Value?: unknown[] }>; write(options?: { fragmentMultiframe?: boolean }): ArrayBuffer } };
  };
}
const dcmjs = createRequire(import.meta.url)('dcmjs') as DcmjsWriter;

export function ctSeriesFiles(): FixtureFile[] {
  return readdirSync(CT_SERIES_DIR)
    .sort()
    .map((name) => {
      const original = readFileSync(join(CT_SERIES_DIR, name));
      const message = dcmjs.data.DicomMessage.readFile(original.buffer.slice(original.byteOffset, original.byteOffset + original.byteLength) as ArrayBuffer);
      const sop = String(message.meta['00020003']?.Value?.[0] ?? '');
      const sopClass = String(message.meta['00020002']?.Value?.[0] ?? '');
      message.dict['00080018'] = { vr: 'UI', Value: [sop] };
      message.dict['00080016'] = { vr: 'UI', Value: [sopClass] };
      message.dict['0020000D'] = { vr: 'UI', Value: [CT_STUDY_UID] };
      message.dict['0020000E'] = { vr: 'UI', Value: [CT_SERIES_UID] };
      message.dict['00100020'] = { vr: 'LO', Value: ['CT-TEST-1'] };
      // fragmentMultiframe: false keeps the pixel data's fragments as they were.
      return { bytes: new Uint8Array(message.write({ fragmentMultiframe: false })), source: name };
    });
}

export interface PhantomFixture {
  readonly studyUid: string;
  readonly seriesUid: string;
  readonly patientId: string;
  readonly files: FixtureFile[];
}

/** A small sagittal MR T2 phantom series (a few slices of 64×64), generated in well under a second. */
export function phantomSeries(seed = 7): PhantomFixture {
  const study = generatePhantomStudy({ seed, modality: 'mr-t2', levels: { from: 'L4', to: 'L5' }, grid: { size: [64, 64, 6], spacing: [3, 3, 4] } });
  const series = study.series[0]!;
  const files = series.files.map((file) => ({ bytes: file.bytes, source: file.name }));
  const first = files[0];
  const patientId = first === undefined ? '' : (parseDicom({ bytes: first.bytes, source: first.source }).dataset.string(Tag.PatientID) ?? '');
  return { studyUid: study.truthJson.studyInstanceUid, seriesUid: series.seriesInstanceUid, patientId, files };
}

/**
 * External tools (DCMTK): present → run; absent → the test skips with a message, except under CI,
 * where a missing tool is a failure (CI must exercise them).
 */
export function hasTool(name: string): boolean {
  const found = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).status === 0;
  if (!found && process.env['CI'] !== undefined) throw new Error(`${name} is not installed, and CI must run the tests that need it (apt-get install dcmtk)`);
  if (!found) console.warn(`skipping: ${name} is not installed (apt-get install dcmtk)`);
  return found;
}
