import { readJsonFile } from '../read-json-file.ts';
import { basename } from 'node:path';
import {
  buildFindingsReport, correlate, findingsFromLabelMap, findingsMeasurementGroups, KeyholeError, loadVolume, referenceGridOf, renderKeyImages, renderReportHtml,
  renderReportPdf, segSourceFromInstances, validateExam, writeDicomSeg, writeMeasurementReport,
  type CorrelationResult, type LegendInput, type ReportHeaderInput, type SegSourceSeries, type Volume, type VolumeDescriptor,
} from '@keyhole/core';
import { createNodeCodecRegistry, readLabelMapFiles, readNiftiFile, writeFileAtomic } from '@keyhole/io';
import { EXIT, makeContext, reportError } from '../run-command.ts';
import { selectSeries } from './convert.ts';
import { catalogueInputs } from './read-inputs.ts';

export interface ReportCommandOptions {
  /** The image: DICOM file(s), folder or .zip, or a NIfTI file (CT taken as HU). */
  readonly volume: readonly string[];
  readonly labels?: string;
  readonly legend?: string;
  readonly exam?: string;
  /** PDF output. */
  readonly output: string;
  readonly html?: string;
  readonly series?: string;
  /** Also write the findings as a DICOM SR (TID 1500 measurement report) here. Needs a DICOM study. */
  readonly sr?: string;
  /** Also write the label map as a DICOM SEG here. Needs a DICOM study. */
  readonly seg?: string;
  readonly deidentify: boolean;
  readonly json: boolean;
}

/**
 * `keyhole report --labels SEG --legend L --volume STUDY [--exam EXAM.json] -o report.pdf [--html report.html]`
 * (issue 6): the findings report — patient and study header (or de-identified), graded findings per level with their
 * sources, the correlation when an examination is given, the disclaimer and the uncertainties on every page, and key
 * images rendered from the volume and the label map.
 */
export async function runReport(options: ReportCommandOptions): Promise<number> {
  const ctx = makeContext(options.json);
  try {
    if (options.labels === undefined) throw new KeyholeError('FINDINGS_NEED_ANATOMY', { message: 'a findings report needs an anatomy model: run keyhole segment or pass --labels SEG.nii.gz --legend LEGEND.json' });
    if (options.legend === undefined) throw new KeyholeError('INVALID_ARGUMENT', { path: '--legend', message: 'a label map needs its legend: pass --legend LEGEND.json' });
    if (!/\.pdf$/i.test(options.output)) throw new KeyholeError('INVALID_ARGUMENT', { path: '-o', message: `output ${options.output} must end in .pdf` });
    if (options.html !== undefined && !/\.html?$/i.test(options.html)) throw new KeyholeError('INVALID_ARGUMENT', { path: '--html', message: `${options.html} must end in .html` });
    for (const [flag, file] of [['--sr', options.sr], ['--seg', options.seg]] as const) {
      if (file !== undefined && !file.endsWith('.dcm')) throw new KeyholeError('INVALID_ARGUMENT', { path: flag, message: `${file} must end in .dcm` });
    }
    const { volume: image, header, source, descriptor } = await loadStudy(options);
    if ((options.sr !== undefined || options.seg !== undefined) && source === undefined) {
      throw new KeyholeError('INVALID_ARGUMENT', { path: options.sr !== undefined ? '--sr' : '--seg', message: 'a DICOM SR or SEG references its source series: pass the study as DICOM (files, folder or zip), not NIfTI' });
    }
    const { volumes } = await readNiftiFile({ path: options.labels, units: 'label' });
    const labels = volumes[0];
    if (labels === undefined) throw new KeyholeError('NIFTI_UNSUPPORTED', { file: options.labels, message: 'the file holds no volume' });
    const legend = (await readJsonFile(options.legend, { path: '--legend', what: 'the legend' })) as LegendInput;
    const result = findingsFromLabelMap({ image, labels, legend });
    let correlation: CorrelationResult | undefined;
    if (options.exam !== undefined) {
      const exam = validateExam(await readJsonFile(options.exam, { path: '--exam', what: 'the examination' }), options.exam);
      correlation = correlate({ exam, findings: result.findings });
    }
    const keyImages = renderKeyImages({ image, labels, legend, result });
    const structuredOutputs: Array<{ kind: string; path: string; uid: string }> = [];
    if (source !== undefined && (options.sr !== undefined || options.seg !== undefined)) {
      const now = new Date();
      const created = { date: now.toISOString().slice(0, 10).replace(/-/g, ''), time: now.toISOString().slice(11, 19).replace(/:/g, '') };
      if (options.sr !== undefined) {
        const sr = writeMeasurementReport({
          source, created, observer: { kind: 'device', name: 'Keyhole findings' }, groups: findingsMeasurementGroups(result),
          uidKey: `report-sr/${source.seriesInstanceUid}/${created.date}${created.time}`, seriesDescription: 'Keyhole findings (TID 1500)',
        });
        await writeFileAtomic(options.sr, sr.file.bytes);
        structuredOutputs.push({ kind: 'DICOM SR (TID 1500 measurement report)', path: options.sr, uid: sr.sopInstanceUid });
      }
      if (options.seg !== undefined) {
        const imported = await readLabelMapFiles({ path: options.labels, legendPath: options.legend, reference: referenceGridOf(descriptor!.geometry.grid) });
        for (const warning of imported.warnings) ctx.note(`note: ${warning}`);
        const seg = writeDicomSeg({ labelMap: imported.labelMap, source, created, algorithm: { type: 'AUTOMATIC', name: 'Keyhole' }, uidKey: `report-seg/${source.seriesInstanceUid}/${created.date}${created.time}` });
        await writeFileAtomic(options.seg, seg.file.bytes);
        structuredOutputs.push({ kind: 'DICOM SEG', path: options.seg, uid: seg.sopInstanceUid });
      }
    }
    const report = buildFindingsReport({
      result, keyImages, header, deidentify: options.deidentify, structuredOutputs,
      generatedAt: new Date().toISOString(), software: 'Keyhole (keyhole report)',
      ...(correlation !== undefined ? { correlation } : {}),
    });
    await writeFileAtomic(options.output, await renderReportPdf(report));
    if (options.html !== undefined) await writeFileAtomic(options.html, renderReportHtml(report));
    const summary = { ok: true, pdf: options.output, ...(options.html !== undefined ? { html: options.html } : {}), structuredOutputs, findings: report.findings.length, needsReview: report.findings.filter((f) => f.review).length, keyImages: keyImages.length, correlated: correlation !== undefined, deidentified: options.deidentify };
    if (options.json) ctx.out(JSON.stringify(summary, null, 2));
    else {
      ctx.out(`${options.output}: findings report, ${summary.findings} findings (${summary.needsReview} for review), ${summary.keyImages} key images${correlation !== undefined ? ', correlated with the examination' : ''}${options.deidentify ? ', de-identified' : ''}`);
      if (options.html !== undefined) ctx.out(`${options.html}: the same report as HTML`);
      for (const o of structuredOutputs) ctx.out(`${o.path}: ${o.kind}`);
    }
    return EXIT.ok;
  } catch (error) {
    return reportError(error, options.json);
  }
}

async function loadStudy(options: ReportCommandOptions): Promise<{ volume: Volume; header: ReportHeaderInput; source?: SegSourceSeries; descriptor?: VolumeDescriptor }> {
  const [first] = options.volume;
  if (options.volume.length === 1 && first !== undefined && /\.nii(\.gz)?$/i.test(first)) {
    const { volumes } = await readNiftiFile({ path: first, units: 'HU' });
    const volume = volumes[0];
    if (volume === undefined) throw new KeyholeError('NIFTI_UNSUPPORTED', { file: first, message: 'the file holds no volume' });
    return { volume, header: { source: basename(first), modality: 'NIfTI (taken as CT, HU)' } };
  }
  const catalogue = await catalogueInputs({ paths: options.volume, interactive: false });
  if (catalogue.instances.length === 0) throw catalogue.fileProblems[0] ?? new KeyholeError('EMPTY_INPUT', { message: `no DICOM images in ${options.volume.join(', ')}` });
  const chosen = selectSeries(catalogue.series, options.series);
  const descriptor = chosen.entry.volumeSets[0]?.volumes[0];
  if (descriptor === undefined) throw new KeyholeError('DICOM_SERIES_INCONSISTENT', { message: `series ${chosen.number} holds no volume` });
  const volume = await loadVolume({ volume: descriptor, codecs: await createNodeCodecRegistry() });
  const patient = catalogue.description.patients.find((p) => p.patientId === chosen.patientId);
  const study = patient?.studies.find((s) => s.studyInstanceUid === chosen.studyInstanceUid);
  const opt = <K extends string>(key: K, value: string | undefined): { [P in K]?: string } => (value !== undefined && value !== '' ? { [key]: value } : {}) as { [P in K]?: string };
  const header: ReportHeaderInput = {
    ...opt('patientName', patient?.patientName), ...opt('patientId', patient?.patientId), ...opt('birthDate', patient?.birthDate), ...opt('sex', patient?.sex),
    ...opt('studyDate', study?.date), ...opt('studyDescription', study?.description), ...opt('accessionNumber', study?.accessionNumber),
    ...opt('modality', chosen.entry.modality), ...opt('source', chosen.entry.description ?? `series ${chosen.entry.seriesNumber ?? chosen.number}`),
  };
  const uid = chosen.entry.seriesInstanceUid;
  const source = segSourceFromInstances({ instances: catalogue.instances.filter((instance) => (instance.dataset.string('x0020000e') ?? '') === uid) });
  return { volume, header, source, descriptor };
}

