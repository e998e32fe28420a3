/**
 * Frames of one series → volumes, grouped into volume sets.
 *
 * 1. Frames that can never share a grid or a meaning are split apart ("set keys"): orientation,
 *    rows × columns, pixel spacing, image/frame type and complex component (magnitude vs phase vs
 *    field map; ORIGINAL vs DERIVED). Each such group is one volume SET.
 * 2. Within a set, frames are split along the dimensions a scanner repeats a stack over ("volume
 *    keys"): echo (EchoNumbers, else echo time), then — only when positions repeat — the first of
 *    temporal position (TemporalPositionIndex / TemporalPositionIdentifier), trigger time and
 *    acquisition number that gives every sub-group distinct positions. This mirrors dcm2niix, which
 *    stacks repeated positions into a 4th dimension.
 * 3. When positions still repeat but every position occurs equally often (c times), the stack is
 *    split into c repeats in instance-number order, with a warning; otherwise the duplicate
 *    positions are reported (DICOM_SERIES_INCONSISTENT) by the geometry step.
 * 4. Every volume goes through computeStackGeometry. A failure is recorded as a problem of the
 *    series and the other volumes are kept: one bad stack never loses the batch.
 */
import { KeyholeError, asKeyholeError } from '../../errors/keyhole-error.ts';
import type { VoxelUnit } from '../../volume/volume.ts';
import type { FrameKeys, FrameRecord } from './frame-records.ts';
import { computeStackGeometry, type StackGeometryOptions, type StackGeometryResult } from './slice-geometry.ts';

export type GeometryPolicy = Omit<StackGeometryOptions<FrameRecord>, 'slices'>;

/** A problem that stopped one volume (or instance) from being usable, as plain data. */
export interface SeriesProblem {
  readonly code: KeyholeError['code'];
  readonly message: string;
  readonly file?: string;
}

export interface VolumeDescriptor {
  /** For example `echo 2`, `t=3`, `t=3, echo 1`; empty when the set has one volume. */
  readonly label: string;
  readonly seriesInstanceUid: string;
  /** The keys shared by all its frames (set keys and volume keys). */
  readonly keys: FrameKeys;
  readonly geometry: StackGeometryResult<FrameRecord>;
  readonly units: VoxelUnit;
  readonly warnings: readonly string[];
}

export interface VolumeSetDescriptor {
  /** What the set holds: image type, complex component, orientation and size. */
  readonly label: string;
  readonly orientation: 'axial' | 'coronal' | 'sagittal' | 'oblique';
  /** Which dimension the volumes of the set run along, when more than one. */
  readonly dimension?: 'echo' | 'time' | 'trigger' | 'acquisition' | 'repeat' | 'mixed';
  readonly volumes: readonly VolumeDescriptor[];
  /** True when every volume of the set lies on the same grid (a proper 4D series). */
  readonly sameGrid: boolean;
}

export interface SplitSeriesOptions {
  readonly frames: readonly FrameRecord[];
  readonly geometry?: GeometryPolicy;
}

export interface SplitSeriesResult {
  readonly sets: readonly VolumeSetDescriptor[];
  readonly problems: readonly SeriesProblem[];
}

const round = (value: number, step: number): string => (Math.round(value / step) * step).toFixed(4);

function setKey(f: FrameRecord): string {
  const o = [...f.rowCosines, ...f.columnCosines].map((v) => round(v, 1e-3)).join(',');
  return [o, `${f.columns}x${f.rows}`, f.pixelSpacing.map((v) => round(v, 1e-3)).join(','), f.keys.imageType, f.keys.complexComponent ?? ''].join('|');
}

function positionKey(f: FrameRecord): string {
  return f.position.map((v) => round(v, 0.01)).join(',');
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group === undefined) groups.set(k, [item]);
    else group.push(item);
  }
  return groups;
}

function positionsUnique(frames: readonly FrameRecord[]): boolean {
  return new Set(frames.map(positionKey)).size === frames.length;
}

/** Orientation name from the slice normal's dominant LPS axis (obliquity above ~1° says oblique). */
export function orientationName(f: Pick<FrameRecord, 'rowCosines' | 'columnCosines'>): VolumeSetDescriptor['orientation'] {
  const [r, c] = [f.rowCosines, f.columnCosines];
  const n = [r[1] * c[2] - r[2] * c[1], r[2] * c[0] - r[0] * c[2], r[0] * c[1] - r[1] * c[0]].map(Math.abs);
  const max = Math.max(...n);
  if (max < 0.9998) return 'oblique';
  return n[0] === max ? 'sagittal' : n[1] === max ? 'coronal' : 'axial';
}

interface Dimension {
  readonly name: NonNullable<VolumeSetDescriptor['dimension']>;
  readonly value: (f: FrameRecord) => number | undefined;
  readonly label: (v: number) => string;
}

const ECHO: Dimension = {
  name: 'echo',
  value: (f) => f.keys.echoNumber ?? f.keys.echoTimeMs,
  label: (v) => `echo ${v}`,
};

/** Tried in order when positions repeat within an echo. */
const REPEATS: readonly Dimension[] = [
  { name: 'time', value: (f) => f.keys.temporalPosition, label: (v) => `t=${v}` },
  { name: 'trigger', value: (f) => f.keys.triggerTimeMs, label: (v) => `trigger ${v} ms` },
  { name: 'acquisition', value: (f) => f.keys.acquisitionNumber, label: (v) => `acquisition ${v}` },
];

interface Part {
  readonly frames: FrameRecord[];
  readonly labels: string[];
  readonly dimensions: Dimension['name'][];
  readonly warnings: string[];
}

function splitBy(part: Part, dim: Dimension): Part[] {
  const values = new Set(part.frames.map(dim.value));
  if (values.size <= 1) return [part];
  const groups = groupBy(part.frames, (f) => String(dim.value(f) ?? ''));
  return [...groups.entries()]
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([value, frames]) => ({
      frames,
      labels: [...part.labels, value === '' ? `${dim.name} ?` : dim.label(Number(value))],
      dimensions: [...part.dimensions, dim.name],
      warnings: part.warnings,
    }));
}

function splitRepeats(part: Part): Part[] {
  if (positionsUnique(part.frames)) return [part];
  for (const dim of REPEATS) {
    const parts = splitBy(part, dim);
    if (parts.length > 1 && parts.every((p) => positionsUnique(p.frames))) return parts;
  }
  // Equal repeats at every position: split in instance/frame order (dcm2niix does the same).
  const byPosition = groupBy(part.frames, positionKey);
  const counts = new Set([...byPosition.values()].map((g) => g.length));
  if (counts.size === 1) {
    const repeats = [...counts][0]!;
    const order = (f: FrameRecord): number => (f.keys.instanceNumber ?? 0) * 1e6 + f.frame;
    const sorted = [...byPosition.values()].map((g) => [...g].sort((a, b) => order(a) - order(b)));
    return Array.from({ length: repeats }, (_, r) => ({
      frames: sorted.map((g) => g[r]!),
      labels: [...part.labels, `repeat ${r + 1}`],
      dimensions: [...part.dimensions, 'repeat' as const],
      warnings: [...part.warnings, `positions repeat ${repeats}× with no temporal or acquisition key; split in instance-number order`],
    }));
  }
  return [part]; // computeStackGeometry reports the duplicate positions
}

function commonKeys(frames: readonly FrameRecord[]): FrameKeys {
  const first = frames[0]!.keys;
  const entries = Object.entries(first).filter(([k, v]) => frames.every((f) => (f.keys as unknown as Record<string, unknown>)[k] === v));
  return Object.fromEntries(entries) as unknown as FrameKeys;
}

function problemOf(error: unknown, fallbackFile: string): SeriesProblem {
  const e = asKeyholeError(error, 'INTERNAL', fallbackFile);
  return { code: e.code, message: e.message, ...(e.file !== undefined ? { file: e.file } : {}) };
}

/** Splits the frames of ONE series into volume sets (see the module comment for the rules). */
export function splitSeries(options: SplitSeriesOptions): SplitSeriesResult {
  const sets: VolumeSetDescriptor[] = [];
  const problems: SeriesProblem[] = [];
  for (const frames of groupBy(options.frames, setKey).values()) {
    const first = frames[0]!;
    const start: Part = { frames, labels: [], dimensions: [], warnings: [] };
    const parts = splitBy(start, ECHO).flatMap(splitRepeats);
    const volumes: VolumeDescriptor[] = [];
    for (const part of parts) {
      try {
        const geometry = computeStackGeometry({ ...options.geometry, slices: part.frames });
        volumes.push({
          label: part.labels.join(', '),
          seriesInstanceUid: first.seriesInstanceUid,
          keys: commonKeys(part.frames),
          geometry,
          units: first.valueMapping.units,
          warnings: [...part.warnings, ...geometry.warnings],
        });
      } catch (error) {
        if (!(error instanceof KeyholeError)) throw error;
        problems.push(problemOf(error, first.source));
      }
    }
    if (volumes.length === 0) continue;
    const dims = new Set(parts.flatMap((p) => p.dimensions));
    const g0 = volumes[0]!.geometry.grid;
    const sameGrid = volumes.every((v) => {
      const g = v.geometry.grid;
      return g.size.every((n, a) => n === g0.size[a]) && g.origin.every((x, a) => Math.abs(x - g0.origin[a]!) < 1e-3) && g.spacing.every((s, a) => Math.abs(s - g0.spacing[a]!) < 1e-4);
    });
    const orientation = orientationName(first);
    const typeLabel = [first.keys.imageType, first.keys.complexComponent?.toLowerCase()].filter((s) => s !== undefined && s !== '').join(' ');
    sets.push({
      label: `${typeLabel} ${orientation} ${first.columns}×${first.rows}`.trim(),
      orientation,
      ...(dims.size === 1 ? { dimension: [...dims][0]! } : dims.size > 1 ? { dimension: 'mixed' as const } : {}),
      volumes,
      sameGrid,
    });
  }
  return { sets, problems };
}
