import { KeyholeError, type Volume, type VolumeDescriptor } from '@keyhole/core';
import { createNodeCodecRegistry, loadVolumeInThreads, writeFileAtomic, writeNiftiFile } from '@keyhole/io';
import { EXIT, makeContext, reportError } from '../run-command.ts';
import { createProgress } from '../progress.ts';
import { catalogueInputs, seriesVoxelCount, type NumberedSeries } from './read-inputs.ts';
import { fmtSize, fmtSpacing } from './format.ts';

export interface ConvertOptions {
  readonly paths: readonly string[];
  readonly output: string;
  readonly series?: string;
  /** Several volumes in one series: one 4D file when they share a grid, or one file per volume. */
  readonly multi: '4d' | 'split';
  readonly tilt: 'correct' | 'refuse';
  readonly uneven: 'refuse' | 'resample';
  readonly json: boolean;
}

interface WrittenFile {
  readonly path: string;
  readonly volumes: readonly string[];
  readonly size: readonly number[];
  readonly spacing: readonly number[];
}

/** `--series` is a Series Instance UID or the number `keyhole info` printed; default: the largest series. */
export function selectSeries(series: readonly NumberedSeries[], wanted: string | undefined): NumberedSeries {
  const convertible = series.filter((s) => s.entry.volumeSets.length > 0);
  if (wanted !== undefined) {
    const match = series.find((s) => s.entry.seriesInstanceUid === wanted) ?? (/^\d+$/.test(wanted) ? series.find((s) => s.number === Number(wanted)) : undefined);
    if (match === undefined) {
      throw new KeyholeError('DICOM_SERIES_NOT_FOUND', { message: `no series "${wanted}" among ${series.length}; run \`keyhole info\` to list them` });
    }
    if (match.entry.volumeSets.length === 0) {
      const reason = match.entry.problems[0]?.message ?? 'it holds no volume (2D images or no pixel data)';
      throw new KeyholeError('DICOM_SERIES_INCONSISTENT', { message: `series ${match.number} cannot be converted to a volume: ${reason}` });
    }
    return match;
  }
  const largest = [...convertible].sort((a, b) => seriesVoxelCount(b.entry) - seriesVoxelCount(a.entry))[0];
  if (largest === undefined) {
    const reason = series.flatMap((s) => s.entry.problems).map((p) => p.message)[0];
    throw new KeyholeError('DICOM_SERIES_NOT_FOUND', { message: `no series in the input can be converted to a volume${reason !== undefined ? `: ${reason}` : ''}` });
  }
  return largest;
}

/** A short file suffix from what tells the volumes of a series apart (as dcm2niix's _e2, _ph): v2_magnitude, v3_e2_t4. */
function volumeSuffix(n: number, descriptor: VolumeDescriptor): string {
  const { keys } = descriptor;
  const parts = [`v${n}`];
  if (keys.complexComponent !== undefined) parts.push(keys.complexComponent.toLowerCase());
  if (descriptor.units === 'Hz') parts.push('hz');
  if (keys.echoNumber !== undefined) parts.push(`e${keys.echoNumber}`);
  if (keys.temporalPosition !== undefined) parts.push(`t${keys.temporalPosition}`);
  return parts.join('_');
}

function suffixed(output: string, suffix: string): string {
  const match = /^(.*?)(\.nii(?:\.gz)?)$/i.exec(output);
  return match === null ? `${output}_${suffix}` : `${match[1]}_${suffix}${match[2]}`;
}

export async function runConvert(options: ConvertOptions): Promise<number> {
  const ctx = makeContext(options.json);
  try {
    if (!/\.nii(\.gz)?$/i.test(options.output)) {
      throw new KeyholeError('INVALID_ARGUMENT', { path: '--output', message: `"${options.output}" must end in .nii or .nii.gz` });
    }
    const catalogue = await catalogueInputs({
      paths: options.paths,
      interactive: ctx.interactive,
      geometry: { gantryTilt: options.tilt === 'correct' ? 'resample' : 'refuse', irregularSpacing: options.uneven },
    });
    if (catalogue.instances.length === 0) {
      throw catalogue.fileProblems[0] ?? new KeyholeError('EMPTY_INPUT', { message: `no DICOM images in ${options.paths.join(', ')}` });
    }
    const chosen = selectSeries(catalogue.series, options.series);
    const codecs = await createNodeCodecRegistry();
    const descriptors: Array<{ set: number; descriptor: VolumeDescriptor; setLabel: string }> = [];
    chosen.entry.volumeSets.forEach((set, s) => set.volumes.forEach((descriptor) => descriptors.push({ set: s, descriptor, setLabel: set.label })));
    const totalFrames = descriptors.reduce((sum, d) => sum + d.descriptor.geometry.slices.length, 0);
    const progress = createProgress({ enabled: ctx.interactive, title: 'converting' });
    const loaded: Array<{ set: number; volume: Volume; label: string; descriptor: VolumeDescriptor }> = [];
    let framesDone = 0;
    try {
      for (const { set, descriptor, setLabel } of descriptors) {
        const volume = await loadVolumeInThreads({
          volume: descriptor,
          codecs,
          onWarning: (message) => process.stderr.write(`warning: ${message}\n`),
          onProgress: (p) => progress.update((framesDone + p.done) / totalFrames, `${framesDone + p.done}/${totalFrames} frames`),
        });
        framesDone += descriptor.geometry.slices.length;
        loaded.push({ set, volume, descriptor, label: [chosen.entry.volumeSets.length > 1 ? setLabel : '', descriptor.label].filter((t) => t !== '').join(' ') });
      }
    } finally {
      progress.stop();
    }

    // One set whose volumes share a grid → one (possibly 4D) file; otherwise one file per volume.
    const written: WrittenFile[] = [];
    const single = chosen.entry.volumeSets.length === 1 && chosen.entry.volumeSets[0]!.sameGrid && (options.multi === '4d' || loaded.length === 1);
    if (single) {
      await writeNiftiFile({ path: options.output, volumes: loaded.map((l) => l.volume), description: `Keyhole ${chosen.entry.modality ?? ''} series ${chosen.entry.seriesNumber ?? ''}` });
      written.push({ path: options.output, volumes: loaded.map((l) => l.label || 'volume'), size: [...loaded[0]!.volume.size, loaded.length], spacing: loaded[0]!.volume.spacing });
    } else {
      for (const [n, item] of loaded.entries()) {
        const path = suffixed(options.output, volumeSuffix(n + 1, item.descriptor));
        await writeNiftiFile({ path, volumes: [item.volume], description: `Keyhole ${item.label}`.slice(0, 79) });
        written.push({ path, volumes: [item.label || 'volume'], size: item.volume.size, spacing: item.volume.spacing });
      }
    }
    const warnings = descriptors.flatMap((d) => d.descriptor.warnings.concat(d.descriptor.geometry.warnings));
    const sidecar = {
      keyhole: '0.1.0',
      disclaimer: 'Converted by Keyhole, which supports clinical decisions and does not replace clinical judgement.',
      seriesInstanceUid: chosen.entry.seriesInstanceUid,
      seriesNumber: chosen.entry.seriesNumber,
      modality: chosen.entry.modality,
      description: chosen.entry.description,
      files: written,
      warnings: [...new Set(warnings)],
      refusedInputs: catalogue.fileProblems.map((p) => p.toJSON()),
    };
    await writeFileAtomic(options.output.replace(/\.nii(\.gz)?$/i, '.json'), `${JSON.stringify(sidecar, null, 2)}\n`);
    if (options.json) ctx.out(JSON.stringify({ ok: true, ...sidecar }, null, 2));
    else {
      ctx.out(`series [${chosen.number}] ${chosen.entry.modality ?? ''} "${chosen.entry.description ?? ''}" → ${written.length} file(s)`);
      for (const w of written) ctx.out(`  ${w.path}: ${fmtSize(w.size as [number, number, number])} @ ${fmtSpacing(w.spacing as [number, number, number])}${w.volumes.length > 1 ? `  (${w.volumes.join(', ')})` : ''}`);
      for (const w of sidecar.warnings) ctx.note(`  warning: ${w}`);
      if (catalogue.fileProblems.length > 0) ctx.note(`  ${catalogue.fileProblems.length} input file(s) refused; run \`keyhole info\` for the reasons`);
    }
    return catalogue.fileProblems.length > 0 ? EXIT.partial : EXIT.ok;
  } catch (error) {
    return reportError(error, options.json);
  }
}
