/**
 * Derived volumes over HTTP: the volume(s) of a stored series as geometry (JSON) and as NIfTI-1
 * files, for the workstation's 3D views and for scripts (`curl … > ct.nii`, then any NIfTI tool).
 * Both routes read patient data: they are audited like every WADO retrieve.
 */
import { createReadStream } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { FrameCodecRegistry } from '@keyhole/core';
import { createNodeCodecRegistry } from '@keyhole/io';
import { seriesVolumes, volumeFile, type SeriesVolumesResult } from './series-volumes.ts';

const uid = { type: 'string', pattern: '^[0-9.]{1,64}$' } as const;

const volumeSummary = {
  type: 'object',
  required: ['index', 'label', 'size', 'spacing', 'origin', 'direction', 'units', 'dataType', 'warnings'],
  properties: {
    index: { type: 'integer' },
    label: { type: 'string' },
    size: { type: 'array', items: { type: 'integer' }, minItems: 3, maxItems: 3 },
    spacing: { type: 'array', items: { type: 'number' }, minItems: 3, maxItems: 3, description: 'mm along i, j, k' },
    origin: { type: 'array', items: { type: 'number' }, minItems: 3, maxItems: 3, description: 'LPS mm of voxel (0,0,0)' },
    direction: { type: 'array', items: { type: 'number' }, minItems: 9, maxItems: 9, description: 'row-major 3×3; columns are the i, j, k axes in LPS' },
    units: { type: 'string' },
    dataType: { type: 'string', enum: ['int16', 'float32'] },
    warnings: { type: 'array', items: { type: 'string' } },
  },
} as const;

export async function volumeRoutes(app: FastifyInstance): Promise<void> {
  let codecs: Promise<FrameCodecRegistry> | undefined;
  const archive = { db: app.keyhole.db, dataDir: app.keyhole.options.dataDir };
  const volumesOf = (studyUid: string, seriesUid: string): Promise<SeriesVolumesResult> =>
    seriesVolumes({ archive, studyUid, seriesUid, codecs: () => (codecs ??= createNodeCodecRegistry()) });

  app.get('/api/studies/:study/series/:series/volumes', {
    config: { access: 'patient-data:read' },
    schema: {
      summary: 'The volumes of a series in patient space (LPS mm), made from its instances once and cached',
      tags: ['volumes'],
      params: { type: 'object', required: ['study', 'series'], properties: { study: uid, series: uid } },
      response: {
        200: {
          type: 'object',
          required: ['studyUid', 'seriesUid', 'fingerprint', 'instances', 'volumes', 'cached'],
          properties: { studyUid: { type: 'string' }, seriesUid: { type: 'string' }, fingerprint: { type: 'string' }, instances: { type: 'integer' }, cached: { type: 'boolean' }, volumes: { type: 'array', items: volumeSummary } },
        },
      },
    },
  }, async (request) => {
    const { study, series } = request.params as { study: string; series: string };
    request.audit.action = 'volume.describe';
    request.audit.studyUid = study;
    const result = await volumesOf(study, series);
    request.audit.patientId = result.manifest.patientId;
    request.audit.detail = `series ${series}: ${result.manifest.volumes.length} volume(s)${result.built ? ', built' : ', from cache'}`;
    const { patientId: _patient, ...manifest } = result.manifest;
    return { ...manifest, cached: !result.built };
  });

  app.get('/api/studies/:study/series/:series/volumes/:index', {
    config: { access: 'patient-data:read' },
    schema: {
      summary: 'One volume of a series as a NIfTI-1 file (.nii, RAS+ qform/sform as every NIfTI tool expects)',
      tags: ['volumes'],
      params: { type: 'object', required: ['study', 'series', 'index'], properties: { study: uid, series: uid, index: { type: 'integer', minimum: 0 } } },
    },
  }, async (request, reply) => {
    const { study, series, index } = request.params as { study: string; series: string; index: number };
    request.audit.action = 'volume.read';
    request.audit.studyUid = study;
    const result = await volumesOf(study, series);
    request.audit.patientId = result.manifest.patientId;
    request.audit.detail = `series ${series} volume ${index}`;
    const path = volumeFile(result, index);
    return reply
      .type('application/octet-stream')
      .header('content-disposition', `attachment; filename="${series}-${index}.nii"`)
      .send(createReadStream(path));
  });
}
