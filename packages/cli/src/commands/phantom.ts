import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { generatePhantomStudy, KeyholeError, parsePhantomSpec, writeNifti, type PhantomStudy } from '@keyhole/core';
import { EXIT, makeContext, reportError } from '../run-command.ts';
import { createProgress } from '../progress.ts';
import type { PhantomCliOptions } from '../main.ts';
import { fmtSize, fmtSpacing } from './format.ts';

export interface PhantomOptions extends PhantomCliOptions {
  readonly json: boolean;
}

function parseTriple(text: string | undefined, field: 'size' | 'spacing'): readonly number[] | undefined {
  if (text === undefined) return undefined;
  const parts = text.split(/[,x×]/).map((p) => Number(p.trim()));
  const valid = field === 'size' ? (n: number) => Number.isInteger(n) && n > 0 && n <= 4096 : (n: number) => Number.isFinite(n) && n >= 0.05 && n <= 20;
  if (parts.length !== 3 || !parts.every(valid)) {
    const expected = field === 'size' ? 'three whole numbers between 1 and 4096, e.g. 512,512,300' : 'three spacings in mm between 0.05 and 20, e.g. 0.7,0.7,1';
    throw new KeyholeError('VALIDATION_FAILED', { path: field, message: `"${text}" is not ${expected}` });
  }
  return parts;
}

const slug = (text: string): string => text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40);

/** Folder name of each series under dicom/: its number and description, sorted as listed. */
export function seriesFolder(series: PhantomStudy['series'][number]): string {
  return `${String(series.seriesNumber).padStart(3, '0')}-${slug(series.description)}`;
}

/**
 * Writes the phantom into a temporary sibling folder, then renames it into place: the output is
 * either complete or absent, and an existing folder with content is never touched.
 */
export async function writePhantom(study: PhantomStudy, output: string): Promise<void> {
  if (existsSync(output) && (await readdir(output)).length > 0) {
    throw new KeyholeError('INVALID_ARGUMENT', { path: '--output', message: `${output} exists and is not empty; choose a new folder (nothing was written)` });
  }
  const staging = join(dirname(resolve(output)), `.${basename(output)}.${randomBytes(4).toString('hex')}.partial`);
  await mkdir(join(staging, 'dicom'), { recursive: true });
  try {
    for (const series of study.series) {
      const folder = join(staging, 'dicom', seriesFolder(series));
      await mkdir(folder, { recursive: true });
      for (const file of series.files) await writeFile(join(folder, file.name), file.bytes);
    }
    // truth.nii.gz lies on the grid of the first series; every series also gets its own truth.
    const [first] = study.series;
    if (first === undefined) throw new KeyholeError('INTERNAL', { message: 'the phantom produced no series' });
    await writeFile(join(staging, 'truth.nii.gz'), writeNifti({ volumes: [first.labels], gzip: true, gzipLevel: 6, description: `Keyhole phantom truth, series ${first.seriesNumber}` }));
    if (study.series.length > 1) {
      await mkdir(join(staging, 'truth'), { recursive: true });
      for (const series of study.series) {
        await writeFile(join(staging, 'truth', `${seriesFolder(series)}.nii.gz`), writeNifti({ volumes: [series.labels], gzip: true, description: `Keyhole phantom truth, series ${series.seriesNumber}` }));
      }
    }
    await writeFile(join(staging, 'truth-legend.json'), `${JSON.stringify(study.truthJson.legend, null, 2)}\n`);
    await writeFile(join(staging, 'truth.json'), `${JSON.stringify(study.truthJson, null, 2)}\n`);
    await rm(output, { recursive: true, force: true }); // only an empty folder can reach here
    await rename(staging, output);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
}

export async function runPhantom(options: PhantomOptions): Promise<number> {
  const ctx = makeContext(options.json);
  try {
    const spec = parsePhantomSpec({
      modality: options.modality,
      seed: options.seed,
      position: options.position,
      ...(options.levels !== undefined ? { levels: options.levels } : {}),
      ...(options.protocol !== undefined ? { protocol: options.protocol } : {}),
      ...(options.variant !== undefined ? { variant: options.variant } : {}),
      ...(options.pathology !== undefined ? { pathology: options.pathology } : {}),
    });
    const size = parseTriple(options.size, 'size');
    const spacing = parseTriple(options.spacing, 'spacing');
    if (existsSync(options.output) && (await readdir(options.output)).length > 0) {
      throw new KeyholeError('INVALID_ARGUMENT', { path: '--output', message: `${options.output} exists and is not empty; choose a new folder (nothing was written)` });
    }
    const progress = createProgress({ enabled: ctx.interactive, title: 'phantom' });
    let study: PhantomStudy;
    try {
      study = generatePhantomStudy({
        ...spec,
        ...(size !== undefined || spacing !== undefined ? { grid: { ...(size !== undefined ? { size } : {}), ...(spacing !== undefined ? { spacing } : {}) } } : {}),
        onProgress: (fraction, stage) => progress.update(fraction, stage),
      });
    } finally {
      progress.stop();
    }
    await writePhantom(study, options.output);
    const summary = {
      ok: true,
      output: options.output,
      seed: spec.seed,
      modality: spec.modality,
      protocol: study.truthJson.protocol,
      position: study.truthJson.position,
      levels: study.truthJson.sceneLevels,
      pathology: study.truthJson.pathology,
      series: study.series.map((s) => ({ folder: join(options.output, 'dicom', seriesFolder(s)), description: s.description, files: s.files.length, size: s.volume.size, spacing: s.volume.spacing })),
    };
    if (options.json) ctx.out(JSON.stringify(summary, null, 2));
    else {
      ctx.out(`phantom (seed ${spec.seed}, ${spec.modality}, ${study.truthJson.protocol}, ${study.truthJson.position}) → ${options.output}`);
      for (const s of summary.series) ctx.out(`  ${s.folder}: ${s.files} files, ${fmtSize(s.size)} @ ${fmtSpacing(s.spacing)}  "${s.description}"`);
      ctx.out(`  truth.nii.gz, truth-legend.json, truth.json (landmarks in LPS mm, ${study.truthJson.pathology.length} pathology item(s))`);
    }
    return EXIT.ok;
  } catch (error) {
    return reportError(error, options.json);
  }
}
