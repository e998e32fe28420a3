/** Test studies on disk: phantom series of known geometry (written from @keyhole/core) and the real CT. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLabelMap, generatePhantomStudy, parseDicom, parsePhantomSpec, segSourceFromInstances, writeDicomSeg, type PhantomSpecInput, type PhantomStudy } from '@keyhole/core';

export interface PhantomFiles {
  /** One folder per series, holding its DICOM files. */
  readonly seriesDirs: string[];
  readonly files: string[];
  readonly descriptions: string[];
  readonly studyUid: string;
  readonly seriesUids: string[];
  readonly frameOfReferenceUid: string;
  /** The generated study (volumes, truth labels, legend) for checks against the truth. */
  readonly study: PhantomStudy;
}

export function writePhantomFiles(input: PhantomSpecInput, root = mkdtempSync(join(tmpdir(), 'keyhole-e2e-phantom-'))): PhantomFiles {
  const study = generatePhantomStudy(parsePhantomSpec(input));
  const seriesDirs: string[] = [];
  const files: string[] = [];
  for (const series of study.series) {
    const dir = join(root, `series-${series.seriesNumber}`);
    mkdirSync(dir, { recursive: true });
    seriesDirs.push(dir);
    for (const file of series.files) {
      const path = join(dir, file.name);
      writeFileSync(path, file.bytes);
      files.push(path);
    }
  }
  return {
    seriesDirs, files, descriptions: study.series.map((s) => s.description),
    studyUid: study.truthJson.studyInstanceUid, seriesUids: study.series.map((s) => s.seriesInstanceUid), frameOfReferenceUid: study.truthJson.frameOfReferenceUid,
    study,
  };
}

/** A zip archive of `files` (stored flat), written by Debian's python3 zipfile (a peer, not our code). */
export function zipFiles(files: readonly string[], zipPath: string): string {
  execFileSync('python3', ['-c', 'import sys, zipfile, os\nwith zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:\n    [z.write(f, os.path.basename(f)) for f in sys.argv[2:]]', zipPath, ...files]);
  return zipPath;
}

/**
 * The phantom's truth labels of one series as a DICOM Segmentation referencing that series
 * (@keyhole/core's writer, as `keyhole labels --to-seg` writes it); returns the file's path.
 */
export function writeTruthSegmentation(phantom: PhantomFiles, seriesIndex: number, path: string): { path: string; seriesInstanceUid: string } {
  const series = phantom.study.series[seriesIndex];
  if (series === undefined) throw new Error(`the phantom has no series ${seriesIndex}`);
  const instances = series.files.map((f) => parseDicom({ bytes: f.bytes, source: f.name }));
  const legend = { labels: Object.entries(phantom.study.truthJson.legend).map(([value, name]) => ({ value: Number(value), name })) };
  const labelMap = createLabelMap({ volume: series.labels, legend, pruneLegend: true });
  const seg = writeDicomSeg({
    labelMap, source: segSourceFromInstances({ instances }), created: { date: '20250101', time: '100000' },
    algorithm: { type: 'MANUAL' }, seriesDescription: 'Phantom truth labels', seriesNumber: 900,
  });
  writeFileSync(path, seg.file.bytes);
  return { path, seriesInstanceUid: seg.seriesInstanceUid };
}
