import type { DicomFile, SeriesMetadata } from '../../dicom/write/series-metadata.ts';
import { uidFromKey } from '../../dicom/write/uid.ts';
import { writeDicomSeries } from '../../dicom/write/write-series.ts';
import type { Volume } from '../../volume/volume.ts';
import type { PathologyRecord, RasterizeSceneOptions, RasterizeSceneResult, SpineScene, SpineSceneOptions } from '../anatomy/types.ts';
import { defaultWindow, MR_SEQUENCES, tissueValues, valuesByCode, type ImagingModality } from './contrast.ts';
import { PATIENT_POSITION_CODES, type PatientPositionName } from './patient-position.ts';
import { planAcquisition, type AcquisitionPlan, type GridOverride, type ProtocolName } from './protocols.ts';
import { createRandom } from './random.ts';
import { synthesizeImage } from './synthesize.ts';

/**
 * The phantom study generator, with the anatomy passed in (`study.ts` wires the real one; tests
 * can pass a stand-in). Pure: no I/O; identical output for identical options.
 */
export interface PhantomStudyOptions extends SpineSceneOptions {
  readonly modality: ImagingModality;
  /** Default: `3d` for CT, `sagittal` for MR. */
  readonly protocol?: ProtocolName;
  /** Default `supine`. */
  readonly position?: PatientPositionName;
  /** Matrix and spacing overrides for every stack (e.g. the benchmark's 512 × 512 × 300 CT). */
  readonly grid?: GridOverride;
  /** Angled axial stacks: one series per stack (default) or all stacks in one series, as some scanners write them. */
  readonly axialSeries?: 'per-stack' | 'single';
  /** Patient age in years (trabecular density, marrow T1); default drawn from the seed (25–79). */
  readonly ageYears?: number;
  /** Noise σ: HU for CT (default 15), per-channel signal σ for MR (default 25 of a 4000 scale). */
  readonly noiseSigma?: number;
  /** MR bias-field ripple amplitude (default 0.15); 0 with `coil: false` gives a flat field. */
  readonly biasAmplitude?: number;
  /** MR posterior coil fall-off (default true). */
  readonly coil?: boolean;
  /** CT pixel storage (default unsigned with intercept −1024, as many scanners write). */
  readonly ctStorage?: 'unsigned-offset' | 'signed';
  /** Write DICOM files (default true); the benchmark's volume-only runs can skip it. */
  readonly dicom?: boolean;
  /** StudyDate (YYYYMMDD), default 20250101: fixed so that files are reproducible byte for byte. */
  readonly studyDate?: string;
  readonly onProgress?: (fraction: number, stage: string) => void;
}

export interface PhantomSeries {
  readonly description: string;
  readonly seriesNumber: number;
  readonly seriesInstanceUid: string;
  /** Intensities: CT int16 HU, MR uint16 signal. */
  readonly volume: Volume;
  /** Truth labels on the same grid (vocabulary values; legend in truthJson). */
  readonly labels: Volume;
  readonly files: DicomFile[];
  readonly sliceThicknessMm: number;
  /** Angled stacks: the disc the stack is parallel to. */
  readonly disc?: string;
}

export interface PhantomTruth {
  readonly schemaVersion: 1;
  readonly generator: 'keyhole phantom';
  readonly seed: number;
  readonly levels: { readonly from: string; readonly to: string };
  readonly variant: NonNullable<SpineSceneOptions['variant']>;
  readonly modality: ImagingModality;
  readonly protocol: ProtocolName;
  readonly position: PatientPositionName;
  readonly patientPosition: string;
  readonly ageYears: number;
  readonly space: 'LPS';
  readonly units: 'mm';
  readonly landmarks: SpineScene['landmarks'];
  readonly pathology: readonly PathologyRecord[];
  readonly sceneLevels: SpineScene['levels'];
  readonly morphometry: SpineScene['morphometry'];
  readonly legend: SpineScene['legend'];
  /** Value each tissue was given: HU for CT, stored signal for MR (before blur, bias and noise). */
  readonly tissueValues: Readonly<Record<string, number>>;
  readonly studyInstanceUid: string;
  readonly frameOfReferenceUid: string;
  readonly series: ReadonlyArray<{ readonly seriesNumber: number; readonly description: string; readonly seriesInstanceUid: string; readonly disc?: string }>;
}

export interface PhantomStudy {
  readonly scene: SpineScene;
  readonly series: PhantomSeries[];
  readonly truthJson: PhantomTruth;
}

export interface AnatomyEngine {
  readonly buildScene: (options: SpineSceneOptions) => SpineScene;
  readonly rasterize: (options: RasterizeSceneOptions) => RasterizeSceneResult;
}

const DEFAULT_NOISE = { ct: 15, mr: 25 };

export function generateStudyWith(engine: AnatomyEngine, options: PhantomStudyOptions): PhantomStudy {
  const progress = options.onProgress ?? (() => undefined);
  const modality = options.modality;
  const protocol = options.protocol ?? (modality === 'ct' ? '3d' : 'sagittal');
  const position = options.position ?? 'supine';
  progress(0, 'anatomy');
  const scene = engine.buildScene(sceneOptions(options));
  const ageYears = options.ageYears ?? 25 + Math.floor(createRandom(options.seed, 'imaging/age').uniform() * 55);
  const values = tissueValues({ modality, ageYears, random: createRandom(options.seed, `imaging/tissue/${modality}`) });
  const valueOfCode = valuesByCode(values);
  const plans = planAcquisition({ scene, modality, protocol, position, ...(options.grid !== undefined ? { grid: options.grid } : {}) });

  const sceneKey = canonicalJson({ seed: options.seed, levels: options.levels ?? null, variant: options.variant ?? null, pathology: options.pathology ?? [], body: options.body ?? null, lordosisDeg: options.lordosisDeg ?? null, iliacCrestHeight: options.iliacCrestHeight ?? null });
  const frameOfReferenceUid = uidFromKey(`keyhole-phantom/frame-of-reference/${sceneKey}`);
  const studyInstanceUid = uidFromKey(`keyhole-phantom/study/${sceneKey}/${modality}/${protocol}/${position}/${canonicalJson(options.grid ?? null)}/${options.axialSeries ?? 'per-stack'}`);
  const singleSeries = protocol === 'axial-angled' && options.axialSeries === 'single';

  const series: PhantomSeries[] = [];
  let nextInstance = 1;
  plans.forEach((plan, index) => {
    const base = 0.05 + (0.9 * index) / plans.length;
    const share = 0.9 / plans.length;
    progress(base, `${plan.description}: anatomy`);
    const centre = engine.rasterize({ scene, grid: plan.grid });
    progress(base + share * 0.3, `${plan.description}: image`);
    const noiseSigma = options.noiseSigma ?? (modality === 'ct' ? DEFAULT_NOISE.ct : DEFAULT_NOISE.mr);
    const { image } = synthesizeImage({
      modality,
      grid: plan.grid,
      sliceThicknessMm: plan.sliceThicknessMm,
      centreTissue: centre.tissue,
      sampleTissue: (grid) => engine.rasterize({ scene, grid }).tissue,
      valueOfCode,
      noiseSigma,
      bias: { amplitude: options.biasAmplitude ?? 0.15, coilY: scene.bounds.max[1], coilDepthMm: options.coil === false ? Infinity : 200 },
      random: createRandom(options.seed, `imaging/noise/${modality}/${protocol}/${position}/${index}`),
    });
    const seriesNumber = singleSeries ? Math.floor(plan.seriesNumber / 100) * 100 : plan.seriesNumber;
    const seriesInstanceUid = uidFromKey(`${studyInstanceUid}/series/${seriesNumber}`);
    progress(base + share * 0.8, `${plan.description}: DICOM`);
    const files = options.dicom === false ? [] : writeDicomSeries({
      volume: image,
      metadata: seriesMetadata({ options, modality, position, plan, ageYears, studyInstanceUid, frameOfReferenceUid, seriesInstanceUid, seriesNumber, firstInstanceNumber: singleSeries ? nextInstance : 1 }),
    });
    nextInstance += plan.grid.size[2];
    series.push({
      description: plan.description, seriesNumber, seriesInstanceUid, volume: image, labels: centre.labels, files, sliceThicknessMm: plan.sliceThicknessMm,
      ...(plan.disc !== undefined ? { disc: plan.disc } : {}),
    });
  });
  progress(1, 'done');

  const truthJson: PhantomTruth = {
    schemaVersion: 1,
    generator: 'keyhole phantom',
    seed: options.seed,
    levels: options.levels ?? { from: 'T10', to: 'S1' },
    variant: options.variant ?? { kind: 'none' },
    modality, protocol, position,
    patientPosition: PATIENT_POSITION_CODES[position],
    ageYears,
    space: 'LPS',
    units: 'mm',
    landmarks: scene.landmarks,
    pathology: scene.pathology,
    sceneLevels: scene.levels,
    morphometry: scene.morphometry,
    legend: scene.legend,
    tissueValues: values,
    studyInstanceUid,
    frameOfReferenceUid,
    series: series.map((s) => ({ seriesNumber: s.seriesNumber, description: s.description, seriesInstanceUid: s.seriesInstanceUid, ...(s.disc !== undefined ? { disc: s.disc } : {}) })),
  };
  return { scene, series, truthJson };
}

function sceneOptions(options: PhantomStudyOptions): SpineSceneOptions {
  return {
    seed: options.seed,
    ...(options.levels !== undefined ? { levels: options.levels } : {}),
    ...(options.variant !== undefined ? { variant: options.variant } : {}),
    ...(options.pathology !== undefined ? { pathology: options.pathology } : {}),
    ...(options.iliacCrestHeight !== undefined ? { iliacCrestHeight: options.iliacCrestHeight } : {}),
    ...(options.body !== undefined ? { body: options.body } : {}),
    ...(options.lordosisDeg !== undefined ? { lordosisDeg: options.lordosisDeg } : {}),
  };
}

interface MetadataInput {
  readonly options: PhantomStudyOptions;
  readonly modality: ImagingModality;
  readonly position: PatientPositionName;
  readonly plan: AcquisitionPlan;
  readonly ageYears: number;
  readonly studyInstanceUid: string;
  readonly frameOfReferenceUid: string;
  readonly seriesInstanceUid: string;
  readonly seriesNumber: number;
  readonly firstInstanceNumber: number;
}

function seriesMetadata(input: MetadataInput): SeriesMetadata {
  const { options, modality, plan } = input;
  const date = options.studyDate ?? '20250101';
  const birthYear = Number(date.slice(0, 4)) - input.ageYears;
  const seed = options.seed;
  const mr = modality === 'ct' ? undefined : MR_SEQUENCES[modality];
  return {
    modality: modality === 'ct' ? 'CT' : 'MR',
    patient: { name: `Keyhole^Phantom ${seed}`, id: `KH-PHANTOM-${seed}`, birthDate: `${birthYear}0101`, sex: 'O', age: `${String(input.ageYears).padStart(3, '0')}Y` },
    study: {
      studyInstanceUid: input.studyInstanceUid, frameOfReferenceUid: input.frameOfReferenceUid, date, time: '090000',
      studyId: String(seed % 100000), description: 'Keyhole spine phantom', accessionNumber: `KH${seed}`,
    },
    seriesInstanceUid: input.seriesInstanceUid,
    seriesNumber: input.seriesNumber,
    seriesDescription: plan.description,
    patientPosition: PATIENT_POSITION_CODES[input.position],
    sliceThickness: plan.sliceThicknessMm,
    displayWindow: defaultWindow(modality),
    bodyPart: 'LSPINE',
    firstInstanceNumber: input.firstInstanceNumber,
    fileNamePrefix: `s${String(input.seriesNumber).padStart(4, '0')}-`,
    imageComments: `Keyhole synthetic phantom, seed ${seed}${plan.disc !== undefined ? `, stack parallel to ${plan.disc}` : ''}`,
    acquisition: mr === undefined
      ? { kind: 'CT', kvp: 120, exposureMas: 250, convolutionKernel: 'B60s', storage: options.ctStorage ?? 'unsigned-offset' }
      : {
          kind: 'MR', repetitionTime: mr.repetitionTime, echoTime: mr.echoTime, echoTrainLength: mr.echoTrainLength,
          magneticFieldStrength: 1.5, scanningSequence: mr.scanningSequence, sequenceVariant: mr.sequenceVariant,
          acquisitionType: plan.acquisitionType, sequenceName: mr.name, flipAngle: 90,
        },
  };
}

/** JSON with object keys sorted, so that equal options give equal UID keys whatever their key order. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
