import { add, scale as scaleVec, type Vec3 } from '../../geometry/vec3.ts';
import { buildLegend, type LabelName } from '../vocabulary.ts';
import { buildCanal, sacCentre, type CanalStation } from './canal.ts';
import { buildColumn, type DiscGeom, type VertebraGeom } from './column.ts';
import { buildDisc, type DiscBuild } from './disc.ts';
import { resolveOptions } from './options.ts';
import { createRng } from './prng.ts';
import { buildSacralRoots, buildVertebraRoots } from './roots.ts';
import { buildCoccyx, buildSacrum, sacralCanal, type SacrumBuild } from './sacrum.ts';
import { frameToWorld, unionBox } from './shapes.ts';
import { buildVertebra, type VertebraBuild } from './vertebra.ts';
import { buildLigamentaFlava } from './ligaments.ts';
import { buildSoftTissue } from './soft-tissue.ts';
import { buildPathology, stenosisAreaLoss } from './pathology.ts';
import { buildTransitionalFeatures } from './transitional.ts';
import { sacralInfo } from './sacral-info.ts';
import type { ClassifyResult, Landmark, PathologyRecord, RootInfo, SceneMorphometry, ScenePart, SpineScene, SpineSceneOptions } from './types.ts';

const SIZE_SCALE = { small: 0.92, medium: 1, large: 1.08 } as const;
const FAT_MM = { small: 12, medium: 20, large: 32 } as const;

/**
 * Builds the synthetic spine phantom: a deterministic (per seed) patient made of analytic solids in LPS
 * millimetres, with its exact truth (levels, endplates, discs, roots, landmarks, inserted pathology).
 * Pure: no I/O, no global state; the same options always give the same scene.
 */
export function buildSpineScene(options: SpineSceneOptions): SpineScene {
  const resolved = resolveOptions(options);
  const { sequence, fromIndex, toIndex } = resolved;
  const rng = createRng(resolved.seed);
  const bodyRng = rng.fork('body');
  const scale = SIZE_SCALE[resolved.bodySize] * (1 + bodyRng.uniform(-0.03, 0.03));
  const lordosisDeg = resolved.lordosisDeg ?? bodyRng.normal(36.8, 13.2, 25, 55); // supine T12–S1 [PMC6680033]
  const subcutaneousFatMm = resolved.subcutaneousFatMm ?? FAT_MM[resolved.bodySize] * (1 + bodyRng.uniform(-0.2, 0.2));
  const column = buildColumn({ sequence, scale, lordosisDeg, pathology: resolved.pathology, rng });

  const included = sequence.vertebrae.slice(fromIndex, toIndex + 1);
  const includedNames = included.map((v) => v.name);
  const mobile = included.filter((v) => v.name !== 'sacrum' && v.name !== 'coccyx').map((v) => column.vertebrae.get(v.name)!);
  const hasSacrum = includedNames.includes('sacrum');
  const hasCoccyx = includedNames.includes('coccyx');
  const discGeoms: DiscGeom[] = sequence.discs.filter((d) => includedNames.includes(d.upper) && includedNames.includes(d.lower)).map((d) => column.discs.get(d.name)!);
  const discBelow = (name: string): DiscGeom | undefined => column.discs.get(sequence.discs.find((d) => d.upper === name)?.name ?? '');
  const discAbove = (name: string): DiscGeom | undefined => column.discs.get(sequence.discs.find((d) => d.lower === name)?.name ?? '');
  const heightOf = (disc: DiscGeom | undefined): number => disc?.middleHeight ?? 8 * scale;

  const parts: ScenePart[] = [];
  const landmarks: Record<string, Landmark> = {};
  const mark = (name: string, point: Vec3, structure: LabelName): void => {
    landmarks[name] = { point, structure };
  };

  // --- bones and discs -------------------------------------------------------------------------
  const vertebraBuilds = new Map<string, VertebraBuild>();
  for (const geom of mobile) {
    const fracture = resolved.pathology.find((p) => p.kind === 'compression-fracture' && p.level === geom.slot.name);
    const acute = fracture !== undefined && fracture.kind === 'compression-fracture' && fracture.acute === true;
    const build = buildVertebra({
      geom,
      discAboveMm: heightOf(discAbove(geom.slot.name)),
      discBelowMm: heightOf(discBelow(geom.slot.name)),
      scale,
      bodyInterior: acute ? 'marrow_edema' : 'cancellous_bone',
    });
    vertebraBuilds.set(geom.slot.name, build);
    parts.push(...build.parts);
    const name = geom.slot.name as LabelName;
    mark(`${name}.centroid`, build.info.centroid, name);
    mark(`${name}.pedicle_left`, build.info.pedicles.left, name);
    mark(`${name}.pedicle_right`, build.info.pedicles.right, name);
    mark(`${name}.spinous_tip`, build.info.spinousTip, name);
    mark(`${name}.transverse_tip_left`, build.info.transverseTips.left, name);
    mark(`${name}.transverse_tip_right`, build.info.transverseTips.right, name);
    if (build.info.superiorArticularTips !== undefined) {
      mark(`${name}.superior_articular_left`, build.info.superiorArticularTips.left, name);
      mark(`${name}.superior_articular_right`, build.info.superiorArticularTips.right, name);
    }
  }
  const discBuilds = new Map<string, DiscBuild>();
  for (const geom of discGeoms) {
    const build = buildDisc(geom);
    discBuilds.set(geom.slot.name, build);
    parts.push(...build.parts);
    mark(`${geom.slot.name}.centre`, geom.frame.origin, geom.slot.name as LabelName);
    const upper = column.vertebrae.get(geom.slot.upper);
    // Only at healthy levels: a stenosis or herniation reshapes the triangle (planners measure it then).
    const pathologic = resolved.pathology.some((p) => p.level === geom.slot.name);
    if (upper?.slot.lumbarType === true && upper.slot.name.startsWith('L') && !pathologic) {
      // Kambin's triangle [MIS2017]: over the posterolateral disc, lateral to the dural sac and traversing root,
      // medial to the exiting root, in front of the superior articular process: a point of fat inside it.
      const cw = upper.dims.canalHalfWidth;
      for (const [side, s] of [['left', 1], ['right', -1]] as const) {
        mark(`kambin_${geom.slot.name}_${side}`, frameToWorld(geom.frame, s * (cw + 3 * scale), geom.depth / 2 + 1.8 * scale, -geom.middleHeight / 2 + 3 * scale), 'fat');
      }
    }
  }
  const lastMobile = sequence.vertebrae.filter((v) => v.name !== 'sacrum' && v.name !== 'coccyx').at(-1)!;
  const lumbosacralDisc = column.discs.get(sequence.discs.find((d) => d.lower === 'sacrum')!.name)!;
  let sacrumBuild: SacrumBuild | undefined;
  if (hasSacrum) {
    const last = column.vertebrae.get(lastMobile.name)!;
    const facetTip = (side: 1 | -1): Vec3 =>
      frameToWorld(last.frame, side * (last.dims.canalHalfWidth + last.dims.pedicleWidth / 2 + 3 * scale), last.dims.depth / 2 + last.dims.pedicleLength + 3 * scale, -last.normalHeight / 2 + 2 * scale);
    sacrumBuild = buildSacrum(column.sacrum, scale, { left: facetTip(1), right: facetTip(-1) });
    parts.push(...sacrumBuild.parts);
    mark('sacrum.centroid', column.sacrum[0]!.frame.origin, 'sacrum');
  }
  if (hasCoccyx) {
    parts.push(...buildCoccyx(column.coccyx));
    mark('coccyx.centroid', column.coccyx[0]!.frame.origin, 'coccyx');
  }
  if (resolved.sequence.transitional !== undefined && hasSacrum && includedNames.includes(lastMobile.name)) {
    const features = buildTransitionalFeatures({ vertebra: vertebraBuilds.get(lastMobile.name)!, geom: column.vertebrae.get(lastMobile.name)!, sacrum: sacrumBuild!, scale });
    parts.push(...features.parts);
    Object.assign(landmarks, features.landmarks);
  }

  // --- canal -----------------------------------------------------------------------------------
  const stations: CanalStation[] = [];
  const vertebraStation = (geom: VertebraGeom): CanalStation => {
    const { dims } = geom;
    const lumbar = geom.slot.lumbarType;
    return {
      frame: geom.frame,
      wallV: dims.depth / 2,
      canalHalfWidth: dims.canalHalfWidth,
      canalDepth: dims.canalDepth,
      sacLateral: dims.canalHalfWidth - (lumbar ? 3 : 2.5) * scale,
      sacAp: dims.canalDepth / 2 - 2.5 * scale,
      name: geom.slot.name,
    };
  };
  const discStation = (disc: DiscGeom, upper: CanalStation, lower: CanalStation): CanalStation => {
    const loss = stenosisAreaLoss(resolved.pathology, disc.slot.name);
    const keep = Math.sqrt(1 - loss);
    const sacLateral = ((upper.sacLateral + lower.sacLateral) / 2) * keep;
    const sacAp = ((upper.sacAp + lower.sacAp) / 2) * keep;
    return {
      frame: disc.frame,
      wallV: disc.depth / 2 + 0.8,
      canalHalfWidth: (upper.canalHalfWidth + lower.canalHalfWidth) / 2,
      canalDepth: (upper.canalDepth + lower.canalDepth) / 2 - 0.8,
      sacLateral,
      sacAp,
      name: disc.slot.name,
    };
  };
  const sacralStations: CanalStation[] = column.sacrum.map((segment, index) => {
    const canal = sacralCanal(index, scale);
    // The dural sac ends at S2 (its tapered tip); below it the sacral canal holds only fat and roots.
    const segmentName = segment.name;
    const sacAp = segmentName === 'S1' ? canal.depth / 2 - 1.5 * scale : segmentName === 'S2' ? 1.5 * scale : 0;
    const sacLateral = segmentName === 'S1' ? 0.6 * canal.halfWidth : segmentName === 'S2' ? 1.5 * scale : 0;
    return { frame: segment.frame, wallV: segment.depth / 2, canalHalfWidth: canal.halfWidth, canalDepth: canal.depth, sacLateral, sacAp, name: segmentName };
  });
  for (let i = 0; i < mobile.length; i++) {
    const station = vertebraStation(mobile[i]!);
    const disc = i > 0 ? discBelow(mobile[i - 1]!.slot.name) : undefined; // none between C1 and C2
    if (disc !== undefined) stations.push(discStation(disc, stations[stations.length - 1]!, station));
    stations.push(station);
  }
  if (hasSacrum) {
    const top = sacralStations[0]!;
    if (stations.length > 0) stations.push(discStation(lumbosacralDisc, stations[stations.length - 1]!, top));
    stations.push(...sacralStations.slice(0, hasCoccyx ? sacralStations.length : 4));
  }
  const l1 = column.vertebrae.get('L1')!;
  const l2 = column.vertebrae.get('L2')!;
  const conusT = rng.fork('conus').uniform(0.3, 0.75); // tip usually at L1–L2
  const conusTipPoint = add(scaleVec(sacCentre(vertebraStation(l1)), 1 - conusT), scaleVec(sacCentre(vertebraStation(l2)), conusT));
  const l2Index = sequence.vertebrae.findIndex((v) => v.name === 'L2');
  const includeCord = fromIndex < l2Index;
  const canal = stations.length >= 2
    ? buildCanal({
        stations,
        cranialExtensionMm: 40 * scale,
        conusTip: includeCord && toIndex >= l2Index ? conusTipPoint : undefined,
        scale,
        includeCord,
      })
    : undefined;
  if (canal !== undefined) {
    parts.push(...canal.parts);
    if (includeCord && toIndex >= l2Index) mark('conus.tip', conusTipPoint, 'conus');
    for (const station of stations) {
      if (station.sacAp > 2 * scale && /-/.test(station.name) && stenosisAreaLoss(resolved.pathology, station.name) === 0) {
        mark(`dural_sac.${station.name}`, add(sacCentre(station), scaleVec(station.frame.ey, -0.75 * station.sacAp)), 'dural_sac');
      }
    }
  }

  // --- roots and ligaments ---------------------------------------------------------------------
  const roots: RootInfo[] = [];
  for (const geom of mobile) {
    const below = discBelow(geom.slot.name);
    const lowerName = sequence.discs.find((d) => d.upper === geom.slot.name)?.lower;
    if (below === undefined || lowerName === undefined || !includedNames.includes(lowerName)) continue;
    // Roots leave the sac at the level of the disc above, from its anterolateral part (they then run in the
    // lateral recess right behind the disc, where subarticular herniations meet them), narrowed there by a stenosis.
    const above = discAbove(geom.slot.name);
    const own = stations.find((s) => s.name === geom.slot.name)!;
    const takeoffStation = stations.find((s) => s.name === above?.slot.name);
    const takeoff = (side: 1 | -1): Vec3 =>
      takeoffStation !== undefined
        ? frameToWorld(takeoffStation.frame, side * 0.6 * takeoffStation.sacLateral, takeoffStation.wallV + 1.2 + 0.6 * takeoffStation.sacAp, 0)
        : frameToWorld(own.frame, side * 0.5 * own.sacLateral, own.wallV + 1.2 + own.sacAp, geom.normalHeight / 2 + heightOf(above) / 2);
    const build = buildVertebraRoots({
      geom,
      local: vertebraBuilds.get(geom.slot.name)!.local,
      takeoff: { left: takeoff(1), right: takeoff(-1) },
      discBelowMm: below.middleHeight,
      foramen: below.slot.name,
      scale,
    });
    parts.push(...build.parts);
    roots.push(...build.infos);
  }
  if (hasSacrum) {
    const top = sacralStations[0]!;
    const discStationAbove = stations.find((s) => s.name === lumbosacralDisc.slot.name) ?? top;
    const takeoff = (side: 1 | -1): Vec3 =>
      frameToWorld(discStationAbove.frame, side * 0.5 * discStationAbove.sacLateral, discStationAbove.wallV + 1.2 + discStationAbove.sacAp, discStationAbove === top ? column.sacrum[0]!.height / 2 + lumbosacralDisc.middleHeight / 2 : 0);
    const build = buildSacralRoots({
      segment: column.sacrum[0]!,
      nerve: sequence.vertebrae.some((v) => v.name === 'S1') ? 'S2' : 'S1',
      takeoff: { left: takeoff(1), right: takeoff(-1) },
      canalHalfWidth: top.canalHalfWidth,
      scale,
    });
    parts.push(...build.parts);
    roots.push(...build.infos);
  }
  for (const root of roots) {
    mark(`${root.name}.ganglion`, root.ganglionCentre, `drg_${root.nerve}_${root.side}` as LabelName);
    if (root.pedicleOf !== 'sacrum') mark(`${root.name}.under_pedicle`, root.path[2]!, root.name as LabelName);
    else mark(`${root.name}.sacral_canal`, root.path[1]!, root.name as LabelName);
  }
  parts.push(...buildLigamentaFlava({ discs: discGeoms.filter((d) => vertebraBuilds.has(d.slot.upper)), vertebrae: column.vertebrae, pathology: resolved.pathology, scale }));

  // --- pathology --------------------------------------------------------------------------------
  const pathologyBuild = buildPathology({ resolved, column, discBuilds, vertebraBuilds, stations, roots, scale, rng });
  parts.push(...pathologyBuild.parts);
  for (const [name, landmark] of Object.entries(pathologyBuild.landmarks)) landmarks[name] = landmark;
  const pathology: PathologyRecord[] = pathologyBuild.records;

  // --- soft tissue, vessels, organs, pelvis, ribs ----------------------------------------------
  const soft = buildSoftTissue({
    column,
    mobile,
    hasSacrum,
    hasCoccyx,
    vertebraBuilds,
    sacrum: sacrumBuild,
    subcutaneousFatMm,
    scale,
    iliacCrestHeight: resolved.iliacCrestHeight,
    sequence,
    rng: rng.fork('soft'),
  });
  parts.push(...soft.parts);
  for (const [name, landmark] of Object.entries(soft.landmarks)) landmarks[name] = landmark;

  // Stable sort: ascending priority, insertion order within a priority (later wins).
  const ordered = parts.map((p, index) => ({ p, index })).sort((a, b) => a.p.priority - b.p.priority || a.index - b.index).map((e) => e.p);
  const legend = buildLegend([0, ...ordered.map((p) => p.label)]);
  const bounds = soft.bodyBox ?? unionBox(ordered.map((p) => p.shape.box));
  const partAt = (point: Vec3): ScenePart | undefined => {
    const [x, y, z] = point;
    for (let i = ordered.length - 1; i >= 0; i--) {
      const candidate = ordered[i]!;
      if (candidate.shape.contains(x, y, z)) return candidate;
    }
    return undefined;
  };
  const classify = (point: Vec3): ClassifyResult => {
    const hit = partAt(point);
    return hit === undefined ? { label: 0, tissue: 'air' } : { label: hit.label, tissue: hit.tissue };
  };
  // Levels a pathology reshapes: fractured vertebrae and their discs, slipped segments, discs with findings.
  const pathologicVertebrae = new Set<string>();
  const pathologicDiscs = new Set<string>();
  for (const item of resolved.pathology) {
    if (item.kind === 'compression-fracture') {
      pathologicVertebrae.add(item.level);
      for (const d of sequence.discs) if (d.upper === item.level || d.lower === item.level) pathologicDiscs.add(d.name);
    } else {
      pathologicDiscs.add(item.level);
      if (item.kind === 'spondylolisthesis') {
        const d = sequence.discs.find((x) => x.name === item.level)!;
        pathologicVertebrae.add(d.upper).add(d.lower);
      }
    }
  }
  const rootsByName = new Map(roots.map((r) => [r.name, r]));
  const affected = (name: string): boolean => {
    const head = name.split('.')[0]!;
    const root = rootsByName.get(head);
    if (root !== undefined) return pathologicVertebrae.has(root.pedicleOf) || pathologicDiscs.has(root.foramen);
    if (pathologicVertebrae.has(head)) return true;
    return [...pathologicDiscs].some((d) => name.includes(`${d}.`) || name.includes(`_${d}_`) || name.endsWith(`.${d}`));
  };
  settleLandmarks(landmarks, partAt, new Set(pathologyBuild.parts), affected);
  const morphometry: SceneMorphometry = {
    scale,
    lordosisDeg: column.lordosisDeg,
    sacralSlopeDeg: column.sacralSlopeDeg,
    subcutaneousFatMm,
    iliacCrestOffsetMm: soft.iliacCrestOffsetMm,
  };
  const transitional = sequence.transitional;
  return {
    seed: resolved.seed,
    legend,
    levels: {
      vertebrae: includedNames,
      discs: discGeoms.map((d) => d.slot.name),
      lumbarTypeCount: sequence.lumbarTypeCount,
      thoracicCount: sequence.thoracicCount,
      ...(transitional !== undefined ? { transitional } : {}),
    },
    vertebrae: [
      ...mobile.map((g) => vertebraBuilds.get(g.slot.name)!.info),
      ...(hasSacrum ? [sacralInfo(column, 'sacrum', scale)] : []),
      ...(hasCoccyx ? [sacralInfo(column, 'coccyx', scale)] : []),
    ],
    discs: discGeoms.map((d) => discBuilds.get(d.slot.name)!.info),
    roots,
    canal: canal?.centreline ?? [],
    landmarks,
    pathology,
    morphometry,
    bounds,
    parts: ordered,
    classify,
  };
}

/**
 * Landmarks after pathology: a normal-anatomy landmark that a pathological structure now covers (a root
 * under a fragment, the sac behind a central herniation), or that no longer lies in its structure at a level
 * a pathology reshaped (a fractured or slipped segment), is dropped — it no longer marks its structure; a
 * fragment's landmark whose geometric centre lies under bone moves to the nearest point of the fragment
 * that is visible (the record keeps the geometric centre).
 */
function settleLandmarks(
  landmarks: Record<string, Landmark>,
  partAt: (point: Vec3) => ScenePart | undefined,
  pathologyParts: ReadonlySet<ScenePart>,
  atPathologicLevel: (landmark: string) => boolean,
): void {
  for (const [name, landmark] of Object.entries(landmarks)) {
    const hit = partAt(landmark.point);
    if (hit?.structure === landmark.structure) continue;
    if (landmark.structure.startsWith('herniation_')) {
      let best: Vec3 | undefined;
      let bestDistance = Infinity;
      for (let dx = -8; dx <= 8; dx += 0.5) for (let dy = -8; dy <= 8; dy += 0.5) for (let dz = -8; dz <= 8; dz += 0.5) {
        const d = dx * dx + dy * dy + dz * dz;
        if (d >= bestDistance) continue;
        const p: Vec3 = [landmark.point[0] + dx, landmark.point[1] + dy, landmark.point[2] + dz];
        if (partAt(p)?.structure === landmark.structure) {
          best = p;
          bestDistance = d;
        }
      }
      if (best !== undefined) landmarks[name] = { ...landmark, point: best };
      else delete landmarks[name];
    } else if ((hit !== undefined && pathologyParts.has(hit)) || atPathologicLevel(name)) {
      delete landmarks[name];
    }
  }
}
