import type { FastifyPluginAsync } from 'fastify';
import { KeyholeError } from '@keyhole/core';
import { storeInstances } from '../store/index.ts';
import { dicomText } from '../dimse/c-find.ts';
import { findDicomNode, listDicomNodes, type DicomNode } from '../dimse/dicom-nodes.ts';
import { jsonText, qidoSearch, wadoRetrieve, type DicomJson, type DicomwebEndpoint } from './dicomweb-client.ts';
import { cFindScu, cMoveScu, type DimsePeer } from './dimse-scu.ts';

/**
 * Query and pull from a configured remote PACS (`/api/remote/{node}/query|retrieve`), over
 * DICOMweb (QIDO-RS, WADO-RS) or DIMSE (C-FIND, C-MOVE to our own AE title). Pulled instances go
 * through storeInstances like any other input: idempotent, atomic per instance, audited.
 */
type Via = 'dicomweb' | 'dimse';

interface QueryBody {
  via?: Via;
  level?: 'study' | 'series';
  studyUid?: string;
  /** Matching keys by DICOM keyword, e.g. { PatientID: 'KH*', StudyDate: '20240101-' }. */
  query?: Record<string, string>;
}

interface RetrieveBody {
  via?: Via;
  studyUid: string;
  seriesUid?: string;
}

/** One answer, the same shape whichever protocol found it. */
export interface RemoteMatch {
  studyUid: string;
  seriesUid?: string;
  patientId: string;
  patientName: string;
  studyDate: string;
  studyDescription: string;
  modalities: string;
  seriesNumber?: string;
  seriesDescription?: string;
  instances?: number;
}

const STUDY_KEYS = ['PatientID', 'PatientName', 'StudyDate', 'StudyDescription', 'ModalitiesInStudy', 'AccessionNumber', 'StudyInstanceUID', 'NumberOfStudyRelatedInstances'] as const;
const SERIES_KEYS = ['StudyInstanceUID', 'SeriesInstanceUID', 'Modality', 'SeriesNumber', 'SeriesDescription', 'NumberOfSeriesRelatedInstances'] as const;

function remoteNodeOrThrow(node: DicomNode | undefined, name: string): DicomNode {
  if (node === undefined || node.kind !== 'remote-pacs') throw new KeyholeError('NOT_FOUND', { message: `no remote PACS named "${name}" (see /api/dicom-nodes)` });
  return node;
}

function chooseVia(node: DicomNode, via: Via | undefined): Via {
  const chosen = via ?? (node.dicomweb_url !== '' ? 'dicomweb' : 'dimse');
  if (chosen === 'dicomweb' && node.dicomweb_url === '') throw new KeyholeError('VALIDATION_FAILED', { path: 'body.via', message: `remote "${node.name}" has no DICOMweb URL` });
  if (chosen === 'dimse' && (node.port === null || node.host === '')) throw new KeyholeError('VALIDATION_FAILED', { path: 'body.via', message: `remote "${node.name}" has no DIMSE host and port` });
  return chosen;
}

const endpointOf = (node: DicomNode): DicomwebEndpoint => ({ baseUrl: node.dicomweb_url, ...(node.dicomweb_auth !== '' ? { auth: node.dicomweb_auth } : {}) });

function fromJson(dataset: DicomJson): RemoteMatch {
  const seriesUid = jsonText(dataset, '0020000E');
  const instances = jsonText(dataset, seriesUid !== '' ? '00201209' : '00201208');
  const values = dataset['00080061']?.Value;
  return {
    studyUid: jsonText(dataset, '0020000D'),
    ...(seriesUid !== '' ? { seriesUid, seriesNumber: jsonText(dataset, '00200011'), seriesDescription: jsonText(dataset, '0008103E') } : {}),
    patientId: jsonText(dataset, '00100020'),
    patientName: jsonText(dataset, '00100010'),
    studyDate: jsonText(dataset, '00080020'),
    studyDescription: jsonText(dataset, '00081030'),
    modalities: values !== undefined ? values.map(String).join('\\') : jsonText(dataset, '00080060'),
    ...(instances !== '' ? { instances: Number(instances) } : {}),
  };
}

function fromNaturalized(answer: Readonly<Record<string, unknown>>): RemoteMatch {
  const seriesUid = dicomText(answer['SeriesInstanceUID']);
  const instances = dicomText(answer[seriesUid !== '' ? 'NumberOfSeriesRelatedInstances' : 'NumberOfStudyRelatedInstances']);
  return {
    studyUid: dicomText(answer['StudyInstanceUID']),
    ...(seriesUid !== '' ? { seriesUid, seriesNumber: dicomText(answer['SeriesNumber']), seriesDescription: dicomText(answer['SeriesDescription']) } : {}),
    patientId: dicomText(answer['PatientID']),
    patientName: dicomText(answer['PatientName']),
    studyDate: dicomText(answer['StudyDate']),
    studyDescription: dicomText(answer['StudyDescription']),
    modalities: dicomText(answer['ModalitiesInStudy'] ?? answer['Modality']),
    ...(instances !== '' ? { instances: Number(instances) } : {}),
  };
}

const viaSchema = { type: 'string', enum: ['dicomweb', 'dimse'] } as const;
const uidSchema = { type: 'string', pattern: '^[0-9.]{1,64}$' } as const;

export const remoteRoutes: FastifyPluginAsync = async (app) => {
  const peerOf = (node: DicomNode): DimsePeer => ({ host: node.host, port: node.port ?? 104, aeTitle: node.ae_title, callingAeTitle: app.keyhole.options.aeTitle });

  // The PACS a user may search and pull from, for the import dialog: names and how they are
  // reached, never their credentials (the full list with addresses stays admin-only, /api/dicom-nodes).
  app.get('/api/remote', {
    config: { access: 'patient-data:write' },
    schema: {
      tags: ['remote'],
      summary: 'The remote PACS configured for searching and pulling (names and protocols only)',
      response: { 200: { type: 'array', items: { type: 'object', required: ['name', 'via'], properties: { name: { type: 'string' }, aeTitle: { type: 'string' }, via: { type: 'array', items: viaSchema } } } } },
    },
  }, async () => {
    const nodes = (await listDicomNodes(app.keyhole.db)).filter((node) => node.kind === 'remote-pacs');
    return nodes.map((node) => ({ name: node.name, aeTitle: node.ae_title, via: [...(node.dicomweb_url !== null && node.dicomweb_url !== '' ? ['dicomweb'] : []), ...(node.host !== null && node.host !== '' && node.port !== null ? ['dimse'] : [])] }));
  });

  app.post<{ Params: { node: string }; Body: QueryBody }>(
    '/api/remote/:node/query',
    {
      config: { access: 'patient-data:write' },
      schema: {
        tags: ['remote'],
        summary: 'Search a remote PACS (QIDO-RS or C-FIND) at study or series level',
        params: { type: 'object', properties: { node: { type: 'string' } } },
        body: {
          type: 'object',
          additionalProperties: false,
          properties: { via: viaSchema, level: { type: 'string', enum: ['study', 'series'] }, studyUid: uidSchema, query: { type: 'object', additionalProperties: { type: 'string', maxLength: 256 } } },
        },
      },
    },
    async (request) => {
      const node = remoteNodeOrThrow(await findDicomNode(app.keyhole.db, request.params.node), request.params.node);
      const body = request.body ?? {};
      const via = chooseVia(node, body.via);
      const level = body.level ?? 'study';
      if (level === 'series' && body.studyUid === undefined) throw new KeyholeError('VALIDATION_FAILED', { path: 'body.studyUid', message: 'a series query needs the study UID' });
      request.audit.action = 'remote.query';
      if (body.studyUid !== undefined) request.audit.studyUid = body.studyUid;
      let matches: RemoteMatch[];
      if (via === 'dicomweb') {
        const include = (level === 'study' ? STUDY_KEYS : SERIES_KEYS).join(',');
        const found = await qidoSearch({ endpoint: endpointOf(node), level: level === 'study' ? 'studies' : 'series', ...(body.studyUid !== undefined ? { studyUid: body.studyUid } : {}), query: { ...body.query, includefield: include } });
        matches = found.map(fromJson);
      } else {
        const keys: Record<string, unknown> = Object.fromEntries((level === 'study' ? STUDY_KEYS : SERIES_KEYS).map((k) => [k, '']));
        const found = await cFindScu({ peer: peerOf(node), level: level === 'study' ? 'STUDY' : 'SERIES', keys: { ...keys, ...body.query, ...(body.studyUid !== undefined ? { StudyInstanceUID: body.studyUid } : {}) } });
        matches = found.map(fromNaturalized);
      }
      request.audit.detail = `${via} ${level} query at ${node.name}: ${matches.length} matches`;
      if (matches.length === 1 && matches[0] !== undefined) request.audit.patientId = matches[0].patientId;
      return { node: node.name, via, level, matches };
    },
  );

  app.post<{ Params: { node: string }; Body: RetrieveBody }>(
    '/api/remote/:node/retrieve',
    {
      config: { access: 'patient-data:write' },
      schema: {
        tags: ['remote'],
        summary: 'Pull a study or series from a remote PACS into this archive (WADO-RS, or C-MOVE to our AE title)',
        params: { type: 'object', properties: { node: { type: 'string' } } },
        body: { type: 'object', required: ['studyUid'], additionalProperties: false, properties: { via: viaSchema, studyUid: uidSchema, seriesUid: uidSchema } },
      },
    },
    async (request) => {
      const node = remoteNodeOrThrow(await findDicomNode(app.keyhole.db, request.params.node), request.params.node);
      const { studyUid, seriesUid } = request.body;
      const via = chooseVia(node, request.body.via);
      request.audit.action = 'remote.retrieve';
      request.audit.studyUid = studyUid;
      if (via === 'dicomweb') {
        const parts = await wadoRetrieve({ endpoint: endpointOf(node), studyUid, ...(seriesUid !== undefined ? { seriesUid } : {}) });
        const result = await storeInstances({
          archive: { db: app.keyhole.db, dataDir: app.keyhole.options.dataDir },
          files: parts.map((bytes, index) => ({ bytes, source: `WADO-RS ${node.name} study ${studyUid} part ${index + 1}` })),
          checks: app.keyhole.instanceChecks,
          limits: { maxInstancesPerRequest: app.keyhole.options.limits.maxInstancesPerRequest },
        });
        const first = result.stored[0] ?? result.duplicates[0];
        if (first !== undefined) request.audit.patientId = first.patientId;
        request.audit.detail = `WADO-RS from ${node.name}: ${result.stored.length} stored, ${result.duplicates.length} duplicates, ${result.failed.length} failed`;
        if (result.failed.length > 0) request.audit.outcome = result.stored.length + result.duplicates.length > 0 ? 'partial' : 'failed';
        return {
          node: node.name,
          via,
          received: parts.length,
          stored: result.stored.length,
          duplicates: result.duplicates.length,
          failed: result.failed.map((f) => ({ source: f.source, code: f.error.code, message: f.error.message })),
        };
      }
      const moved = await cMoveScu({ peer: peerOf(node), destinationAeTitle: app.keyhole.options.aeTitle, studyUid, ...(seriesUid !== undefined ? { seriesUid } : {}) });
      request.audit.detail = `C-MOVE from ${node.name} to ${app.keyhole.options.aeTitle}: ${moved.completed} completed, ${moved.failed} failed, ${moved.warnings} warnings`;
      if (moved.failed > 0) request.audit.outcome = moved.completed > 0 ? 'partial' : 'failed';
      return { node: node.name, via, completed: moved.completed, failed: moved.failed, warnings: moved.warnings };
    },
  );
};
