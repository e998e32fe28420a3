/**
 * QIDO-RS (PS3.18 §10.6): search for studies, series and instances; answers are DICOM JSON
 * arrays (application/dicom+json). Matching is done by the database on indexed columns (see
 * qido-keys.ts, qido-query.ts); attributes asked for with `includefield` come from the stored
 * DICOM JSON of the matching (or, at study and series level, a representative) instance.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { visibleStudies } from '../study-access/study-access.ts';
import { sql } from 'kysely';
import type { DicomJsonDataset } from '../store/index.ts';
import { baseUrl, DICOM_JSON, dicomJsonArraySchema, el, sortedDataset, warning as warningHeader } from './dicom-json-response.ts';
import { DEFAULT_INSTANCE_TAGS, DEFAULT_SERIES_TAGS, DEFAULT_STUDY_TAGS, STUDY_LEVEL_GROUPS, type QueryLevel } from './qido-keys.ts';
import { parseQidoQuery, type QidoQuery } from './qido-query.ts';

const uid = { type: 'string', pattern: '^[0-9]+(\\.[0-9]+)*$', maxLength: 64 } as const;
const querystring = {
  type: 'object',
  properties: { limit: { type: 'integer', minimum: 0 }, offset: { type: 'integer', minimum: 0 }, fuzzymatching: { type: 'boolean' }, includefield: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] } },
  additionalProperties: true,
} as const;

type Params = { study?: string; series?: string };

type Visible = ReturnType<typeof visibleStudies>;

export const qidoPlugin: FastifyPluginAsync = async (app) => {
  const db = app.keyhole.db;
  const route = (url: string, level: QueryLevel, params: Array<'study' | 'series'>, summary: string) => {
    app.get<{ Params: Params; Querystring: Record<string, unknown> }>(url, {
      config: { access: 'patient-data:read' },
      schema: { tags: ['DICOMweb'], summary, querystring, ...(params.length > 0 ? { params: { type: 'object', properties: Object.fromEntries(params.map((p) => [p, uid])), required: params } } : {}), response: { 200: dicomJsonArraySchema } },
    }, async (request, reply) => search(request, reply, level));
  };

  async function search(request: FastifyRequest<{ Params: Params; Querystring: Record<string, unknown> }>, reply: FastifyReply, level: QueryLevel) {
    const query = parseQidoQuery(request.query, level);
    const { study, series } = request.params;
    request.audit.action = ({ study: 'qido.studies', series: 'qido.series', instance: 'qido.instances' } as const)[level];
    if (study !== undefined) request.audit.studyUid = study;
    const base = baseUrl(request);
    let results: Array<{ dataset: DicomJsonDataset; patientId: string }>;
    // Restricted studies of other users are not listed (study-access/); admins see every study.
    const visible = visibleStudies(request.principal);
    if (level === 'study') results = await searchStudies(query, base, visible);
    else if (level === 'series') results = await searchSeries(query, base, study, visible);
    else results = await searchInstances(query, base, study, series, visible);
    const patients = new Set(results.map((r) => r.patientId));
    if (patients.size === 1) request.audit.patientId = [...patients][0]!;
    request.audit.detail = `${results.length} result(s)${patients.size > 1 ? ` for ${patients.size} patients` : ''}`;
    for (const warning of query.warnings) void reply.header('Warning', warningHeader(warning));
    return reply.type(DICOM_JSON).send(results.map((r) => r.dataset));
  }

  async function representative(where: 'study' | 'series', id: number): Promise<DicomJsonDataset> {
    const row = where === 'series'
      ? await db.selectFrom('instance').select('metadata_json').where('series_ref', '=', id).orderBy('id').limit(1).executeTakeFirst()
      : await db.selectFrom('instance').innerJoin('series', 'series.id', 'instance.series_ref').select('instance.metadata_json').where('series.study_ref', '=', id).orderBy('instance.id').limit(1).executeTakeFirst();
    return row === undefined ? {} : (JSON.parse(row.metadata_json) as DicomJsonDataset);
  }

  function pick(dataset: DicomJsonDataset, extra: DicomJsonDataset, tags: string[], include: QidoQuery['includeFields'], allFilter: (tag: string) => boolean): DicomJsonDataset {
    const out: DicomJsonDataset = {};
    const wanted = include === 'all' ? Object.keys(extra).filter(allFilter) : include;
    for (const tag of wanted) {
      const element = extra[tag];
      if (element !== undefined && dataset[tag] === undefined && element.BulkDataURI === undefined) out[tag] = element;
    }
    for (const tag of tags) if (dataset[tag] !== undefined) out[tag] = dataset[tag];
    return sortedDataset({ ...out, ...Object.fromEntries(Object.entries(dataset).filter(([tag]) => tags.includes(tag) || (include !== 'all' && include.includes(tag)))) });
  }

  async function searchStudies(query: QidoQuery, base: string, visible: Visible) {
    let q = db.selectFrom('study').innerJoin('patient', 'patient.id', 'study.patient_ref').selectAll('study').select(['patient.patient_id', 'patient.patient_name', 'patient.birth_date', 'patient.sex']);
    if (visible !== undefined) q = q.where(visible);
    for (const c of query.conditions) q = q.where(c);
    const rows = await q.orderBy('study.id').limit(query.limit).offset(query.offset).execute();
    return Promise.all(rows.map(async (row) => {
      const dataset: DicomJsonDataset = {
        '00080020': el.str('DA', row.study_date), '00080030': el.str('TM', row.study_time), '00080050': el.str('SH', row.accession_number),
        '00080056': el.str('CS', 'ONLINE'), '00080061': el.strs('CS', row.modalities === '' ? [] : row.modalities.split('\\')), '00080090': el.pn(row.referring_physician),
        '00081030': el.str('LO', row.study_description),
        '00081190': el.str('UR', `${base}/dicom-web/studies/${row.study_uid}`), '00100010': el.pn(row.patient_name), '00100020': el.str('LO', row.patient_id),
        '00100030': el.str('DA', row.birth_date), '00100040': el.str('CS', row.sex), '0020000D': el.str('UI', row.study_uid), '00200010': el.str('SH', row.study_id),
        '00201206': el.num('IS', Number(row.series_count)), '00201208': el.num('IS', Number(row.instance_count)),
      };
      const extra = query.includeFields === 'all' || query.includeFields.length > 0 ? await representative('study', row.id) : {};
      return { dataset: pick(dataset, extra, [...DEFAULT_STUDY_TAGS, '00081030'], query.includeFields, STUDY_LEVEL_GROUPS), patientId: row.patient_id };
    }));
  }

  async function searchSeries(query: QidoQuery, base: string, study: string | undefined, visible: Visible) {
    let q = db.selectFrom('series').innerJoin('study', 'study.id', 'series.study_ref').innerJoin('patient', 'patient.id', 'study.patient_ref').selectAll('series').select(['study.study_uid', 'patient.patient_id']);
    if (visible !== undefined) q = q.where(visible);
    if (study !== undefined) q = q.where('study.study_uid', '=', study);
    for (const c of query.conditions) q = q.where(c);
    const rows = await q.orderBy('series.id').limit(query.limit).offset(query.offset).execute();
    return Promise.all(rows.map(async (row) => {
      const dataset: DicomJsonDataset = {
        '00080056': el.str('CS', 'ONLINE'), '00080060': el.str('CS', row.modality), '0008103E': el.str('LO', row.series_description),
        '00081190': el.str('UR', `${base}/dicom-web/studies/${row.study_uid}/series/${row.series_uid}`), '00180015': el.str('CS', row.body_part),
        '0020000D': el.str('UI', row.study_uid), '0020000E': el.str('UI', row.series_uid), '00200011': el.num('IS', row.series_number), '00201209': el.num('IS', Number(row.instance_count)),
      };
      const extra = query.includeFields === 'all' || query.includeFields.length > 0 ? await representative('series', row.id) : {};
      return { dataset: pick(dataset, extra, [...DEFAULT_SERIES_TAGS, '00180015'], query.includeFields, (tag) => !tag.startsWith('0002') && !['00080018', '00200013', '00200032', '00201041', '00080023', '00080033'].includes(tag)), patientId: row.patient_id };
    }));
  }

  async function searchInstances(query: QidoQuery, base: string, study: string | undefined, series: string | undefined, visible: Visible) {
    let q = db.selectFrom('instance').innerJoin('series', 'series.id', 'instance.series_ref').innerJoin('study', 'study.id', 'series.study_ref').innerJoin('patient', 'patient.id', 'study.patient_ref')
      .select(['instance.sop_instance_uid', 'instance.sop_class_uid', 'instance.instance_number', 'instance.rows', 'instance.columns', 'instance.frames', 'instance.metadata_json', 'instance.transfer_syntax_uid', 'series.series_uid', 'study.study_uid', 'patient.patient_id']);
    if (study !== undefined) q = q.where('study.study_uid', '=', study);
    if (series !== undefined) q = q.where('series.series_uid', '=', series);
    if (visible !== undefined) q = q.where(visible);
    for (const c of query.conditions) q = q.where(c);
    const rows = await q.orderBy(sql`series.id`).orderBy('instance.instance_number').orderBy('instance.id').limit(query.limit).offset(query.offset).execute();
    return rows.map((row) => {
      const metadata = JSON.parse(row.metadata_json) as DicomJsonDataset;
      const dataset: DicomJsonDataset = {
        '00080016': el.str('UI', row.sop_class_uid), '00080018': el.str('UI', row.sop_instance_uid), '00080056': el.str('CS', 'ONLINE'),
        '00081190': el.str('UR', `${base}/dicom-web/studies/${row.study_uid}/series/${row.series_uid}/instances/${row.sop_instance_uid}`),
        '00083002': el.str('UI', row.transfer_syntax_uid),
        '0020000D': el.str('UI', row.study_uid), '0020000E': el.str('UI', row.series_uid), '00200013': el.num('IS', row.instance_number),
        '00280008': el.num('IS', row.frames ?? 1), '00280010': el.num('US', row.rows), '00280011': el.num('US', row.columns),
      };
      if (metadata['00280100'] !== undefined) dataset['00280100'] = metadata['00280100'];
      return { dataset: pick(dataset, metadata, [...DEFAULT_INSTANCE_TAGS, '00083002'], query.includeFields, () => true), patientId: row.patient_id };
    });
  }

  route('/dicom-web/studies', 'study', [], 'QIDO-RS: search for studies');
  route('/dicom-web/series', 'series', [], 'QIDO-RS: search for series (all studies)');
  route('/dicom-web/studies/:study/series', 'series', ['study'], 'QIDO-RS: search for series of a study');
  route('/dicom-web/instances', 'instance', [], 'QIDO-RS: search for instances (all studies)');
  route('/dicom-web/studies/:study/instances', 'instance', ['study'], 'QIDO-RS: search for instances of a study');
  route('/dicom-web/studies/:study/series/:series/instances', 'instance', ['study', 'series'], 'QIDO-RS: search for instances of a series');
};
