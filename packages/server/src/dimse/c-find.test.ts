import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testServer } from '../test-support.ts';
import { storeInstances } from '../store/index.ts';
import { phantomSeries, type PhantomFixture } from '../store/test-fixtures.ts';
import { runCFind } from './c-find.ts';

describe('runCFind (Study Root, STUDY and SERIES level)', () => {
  let app: FastifyInstance;
  let phantom: PhantomFixture;
  let studyDate = '';
  beforeAll(async () => {
    app = await testServer();
    phantom = phantomSeries(5);
    await storeInstances({ archive: { db: app.keyhole.db, dataDir: app.keyhole.options.dataDir }, files: phantom.files });
    studyDate = (await app.keyhole.db.selectFrom('study').select('study_date').executeTakeFirstOrThrow()).study_date;
  });
  afterAll(async () => app?.close());

  const studyUids = async (identifier: Record<string, unknown>): Promise<string[]> => (await runCFind({ db: app.keyhole.db, identifier: { QueryRetrieveLevel: 'STUDY', StudyInstanceUID: '', ...identifier } })).studyUids;

  it('matches universal, wildcard, case-insensitive names, UID lists and date ranges as QIDO does', async () => {
    expect(studyDate).toMatch(/^\d{8}$/);
    expect(await studyUids({})).toEqual([phantom.studyUid]);
    expect(await studyUids({ PatientID: `${phantom.patientId.slice(0, 2)}*` })).toEqual([phantom.studyUid]);
    expect(await studyUids({ PatientID: `?${phantom.patientId.slice(1)}` })).toEqual([phantom.studyUid]);
    expect(await studyUids({ PatientID: 'nobody' })).toEqual([]);
    expect(await studyUids({ StudyInstanceUID: `1.2.3\\${phantom.studyUid}` })).toEqual([phantom.studyUid]);
    expect(await studyUids({ StudyDate: studyDate })).toEqual([phantom.studyUid]);
    expect(await studyUids({ StudyDate: `${studyDate}-` })).toEqual([phantom.studyUid]);
    expect(await studyUids({ StudyDate: `-${studyDate}` })).toEqual([phantom.studyUid]);
    expect(await studyUids({ StudyDate: '19000101-19000102' })).toEqual([]);
    expect(await studyUids({ ModalitiesInStudy: 'CT\\MR' })).toEqual([phantom.studyUid]);
    expect(await studyUids({ ModalitiesInStudy: 'CT' })).toEqual([]);
    // A literal % must not act as a wildcard.
    expect(await studyUids({ PatientID: '%' })).toEqual([]);
  });

  it('returns exactly the requested keys, filled, plus the unique key; series level counts instances', async () => {
    const study = await runCFind({ db: app.keyhole.db, identifier: { QueryRetrieveLevel: 'STUDY', PatientID: '', NumberOfStudyRelatedInstances: '' } });
    expect(study.matches).toEqual([{ QueryRetrieveLevel: 'STUDY', PatientID: phantom.patientId, NumberOfStudyRelatedInstances: phantom.files.length, StudyInstanceUID: phantom.studyUid }]);
    const series = await runCFind({ db: app.keyhole.db, identifier: { QueryRetrieveLevel: 'SERIES', StudyInstanceUID: phantom.studyUid, Modality: 'MR', NumberOfSeriesRelatedInstances: '' } });
    expect(series.matches).toEqual([{ QueryRetrieveLevel: 'SERIES', StudyInstanceUID: phantom.studyUid, Modality: 'MR', NumberOfSeriesRelatedInstances: phantom.files.length, SeriesInstanceUID: phantom.seriesUid }]);
    expect((await runCFind({ db: app.keyhole.db, identifier: { QueryRetrieveLevel: 'IMAGE' } })).level).toBeUndefined();
    // Non-ASCII text is declared as UTF-8 (ISO_IR 192).
    await app.keyhole.db.updateTable('patient').set({ patient_name: 'Müller^Zoë' }).execute();
    const named = await runCFind({ db: app.keyhole.db, identifier: { QueryRetrieveLevel: 'STUDY', PatientName: 'müller*' } });
    expect(named.matches[0]).toMatchObject({ PatientName: [{ Alphabetic: 'Müller^Zoë' }], SpecificCharacterSet: 'ISO_IR 192' });
  });
});
