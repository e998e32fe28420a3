import { KeyholeError, loadVolume, type Volume } from '@keyhole/core';
import { createNodeCodecRegistry, readNiftiFile } from '@keyhole/io';
import { selectSeries } from './convert.ts';
import { catalogueInputs } from './read-inputs.ts';

export interface LoadCtOptions {
  readonly paths: readonly string[];
  /** Series number (as in `keyhole info`) or Series Instance UID; default the largest series. */
  readonly series?: string;
  readonly interactive: boolean;
}

export interface LoadCtResult {
  readonly volume: Volume;
  /** What was read, for people: "series 2 CT "…"" or the NIfTI file name. */
  readonly source: string;
}

/**
 * The CT volume of a DRR: a NIfTI file (taken as CT in Hounsfield units) or a DICOM file, folder or
 * zip archive (the chosen or largest series, which must be CT).
 */
export async function loadCtVolume(options: LoadCtOptions): Promise<LoadCtResult> {
  const [first] = options.paths;
  if (options.paths.length === 1 && first !== undefined && /\.nii(\.gz)?$/i.test(first)) {
    const { volumes } = await readNiftiFile({ path: first, units: 'HU' });
    const volume = volumes[0];
    if (volume === undefined) throw new KeyholeError('NIFTI_UNSUPPORTED', { file: first, message: 'the file holds no volume' });
    return { volume, source: first };
  }
  const catalogue = await catalogueInputs({ paths: options.paths, interactive: options.interactive });
  if (catalogue.instances.length === 0) {
    throw catalogue.fileProblems[0] ?? new KeyholeError('EMPTY_INPUT', { message: `no DICOM images in ${options.paths.join(', ')}` });
  }
  const chosen = selectSeries(catalogue.series, options.series);
  if (chosen.entry.modality !== 'CT') {
    throw new KeyholeError('INVALID_ARGUMENT', {
      path: '--series',
      message: `series ${chosen.number} is ${chosen.entry.modality ?? 'of unknown modality'}, not CT: a simulated radiograph needs CT attenuation values (pick a CT series with --series; MR-only patients need a pseudo-CT, not yet available)`,
    });
  }
  const descriptor = chosen.entry.volumeSets[0]?.volumes[0];
  if (descriptor === undefined) throw new KeyholeError('DICOM_SERIES_INCONSISTENT', { message: `series ${chosen.number} holds no volume` });
  const volume = await loadVolume({ volume: descriptor, codecs: await createNodeCodecRegistry() });
  return { volume, source: `series ${chosen.number} ${chosen.entry.modality} "${chosen.entry.description ?? ''}"` };
}
