import { KeyholeError, type PlanarImageDescriptor } from '@keyhole/core';
import { readNiftiFile } from '@keyhole/io';
import { EXIT, makeContext, reportError } from '../run-command.ts';
import { catalogueInputs, seriesVoxelCount } from './read-inputs.ts';
import { axisCode, fmtSize, fmtSpacing, fmtVec } from './format.ts';

export interface InfoOptions {
  readonly paths: readonly string[];
  readonly json: boolean;
}

const isNifti = (path: string): boolean => /\.nii(\.gz)?$/i.test(path);

export async function runInfo(options: InfoOptions): Promise<number> {
  const ctx = makeContext(options.json);
  try {
    const niftiPaths = options.paths.filter(isNifti);
    const dicomPaths = options.paths.filter((p) => !isNifti(p));
    const nifti = [];
    for (const path of niftiPaths) {
      const result = await readNiftiFile({ path });
      nifti.push({
        path,
        version: result.version,
        affineSource: result.affineSource,
        warnings: result.warnings,
        volumes: result.volumes.map((v) => ({ size: v.size, spacing: v.spacing, origin: v.origin, direction: v.direction, orientation: axisCode(v.direction), type: v.data.constructor.name })),
      });
    }
    const catalogue = dicomPaths.length > 0 ? await catalogueInputs({ paths: dicomPaths, interactive: ctx.interactive }) : undefined;

    if (options.json) {
      ctx.out(JSON.stringify({
        ok: true,
        filesSeen: catalogue?.filesSeen ?? 0,
        patients: catalogue?.description.patients ?? [],
        series: catalogue?.series.map((s) => ({ number: s.number, seriesInstanceUid: s.entry.seriesInstanceUid, description: s.entry.description, modality: s.entry.modality })) ?? [],
        fileProblems: catalogue?.fileProblems.map((p) => p.toJSON()) ?? [],
        nifti,
      }, (key, value: unknown) => (key === 'slices' ? undefined : value), 2));
    } else {
      for (const file of nifti) {
        ctx.out(`NIfTI-${file.version} ${file.path}  (placed by ${file.affineSource})`);
        for (const [n, v] of file.volumes.entries()) {
          ctx.out(`  volume ${n + 1}: ${fmtSize(v.size)} @ ${fmtSpacing(v.spacing)}  origin ${fmtVec(v.origin)} LPS mm  axes→${v.orientation}  ${v.type}`);
        }
        for (const w of file.warnings) ctx.out(`  warning: ${w}`);
      }
      if (catalogue !== undefined) printCatalogue(catalogue, ctx.out);
    }
    if (catalogue !== undefined && catalogue.instances.length === 0 && nifti.length === 0) {
      const first = catalogue.fileProblems[0];
      throw first ?? new KeyholeError('EMPTY_INPUT', { message: `no DICOM images in ${options.paths.join(', ')}` });
    }
    return (catalogue?.fileProblems.length ?? 0) > 0 ? EXIT.partial : EXIT.ok;
  } catch (error) {
    return reportError(error, options.json);
  }
}

function printCatalogue(catalogue: Awaited<ReturnType<typeof catalogueInputs>>, out: (text: string) => void): void {
  const { description } = catalogue;
  out(`${catalogue.filesSeen} files read: ${description.patients.length} patient(s), ${description.seriesCount} series, ${description.volumeCount} volume(s)`);
  let number = 0;
  for (const patient of description.patients) {
    out(`Patient ${patient.patientId || '(no ID)'}  ${patient.patientName ?? ''}${patient.sex !== undefined ? `  sex ${patient.sex}` : ''}${patient.birthDate !== undefined ? `  born ${patient.birthDate}` : ''}`);
    for (const study of patient.studies) {
      out(`  Study ${study.studyInstanceUid}${study.date !== undefined ? `  ${study.date}` : ''}${study.description !== undefined ? `  "${study.description}"` : ''}`);
      for (const series of study.series) {
        number++;
        out(`    [${number}] Series ${series.seriesNumber ?? "?"} ${series.modality ?? ''} "${series.description ?? ''}"  ${series.instanceCount} instance(s), ${series.frameCount} frame(s), ${(seriesVoxelCount(series) / 1e6).toFixed(1)} Mvoxels`);
        out(`        UID ${series.seriesInstanceUid || '(none: the files carry no Series Instance UID)'}`);
        let volumeNumber = 0;
        for (const set of series.volumeSets) {
          out(`        ${set.label}  ${set.orientation}${set.volumes.length > 1 ? `  ${set.volumes.length} volumes along ${set.dimension ?? '?'}${set.sameGrid ? ' (4D)' : ''}` : ''}`);
          for (const volume of set.volumes) {
            volumeNumber++;
            const g = volume.geometry.grid;
            const resampled = volume.geometry.sampling.kind === 'resample' ? `  RESAMPLED (${volume.geometry.sampling.reasons.join(', ')})` : '';
            out(`          ${number}.${volumeNumber}${volume.label !== '' ? ` ${volume.label}` : ''}: ${fmtSize(g.size)} @ ${fmtSpacing(g.spacing)}  origin ${fmtVec(g.origin)} LPS mm  axes→${axisCode(g.direction)}  ${volume.units}${resampled}`);
            for (const w of volume.warnings) out(`            warning: ${w}`);
          }
        }
        for (const image of series.planarImages) out(`        2D image ${describePlanar(image)}`);
        if (series.nonImageSources.length > 0) out(`        ${series.nonImageSources.length} instance(s) without pixel data (listed, not converted)`);
        for (const p of series.problems) out(`        problem [${p.code}] ${p.file !== undefined ? `${p.file}: ` : ''}${p.message}`);
      }
    }
  }
  if (catalogue.fileProblems.length > 0) {
    out(`${catalogue.fileProblems.length} file(s) refused:`);
    for (const p of catalogue.fileProblems) out(`  [${p.code}] ${p.message}`);
  }
}

function describePlanar(image: PlanarImageDescriptor): string {
  const magnification = image.magnification !== undefined ? `, magnification ${image.magnification.toFixed(3)}` : '';
  return `${image.size.join('×')} @ ${image.spacing.map((s) => s.toFixed(3)).join('×')} mm (${image.spacingPlane}, from ${image.spacingSource}${magnification}), ${image.frameCount} frame(s)  ${image.source}`;
}
