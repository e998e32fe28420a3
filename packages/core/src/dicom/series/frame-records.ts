/**
 * DicomInstance → one record per 2D frame: where the frame lies (SlicePlacement), what it is (the
 * keys series splitting uses) and how its stored values become real values. Headers only; no pixels.
 *
 * Classic images carry everything at the top level. Enhanced multi-frame images (PS3.3 C.7.6.16)
 * carry it in functional groups: for each frame, a macro is looked up in the frame's item of the
 * Per-Frame Functional Groups Sequence first, then in the Shared Functional Groups Sequence
 * (C.7.6.16.1: a macro appears in one or the other), then, for robustness, at the top level.
 */
import { KeyholeError } from '../../errors/keyhole-error.ts';
import type { Vec3 } from '../../geometry/vec3.ts';
import type { VoxelUnit } from '../../volume/volume.ts';
import type { DicomDataset, DicomInstance } from '../instance.ts';
import { SERIES_TAGS as T } from './series-tags.ts';
import type { SlicePlacement } from './slice-geometry.ts';

/** What distinguishes frames of one series that do not belong in one volume. */
export interface FrameKeys {
  /** ImageType, or FrameType for enhanced frames (values joined by `\`). */
  readonly imageType: string;
  /** ComplexImageComponent (MAGNITUDE, PHASE, REAL, IMAGINARY, MIXED) for enhanced MR. */
  readonly complexComponent?: string;
  readonly echoNumber?: number;
  readonly echoTimeMs?: number;
  /** TemporalPositionIndex (enhanced) or TemporalPositionIdentifier (classic). */
  readonly temporalPosition?: number;
  readonly acquisitionNumber?: number;
  readonly triggerTimeMs?: number;
  readonly stackId?: string;
  readonly instanceNumber?: number;
}

/**
 * real value = stored × slope + intercept.
 * - `rescale`: Modality LUT (RescaleSlope/Intercept, PS3.3 C.11.1; per frame in enhanced images).
 * - `philips-floating-point`: Philips "FP" values, FP = (SV·RS + RI) / (RS·SS) with SS the private
 *   scale slope (2005,100E). dcm2niix uses these by default (its `-p y`), so its NIfTI files hold
 *   them in scl_slope/scl_inter; for the B0 field map RS·SS = 1, so FP equals the Hz values of the
 *   RealWorldValueMapping (slope 0.2442, intercept −500).
 */
export interface ValueMapping {
  readonly slope: number;
  readonly intercept: number;
  readonly source: 'rescale' | 'philips-floating-point' | 'identity';
  readonly units: VoxelUnit;
}

export interface FrameRecord extends SlicePlacement {
  readonly instance: DicomInstance;
  /** 0-based frame index within the instance. */
  readonly frame: number;
  readonly seriesInstanceUid: string;
  readonly keys: FrameKeys;
  readonly valueMapping: ValueMapping;
  readonly photometricInterpretation: string;
}

export interface FrameRecordsResult {
  /** One per frame, in frame order; empty for instances without pixel data or without plane geometry. */
  readonly frames: readonly FrameRecord[];
  /** Why the instance yielded no frames (no pixels, no IPP/IOP: a projection image), when it did not. */
  readonly notVolumetric?: 'no-pixel-data' | 'no-plane-geometry';
}

/** Functional-group lookup for one frame: per-frame item, then shared item, then top level. */
export class FrameContext {
  constructor(
    readonly root: DicomDataset,
    private readonly perFrame: DicomDataset | undefined,
    private readonly shared: DicomDataset | undefined,
  ) {}

  /** The first item of functional-group macro `sequenceTag` (e.g. PlanePositionSequence). */
  macro(sequenceTag: string): DicomDataset | undefined {
    return this.perFrame?.sequence(sequenceTag)[0] ?? this.shared?.sequence(sequenceTag)[0];
  }

  /** Value from the macro when it exists, else from the top level (classic images). */
  numbers(sequenceTag: string, tag: string): number[] {
    const fromMacro = this.macro(sequenceTag)?.numbers(tag) ?? [];
    return fromMacro.length > 0 ? fromMacro : this.root.numbers(tag);
  }

  number(sequenceTag: string, tag: string): number | undefined {
    return this.numbers(sequenceTag, tag)[0];
  }

  strings(sequenceTag: string, tag: string): string[] {
    const fromMacro = this.macro(sequenceTag)?.strings(tag) ?? [];
    return fromMacro.length > 0 ? fromMacro : this.root.strings(tag);
  }

  /** Philips private per-frame item (2005,140F), where the private scale slope lives. */
  philipsPrivate(): DicomDataset | undefined {
    return this.perFrame?.sequence(T.philipsPerFrameSequence)[0] ?? this.shared?.sequence(T.philipsPerFrameSequence)[0];
  }
}

function finite(value: number | undefined): number | undefined {
  return value !== undefined && Number.isFinite(value) ? value : undefined;
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value !== undefined ? { [key]: value } : {}) as { [P in K]?: V };
}

function unitsFor(modality: string | undefined, rescaleType: string | undefined, realWorldUnits: string | undefined): VoxelUnit {
  if (realWorldUnits === 'Hz') return 'Hz';
  if (modality === 'CT' && (rescaleType === undefined || rescaleType === 'HU')) return 'HU';
  if (modality === 'MR') return 'signal';
  return 'raw';
}

function valueMappingFor(ctx: FrameContext, modality: string | undefined, manufacturer: string | undefined): ValueMapping {
  const slope = finite(ctx.number(T.pixelValueTransformationSequence, T.rescaleSlope));
  const intercept = finite(ctx.number(T.pixelValueTransformationSequence, T.rescaleIntercept));
  const rescaleType = ctx.strings(T.pixelValueTransformationSequence, T.rescaleType)[0];
  const rwv = ctx.macro(T.realWorldValueMappingSequence) ?? ctx.root.sequence(T.realWorldValueMappingSequence)[0];
  const rwvUnits = rwv?.sequence(T.measurementUnitsCodeSequence)[0]?.string(T.codeValue);
  const units = unitsFor(modality, rescaleType, rwvUnits);
  const philipsScale = finite(ctx.philipsPrivate()?.number(T.philipsScaleSlope) ?? ctx.root.number(T.philipsScaleSlope));
  if (manufacturer?.toLowerCase().includes('philips') === true && philipsScale !== undefined && philipsScale !== 0) {
    const rs = slope ?? 1;
    const ri = intercept ?? 0;
    return { slope: 1 / philipsScale, intercept: ri / (rs * philipsScale), source: 'philips-floating-point', units };
  }
  if (slope === undefined && intercept === undefined) return { slope: 1, intercept: 0, source: 'identity', units };
  return { slope: slope ?? 1, intercept: intercept ?? 0, source: 'rescale', units };
}

function vec3(values: readonly number[]): Vec3 | undefined {
  return values.length >= 3 && values.slice(0, 3).every(Number.isFinite) ? [values[0]!, values[1]!, values[2]!] : undefined;
}

function frameSource(instance: DicomInstance, frame: number, frameCount: number): string {
  return frameCount > 1 ? `${instance.source} [frame ${frame + 1}]` : instance.source;
}

/** Reads the per-frame records of one instance. Throws DICOM_MISSING_ATTRIBUTE when geometry is half there. */
export function readFrameRecords(instance: DicomInstance): FrameRecordsResult {
  const root = instance.dataset;
  if (instance.pixelData === undefined) return { frames: [], notVolumetric: 'no-pixel-data' };
  const frameCount = Math.max(1, instance.pixelData.format.numberOfFrames);
  const perFrameItems = root.sequence(T.perFrameFunctionalGroups);
  const shared = root.sequence(T.sharedFunctionalGroups)[0];
  const modality = root.string(T.modality);
  const manufacturer = root.string(T.manufacturer);
  const seriesInstanceUid = root.string(T.seriesInstanceUid) ?? '';
  const { rows, columns, photometricInterpretation } = instance.pixelData.format;
  const frames: FrameRecord[] = [];
  for (let frame = 0; frame < frameCount; frame++) {
    const ctx = new FrameContext(root, perFrameItems[frame], shared);
    const source = frameSource(instance, frame, frameCount);
    const position = vec3(ctx.numbers(T.planePositionSequence, T.imagePositionPatient));
    const orientation = ctx.numbers(T.planeOrientationSequence, T.imageOrientationPatient);
    if (position === undefined && orientation.length === 0) return { frames: [], notVolumetric: 'no-plane-geometry' };
    const missing = (name: string): never => {
      throw new KeyholeError('DICOM_MISSING_ATTRIBUTE', { file: source, message: `${name} is missing or incomplete, so the frame cannot be placed in patient space` });
    };
    if (position === undefined) missing('ImagePositionPatient (0020,0032)');
    if (orientation.length < 6) missing('ImageOrientationPatient (0020,0037)');
    const spacing = ctx.numbers(T.pixelMeasuresSequence, T.pixelSpacing);
    if (spacing.length < 2) missing('PixelSpacing (0028,0030)');
    const frameType = ctx.macro(T.mrImageFrameTypeSequence) ?? ctx.macro(T.ctImageFrameTypeSequence);
    const imageType = (frameType?.strings(T.frameType) ?? root.strings(T.imageType)).join('\\');
    const complexComponent = frameType?.string(T.complexImageComponent);
    const echoTime = finite(ctx.macro(T.mrEchoSequence)?.number(T.effectiveEchoTime) ?? root.number(T.echoTime));
    const content = ctx.macro(T.frameContentSequence);
    const temporal = finite(content?.number(T.temporalPositionIndex) ?? root.number(T.temporalPositionIdentifier));
    const trigger = finite(ctx.macro(T.cardiacSynchronizationSequence)?.number(T.nominalCardiacTriggerDelayTime) ?? root.number(T.triggerTime));
    const keys: FrameKeys = {
      imageType,
      ...optional('complexComponent', complexComponent),
      ...optional('echoNumber', finite(root.number(T.echoNumbers))),
      ...optional('echoTimeMs', echoTime),
      ...optional('temporalPosition', temporal),
      ...optional('acquisitionNumber', finite(content?.number(T.frameAcquisitionNumber) ?? root.number(T.acquisitionNumber))),
      ...optional('triggerTimeMs', trigger),
      ...optional('stackId', content?.string(T.stackId)),
      ...optional('instanceNumber', finite(root.number(T.instanceNumber))),
    };
    frames.push({
      source,
      position: position!,
      rowCosines: [orientation[0]!, orientation[1]!, orientation[2]!],
      columnCosines: [orientation[3]!, orientation[4]!, orientation[5]!],
      pixelSpacing: [spacing[0]!, spacing[1]!],
      rows,
      columns,
      ...optional('gantryTiltDeg', finite(root.number(T.gantryDetectorTilt))),
      ...optional('sliceThickness', finite(ctx.number(T.pixelMeasuresSequence, T.sliceThickness))),
      ...optional('spacingBetweenSlices', finite(ctx.number(T.pixelMeasuresSequence, T.spacingBetweenSlices))),
      instance,
      frame,
      seriesInstanceUid,
      keys,
      valueMapping: valueMappingFor(ctx, modality, manufacturer),
      photometricInterpretation,
    });
  }
  return { frames };
}
