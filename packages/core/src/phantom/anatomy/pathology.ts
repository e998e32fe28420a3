import { add, dot, normalize, scale as scaleVec, sub, type Vec3 } from '../../geometry/vec3.ts';
import { LABELS, type LabelName, type Side } from '../vocabulary.ts';
import type { CanalStation } from './canal.ts';
import { canalCentre, sacCentre } from './canal.ts';
import type { ColumnGeom, DiscGeom } from './column.ts';
import type { DiscBuild } from './disc.ts';
import type { ResolvedOptions } from './options.ts';
import { PRIORITY, part } from './part.ts';
import type { Rng } from './prng.ts';
import { nerveBelowPedicle } from './roots.ts';
import { Clipped, Difference, Superellipsoid, Translated, Tube, Union, frameToWorld, planeThrough, type Frame, type Plane, type Shape } from './shapes.ts';
import type { VertebraBuild } from './vertebra.ts';
import { genantTruth, pedicleEdgesAtWall, shapeCentroid, zoneOfMaterial } from './pathology-truth.ts';
import type { Landmark, PathologyOption, PathologyRecord, RootInfo, ScenePart } from './types.ts';

/**
 * Fraction of the dural-sac area removed at a central stenosis: the middle of each Lurie third
 * [Radiopaedia-LSS] (mild ≤ 1/3 → 0.2, moderate 1/3–2/3 → 0.5, severe > 2/3 → 0.8); 0 elsewhere.
 */
export function stenosisAreaLoss(pathology: readonly PathologyOption[], disc: string): number {
  const item = pathology.find((p) => p.kind === 'central-stenosis' && p.level === disc);
  if (item === undefined || item.kind !== 'central-stenosis') return 0;
  return { mild: 0.2, moderate: 0.5, severe: 0.8 }[item.grade];
}

/** Meyerding grade with grade I from 0% (clinical reference §10 leaves the boundary open; chosen here and documented). */
export function meyerdingGrade(slipPercent: number): 'I' | 'II' | 'III' | 'IV' | 'V' {
  if (slipPercent <= 25) return 'I';
  if (slipPercent <= 50) return 'II';
  if (slipPercent <= 75) return 'III';
  if (slipPercent <= 100) return 'IV';
  return 'V';
}

export interface PathologyBuildOptions {
  readonly resolved: ResolvedOptions;
  readonly column: ColumnGeom;
  readonly discBuilds: ReadonlyMap<string, DiscBuild>;
  readonly vertebraBuilds: ReadonlyMap<string, VertebraBuild>;
  readonly stations: readonly CanalStation[];
  readonly roots: readonly RootInfo[];
  readonly scale: number;
  readonly rng: Rng;
}

export interface PathologyBuild {
  readonly parts: ScenePart[];
  readonly records: PathologyRecord[];
  readonly landmarks: Record<string, Landmark>;
}

/** Point and outward normal (u, v) on the disc outline where its lateral offset is `targetU` (≥ 0), posterior half. */
function outlinePoint(geom: DiscGeom, targetU: number): { u: number; v: number; nu: number; nv: number } {
  const a = geom.width / 2 + 0.8;
  const b = 0.55 * geom.depth + 0.8;
  const v0 = 0.05 * geom.depth;
  const p = 2.4;
  const flat = geom.depth / 2 + 0.8;
  const at = (theta: number) => {
    const s = Math.sin(theta), c = Math.cos(theta);
    const k = Math.pow(Math.pow(Math.abs(s), p) + Math.pow(Math.abs(c), p), -1 / p);
    return { u: a * s * k, v: Math.min(flat, v0 + b * c * k), s, c };
  };
  let lo = 0, hi = (80 * Math.PI) / 180;
  if (at(hi).u <= targetU) lo = hi;
  for (let i = 0; i < 50 && hi - lo > 1e-6; i++) {
    const mid = (lo + hi) / 2;
    if (at(mid).u < targetU) lo = mid;
    else hi = mid;
  }
  const point = at(lo);
  const onFlat = point.v >= flat - 1e-9;
  const n = onFlat ? [0, 1] : [point.s / a, point.c / b];
  const len = Math.hypot(n[0]!, n[1]!);
  return { u: point.u, v: point.v, nu: n[0]! / len, nv: n[1]! / len };
}

function ellipsoidAt(frame: Frame, centre: Vec3, axisU: Vec3, radii: Vec3): Superellipsoid {
  const ez = frame.ez;
  const ex = normalize(axisU);
  const ey: Vec3 = [ez[1] * ex[2] - ez[2] * ex[1], ez[2] * ex[0] - ez[0] * ex[2], ez[0] * ex[1] - ez[1] * ex[0]];
  return new Superellipsoid({ origin: centre, ex, ey, ez }, radii);
}

/**
 * What narrows the canal around a moderate or severe central stenosis: a broad posterior disc bulge in front
 * of the sac and, when severe, hypertrophic ligamentum flavum and facets behind it, so that no epidural fat is
 * left (Schizas C/D-like [Ars]). Painted under the dural sac: the sac's outline stays the truth of its area.
 */
function stenosisFill(options: { disc: DiscGeom; stations: readonly CanalStation[]; severe: boolean }): ScenePart[] {
  const { disc, stations, severe } = options;
  const canal = new Tube(stations.map((st) => ({ point: canalCentre(st), ra: st.canalHalfWidth, rb: st.canalDepth / 2 })));
  const n = disc.frame.ez;
  const reach = disc.middleHeight / 2 + 3;
  const slab: Plane[] = [planeThrough(add(disc.frame.origin, scaleVec(n, reach)), n), planeThrough(add(disc.frame.origin, scaleVec(n, -reach)), scaleVec(n, -1))];
  const middle = stations[1]!;
  const sacMid = sacCentre(middle);
  const back = disc.frame.ey;
  const parts = [part(disc.slot.name as LabelName, 'annulus', PRIORITY.ligament, new Clipped(canal, [...slab, planeThrough(sacMid, back)]))];
  if (severe) parts.push(part('ligamentum_flavum', 'ligament', PRIORITY.ligament, new Clipped(canal, [...slab, planeThrough(sacMid, scaleVec(back, -1))])));
  return parts;
}

/** Smallest distance (mm) from the fragment to the root's surface (≤ 0: touching or pressing into it), sampled every 0.5 mm. */
function gapToRoot(shape: Shape, root: RootInfo): { gap: number; fragmentPoint: Vec3; rootPoint: Vec3 } {
  const { min, max } = shape.box;
  let best = { gap: Infinity, fragmentPoint: min as Vec3, rootPoint: root.path[0]! };
  for (let x = min[0]; x <= max[0]; x += 0.5) for (let y = min[1]; y <= max[1]; y += 0.5) for (let z = min[2]; z <= max[2]; z += 0.5) {
    if (!shape.contains(x, y, z)) continue;
    for (let i = 0; i + 1 < root.path.length; i++) {
      const a = root.path[i]!, b = root.path[i + 1]!;
      const ab = sub(b, a);
      const t = Math.max(0, Math.min(1, ((x - a[0]) * ab[0] + (y - a[1]) * ab[1] + (z - a[2]) * ab[2]) / (ab[0] * ab[0] + ab[1] * ab[1] + ab[2] * ab[2])));
      const q: Vec3 = [a[0] + t * ab[0], a[1] + t * ab[1], a[2] + t * ab[2]];
      const gap = Math.hypot(x - q[0], y - q[1], z - q[2]) - root.radiusMm;
      if (gap < best.gap) best = { gap, fragmentPoint: [x, y, z], rootPoint: q };
    }
  }
  return best;
}

/** Disc herniations, foraminal stenoses and the truth records of every inserted pathology. */
export function buildPathology(options: PathologyBuildOptions): PathologyBuild {
  const { resolved, column, discBuilds, vertebraBuilds, stations, scale } = options;
  const parts: ScenePart[] = [];
  const records: PathologyRecord[] = [];
  const landmarks: Record<string, Landmark> = {};
  const lumbarizedS1 = resolved.sequence.vertebrae.some((v) => v.name === 'S1');
  const traversingNerve = (lower: string): string => (lower === 'sacrum' ? (lumbarizedS1 ? 'S2' : 'S1') : nerveBelowPedicle(lower) ?? lower);

  for (const item of resolved.pathology) {
    switch (item.kind) {
      case 'disc-herniation': {
        const geom = column.discs.get(item.level)!;
        const build = discBuilds.get(item.level)!;
        const upper = column.vertebrae.get(geom.slot.upper)!;
        const side: Side | 'midline' = item.zone === 'central' ? 'midline' : item.side!;
        const s = side === 'right' ? -1 : 1;
        const cw = upper.dims.canalHalfWidth;
        const pedicleU = upper.dims.canalHalfWidth + upper.dims.pedicleWidth / 2;
        // Zones by the upper vertebra's canal and pedicles [Radiopaedia-Nom]: the foraminal position sits in the
        // lateral part of the foramen, where the exiting root's ganglion lies.
        const targetU = { central: 0, subarticular: 0.6 * cw, foraminal: pedicleU + 0.3 * upper.dims.pedicleWidth, extraforaminal: pedicleU + upper.dims.pedicleWidth / 2 + 4 * scale }[item.zone];
        const edge = outlinePoint(geom, targetU);
        const h = geom.middleHeight;
        const size = (item.sizeMm ?? (item.type === 'protrusion' ? 8 : 11)) * scale;
        const frame = geom.frame;
        const local = (u: number, v: number, w: number): Vec3 => frameToWorld(frame, s * u, v, w);
        const base = local(edge.u, edge.v, 0);
        const normal = normalize(add(scaleVec(frame.ex, s * edge.nu), scaleVec(frame.ey, edge.nv)));
        const tangent = normalize([frame.ez[1] * normal[2] - frame.ez[2] * normal[1], frame.ez[2] * normal[0] - frame.ez[0] * normal[2], frame.ez[0] * normal[1] - frame.ez[1] * normal[0]]);
        // Foraminal material reaches up into the foramen under the pedicle, where the exiting root runs.
        const lift = item.zone === 'foraminal' ? 0.4 * h : item.zone === 'extraforaminal' ? 0.25 * h : 0;
        let shape: Shape;
        let centre: Vec3;
        let sizeMm: { lateral: number; ap: number; craniocaudal: number };
        let baseWidth: number;
        const structure = `herniation_${item.level}` as LabelName;
        if (item.type === 'protrusion') {
          // Fardon: the displaced material is narrower than its base in every plane.
          const depth = 0.45 * size;
          const cc = Math.min(0.9 * h, 0.8 * size);
          const origin = add(base, scaleVec(frame.ez, lift));
          shape = new Difference(ellipsoidAt(frame, origin, tangent, [size / 2, depth, cc / 2]), build.outline);
          centre = add(origin, scaleVec(normal, depth / 2));
          sizeMm = { lateral: size, ap: depth, craniocaudal: cc };
          baseWidth = size;
        } else {
          // Extrusion: wider than its neck (or with no continuity: sequestration), possibly migrated.
          const radii: Vec3 = [size / 2, 0.4 * size, 0.45 * size];
          const posteriorHeight = build.info.posteriorHeightMm;
          const direction = item.migration === undefined ? 0 : item.migration.direction === 'up' ? 1 : -1;
          // High grade: beyond the posterior disc height from the endplate [Lee2006]; low grade: within it.
          const far = item.migration === undefined ? 0 : item.migration.grade === 'high' ? 1.6 * posteriorHeight : 0.6 * posteriorHeight;
          const shift = direction === 0 ? 0 : h / 2 + far - radii[2];
          const gap = item.type === 'sequestration' ? 2.5 * scale : 0;
          const bodyCentre = add(add(base, scaleVec(normal, radii[1] + gap + 0.5)), scaleVec(frame.ez, direction * Math.max(0, shift) + lift));
          const body = ellipsoidAt(frame, bodyCentre, tangent, radii);
          const neckRadius = 0.25 * size;
          const pieces: Shape[] = [body];
          if (item.type === 'extrusion') {
            const neckStart = add(base, scaleVec(normal, -1));
            pieces.push(new Tube([{ point: add(neckStart, scaleVec(frame.ez, lift)), ra: neckRadius, rb: neckRadius }, { point: bodyCentre, ra: neckRadius, rb: neckRadius }]));
          }
          shape = new Difference(pieces.length === 1 ? body : new Union(pieces), build.outline);
          centre = bodyCentre;
          sizeMm = { lateral: size, ap: 2 * radii[1], craniocaudal: 2 * radii[2] + Math.abs(direction * Math.max(0, shift)) };
          baseWidth = item.type === 'extrusion' ? 2 * neckRadius : 0;
        }
        const affectedRoot =
          geom.slot.upper.startsWith('C') && item.zone !== 'central'
            ? `root_${nerveBelowPedicle(geom.slot.upper)}_${side}`
            : item.zone === 'central'
              ? 'cauda_equina'
              : item.zone === 'subarticular'
                ? `root_${traversingNerve(geom.slot.lower)}_${side}`
                : `root_${nerveBelowPedicle(geom.slot.upper) ?? geom.slot.upper}_${side}`;
        // Free (extruded or sequestered) material is moved, if needed, until it meets the root it compresses
        // (Pfirrmann 2004 root grades start at contact); a protrusion stays on its disc and may fall short.
        const root = options.roots.find((r) => r.name === affectedRoot);
        let rootGapMm: number | null = null;
        if (root !== undefined) {
          let gap = gapToRoot(shape, root);
          if (item.type !== 'protrusion' && gap.gap > -0.5 && gap.gap < 8) {
            const move = scaleVec(normalize(sub(gap.rootPoint, gap.fragmentPoint)), gap.gap + 1);
            shape = new Translated(shape, move);
            centre = add(centre, move);
            gap = gapToRoot(shape, root);
          }
          rootGapMm = gap.gap;
        }
        parts.push(part(structure, 'disc_fragment', PRIORITY.fragment, shape));
        landmarks[`${structure}.centre`] = { point: centre, structure };
        // The truth's zone is where the material lies once placed (moved fragments included), by the zones' rule
        // [Radiopaedia-Nom] against the generated pedicle's edges; the generator's aim is kept as `aimedZone`.
        const upperLocal = vertebraBuilds.get(geom.slot.upper)?.local;
        const material = shapeCentroid(shape, 0.25);
        let zone = item.zone;
        let zoneGeometry: { materialOffsetMm: number; pedicleMedialMm: number; pedicleLateralMm: number } | null = null;
        if (upperLocal !== undefined && material !== undefined) {
          const edges = pedicleEdgesAtWall({ vertebra: upper, local: upperLocal, scale, disc: frame, sign: s as 1 | -1 });
          const materialOffsetMm = s * dot(sub(material.centroid, frame.origin), frame.ex);
          zone = zoneOfMaterial(materialOffsetMm, edges, item.zone);
          zoneGeometry = { materialOffsetMm, pedicleMedialMm: edges.medialMm, pedicleLateralMm: edges.lateralMm };
        }
        records.push({
          kind: 'disc-herniation',
          label: LABELS[structure],
          structure,
          level: item.level,
          zone,
          aimedZone: item.zone,
          zoneGeometry,
          side,
          type: item.type,
          migration: item.migration ?? null,
          centre,
          sizeMm,
          baseWidthMm: baseWidth,
          affectedRoot,
          rootGapMm,
        });
        break;
      }
      case 'central-stenosis': {
        const index = stations.findIndex((st) => st.name === item.level);
        const station = stations[index];
        const geom = column.discs.get(item.level)!;
        const loss = stenosisAreaLoss(resolved.pathology, item.level);
        const stenotic = station !== undefined ? Math.PI * station.sacLateral * station.sacAp : 0;
        records.push({
          kind: 'central-stenosis',
          level: item.level,
          grade: item.grade,
          areaLossFraction: loss,
          duralSacAreaMm2: { normal: stenotic / (1 - loss), stenotic },
          centre: station !== undefined ? sacCentre(station) : geom.frame.origin,
        });
        const above = stations[index - 1], below = stations[index + 1];
        if (station !== undefined && above !== undefined && below !== undefined && item.grade !== 'mild') {
          parts.push(...stenosisFill({ disc: geom, stations: [above, station, below], severe: item.grade === 'severe' }));
        }
        break;
      }
      case 'foraminal-stenosis': {
        const geom = column.discs.get(item.level)!;
        const upper = vertebraBuilds.get(geom.slot.upper);
        const nerve = nerveBelowPedicle(geom.slot.upper) ?? geom.slot.upper;
        const rootName = `root_${nerve}_${item.side}`;
        const upperGeom = column.vertebrae.get(geom.slot.upper)!;
        if (upper === undefined) break;
        const drgRadius = upperGeom.slot.lumbarType ? 3 * scale : 2 * scale;
        const s = item.side === 'left' ? 1 : -1;
        const dims = upperGeom.dims;
        const pedBottom = upper.local.pedicleW - dims.pedicleHeight / 2;
        const rr = (upperGeom.slot.lumbarType ? 2.5 : 1.6) * scale;
        const drg = frameToWorld(upperGeom.frame, s * (upper.local.pedicleU + dims.pedicleWidth / 2 + 2.5 * scale), dims.depth / 2 + 0.5 + rr, pedBottom - rr - 2 * scale);
        // Lee sagittal grades [Lee2010-AJR]: 1 perineural fat lost in two opposite directions (front and back),
        // 2 in all four, 3 root deformed. Fat is replaced by bone (facet osteophyte) behind, disc in front,
        // ligament above and below; grade 3 presses 1 mm into the ganglion.
        const gap = item.grade === 3 ? -1 : 0.4;
        const r = 3 * scale;
        const f = upperGeom.frame;
        const offset = drgRadius + gap + r;
        const lowerLabel = (geom.slot.lower === 'sacrum' ? 'sacrum' : geom.slot.lower) as LabelName;
        parts.push(part(lowerLabel, 'cortical_bone', PRIORITY.cortical, new Superellipsoid({ ...f, origin: add(drg, scaleVec(f.ey, offset)) }, [5 * scale, r, 5 * scale])));
        parts.push(part(geom.slot.name as LabelName, 'annulus', PRIORITY.annulus, new Superellipsoid({ ...f, origin: add(drg, scaleVec(f.ey, -offset)) }, [5 * scale, r, 5 * scale])));
        if (item.grade >= 2) {
          for (const dir of [1, -1]) {
            parts.push(part('ligamentum_flavum', 'ligament', PRIORITY.ligament, new Superellipsoid({ ...f, origin: add(drg, scaleVec(f.ez, dir * offset)) }, [5 * scale, 5 * scale, r])));
          }
        }
        records.push({ kind: 'foraminal-stenosis', level: item.level, side: item.side, grade: item.grade, root: rootName, centre: drg });
        break;
      }
      case 'spondylolisthesis': {
        const slip = column.slips.find((sl) => sl.disc === item.level)!;
        records.push({ kind: 'spondylolisthesis', level: item.level, slipPercent: item.slipPercent, translationMm: slip.translationMm, meyerding: meyerdingGrade(item.slipPercent) });
        break;
      }
      case 'compression-fracture': {
        const geom = column.vertebrae.get(item.level)!;
        const fractured = new Set(resolved.pathology.flatMap((p) => (p.kind === 'compression-fracture' ? [p.level] : [])));
        const order = resolved.sequence.vertebrae.map((v) => v.name);
        records.push({
          kind: 'compression-fracture',
          level: item.level,
          heightLossPercent: item.heightLossPercent,
          genant: genantTruth({ level: item.level, column, order, fractured }),
          shape: item.shape ?? 'wedge',
          acute: item.acute ?? false,
          anteriorHeightMm: geom.anteriorHeight,
          posteriorHeightMm: geom.posteriorHeight,
          normalHeightMm: geom.normalHeight,
        });
        break;
      }
    }
  }
  return { parts, records, landmarks };
}
