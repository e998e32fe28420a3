/**
 * Derived volumes, cached per series: a stored series turned into the volume(s) of patient space
 * that the viewer's 3D views, the anatomy pipeline and the planner work on, computed once and kept.
 *
 * The cache lives under `<data>/derived/<series UID>/<fingerprint>/`: `volume-<n>.nii` per volume
 * and `volumes.json` (written last, atomically: its presence means the entry is complete). The
 * fingerprint hashes the series' instances (SOP Instance UID and SHA-256 of each, sorted), so
 * storing, replacing or deleting an instance gives a new entry instead of a stale volume, and
 * entries of older fingerprints are removed when a new one is made.
 *
 * Building reads each stored file through readStoredInstance (checksum re-checked, as every read
 * of the archive is), parses it, and assembles the volumes exactly as `keyhole convert` does
 * (describeDicom → loadVolumeInThreads), so the server and the CLI give the same voxels.
 */
import { createHash } from 'node:crypto';
import { readFile, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { KeyholeError, describeDicom, parseDicom, type DicomInstance, type FrameCodecRegistry, type Volume, type VolumeDescriptor } from '@keyhole/core';
import { loadVolumeInThreads, writeFileAtomic, writeNiftiFile } from '@keyhole/io';
import { findInstances } from '../dicomweb/lookup.ts';
import type { Archive } from '../store/archive.ts';
import { readStoredInstance } from '../store/read-instance.ts';

export interface SeriesVolumeSummary {
  /** Position in the list, from 0: the `:index` of the NIfTI route. */
  readonly index: number;
  /** e.g. "echo 2", "ORIGINAL\\PRIMARY", "t=3"; empty for a plain series. */
  readonly label: string;
  readonly size: readonly [number, number, number];
  /** mm, along the volume's i, j, k axes. */
  readonly spacing: readonly [number, number, number];
  /** LPS mm of voxel (0, 0, 0). */
  readonly origin: readonly [number, number, number];
  /** Row-major 3×3, columns are the i, j, k axis unit vectors in LPS (docs/geometry.md). */
  readonly direction: readonly number[];
  readonly units: string;
  readonly dataType: 'int16' | 'float32';
  readonly warnings: readonly string[];
}

export interface SeriesVolumesManifest {
  readonly studyUid: string;
  readonly seriesUid: string;
  readonly patientId: string;
  readonly fingerprint: string;
  readonly instances: number;
  readonly volumes: readonly SeriesVolumeSummary[];
}

export interface SeriesVolumesOptions {
  readonly archive: Archive;
  readonly studyUid: string;
  readonly seriesUid: string;
  readonly codecs: () => Promise<FrameCodecRegistry>;
}

export interface SeriesVolumesResult {
  readonly manifest: SeriesVolumesManifest;
  /** True when the volumes were made by this call, false when they came from the cache. */
  readonly built: boolean;
  /** The cache folder of this fingerprint. */
  readonly folder: string;
}

export const derivedDir = (dataDir: string): string => join(dataDir, 'derived');

/** The series' volumes, from the cache or made now. Throws NOT_FOUND for an unknown series, DICOM_* errors for a series that holds no volume. */
export async function seriesVolumes(options: SeriesVolumesOptions): Promise<SeriesVolumesResult> {
  const { archive, studyUid, seriesUid } = options;
  const rows = await findInstances({ db: archive.db, study: studyUid, series: seriesUid });
  const fingerprint = createHash('sha256').update(rows.map((r) => `${r.sopInstanceUid}:${r.sha256}`).sort().join('\n')).digest('hex').slice(0, 32);
  const seriesFolder = join(derivedDir(archive.dataDir), seriesUid);
  const folder = join(seriesFolder, fingerprint);
  const cached = await readManifest(folder);
  if (cached !== undefined) return { manifest: cached, built: false, folder };

  const instances: DicomInstance[] = [];
  for (const row of rows) {
    const bytes = await readStoredInstance(archive, row);
    instances.push(parseDicom({ bytes, source: row.sopInstanceUid }));
  }
  const descriptors = describeDicom({ instances }).patients.flatMap((p) => p.studies.flatMap((s) => s.series.flatMap((e) => e.volumeSets.flatMap((set) => set.volumes.map((volume) => ({ volume, set: set.label }))))));
  if (descriptors.length === 0) {
    throw new KeyholeError('DICOM_SERIES_INCONSISTENT', { message: `series ${seriesUid} holds no volume: its ${rows.length} instance(s) have no image planes that stack (projection images, reports or a single frame without geometry)` });
  }
  const codecs = await options.codecs();
  const volumes: SeriesVolumeSummary[] = [];
  for (const [index, { volume: descriptor, set }] of descriptors.entries()) {
    const volume = await loadVolumeInThreads({ volume: descriptor, codecs });
    await writeNiftiFile({ path: join(folder, `volume-${index}.nii`), volumes: [volume], description: `Keyhole series ${seriesUid} volume ${index}` });
    volumes.push(summarize(index, [set, descriptor.label].filter((t) => t !== '').join(' '), volume, descriptor));
  }
  const manifest: SeriesVolumesManifest = { studyUid, seriesUid, patientId: rows[0]?.patientId ?? '', fingerprint, instances: rows.length, volumes };
  await writeFileAtomic(join(folder, 'volumes.json'), JSON.stringify(manifest, null, 1));
  await removeOtherEntries(seriesFolder, fingerprint);
  return { manifest, built: true, folder };
}

/** Path of volume `index`'s NIfTI file in a result (it exists: the manifest is written after the volumes). */
export function volumeFile(result: SeriesVolumesResult, index: number): string {
  if (!Number.isInteger(index) || index < 0 || index >= result.manifest.volumes.length) {
    throw new KeyholeError('NOT_FOUND', { message: `series ${result.manifest.seriesUid} has ${result.manifest.volumes.length} volume(s), numbered from 0; there is no volume ${index}` });
  }
  return join(result.folder, `volume-${index}.nii`);
}

function summarize(index: number, label: string, volume: Volume, descriptor: VolumeDescriptor): SeriesVolumeSummary {
  return {
    index,
    label,
    size: volume.size,
    spacing: volume.spacing,
    origin: volume.origin,
    direction: Array.from(volume.direction),
    units: volume.units,
    dataType: volume.data instanceof Int16Array ? 'int16' : 'float32',
    warnings: descriptor.geometry.warnings,
  };
}

async function readManifest(folder: string): Promise<SeriesVolumesManifest | undefined> {
  try {
    return JSON.parse(await readFile(join(folder, 'volumes.json'), 'utf8')) as SeriesVolumesManifest;
  } catch {
    return undefined;
  }
}

async function removeOtherEntries(seriesFolder: string, keep: string): Promise<void> {
  for (const entry of await readdir(seriesFolder).catch(() => [] as string[])) {
    if (entry !== keep) await rm(join(seriesFolder, entry), { recursive: true, force: true });
  }
}
