import type { Vec3 } from '../../../geometry/vec3.ts';
import { createVolume } from '../../../volume/volume.ts';
import type { RasterizeSceneOptions, RasterizeSceneResult, SpineScene, SpineSceneOptions } from '../../anatomy/types.ts';
import type { AnatomyEngine } from '../generate-study.ts';
import { TISSUE_CODES, type Tissue } from '../../tissue.ts';
import { LABELS, type LabelName } from '../../vocabulary.ts';

/**
 * Test support: a tiny analytic lumbar spine (L3–L5 on a sacrum block), independent of the real
 * anatomy, so that the imaging and DICOM tests stay small and fast and do not depend on another
 * engineer's work in progress. Vertebral bodies are cylinders (cancellous core, 2 mm cortical
 * shell) stacked along z with tilted discs between them (nucleus in annulus), a CSF canal
 * with a neural core behind them, muscle around, fat under the skin, and a kidney on the left.
 */
const BODY_RADIUS = 22;
const BODY_HEIGHT = 26;
const DISC_HEIGHT = 10;
const CANAL_Y = 30;
const VERTEBRAE = ['L3', 'L4', 'L5'] as const;

interface StandInVertebra {
  readonly name: (typeof VERTEBRAE)[number];
  readonly centre: Vec3;
}

const vertebrae: StandInVertebra[] = VERTEBRAE.map((name, n) => ({ name, centre: [0, 0, 40 - n * (BODY_HEIGHT + DISC_HEIGHT)] }));
const discTilt = [-0.12, 0.0, 0.15]; // radians about x: lordosis makes each disc face a different way

interface StandInDisc {
  readonly name: LabelName;
  readonly upper: string;
  readonly lower: string;
  readonly centre: Vec3;
  readonly normal: Vec3;
  readonly posterior: Vec3;
}

const discs: StandInDisc[] = vertebrae.map((v, n) => {
  const lower = n + 1 < vertebrae.length ? vertebrae[n + 1]!.name : 'sacrum';
  const tilt = discTilt[n]!;
  return {
    name: `${v.name}-${lower === 'sacrum' ? 'S1' : lower}` as LabelName,
    upper: v.name,
    lower,
    centre: [0, 0, v.centre[2] - (BODY_HEIGHT + DISC_HEIGHT) / 2] as Vec3,
    normal: [0, -Math.sin(tilt), Math.cos(tilt)] as Vec3,
    posterior: [0, Math.cos(tilt), Math.sin(tilt)] as Vec3,
  };
});

function classify(p: Vec3): { label: number; tissue: Tissue } {
  const [x, y, z] = p;
  const at = (label: LabelName, tissue: Tissue): { label: number; tissue: Tissue } => ({ label: LABELS[label], tissue });
  const outside = (x / 150) ** 2 + ((y - 20) / 110) ** 2 > 1 || z > 80 || z < -130;
  if (outside) return at('background', 'air');
  if ((x / 150) ** 2 + ((y - 20) / 110) ** 2 > (1 - 2 / 110) ** 2) return at('skin', 'skin');
  for (const disc of discs) {
    const d: Vec3 = [x - disc.centre[0], y - disc.centre[1], z - disc.centre[2]];
    const along = d[0] * disc.normal[0] + d[1] * disc.normal[1] + d[2] * disc.normal[2];
    const radial = Math.hypot(d[0], d[1] - along * disc.normal[1], d[2] - along * disc.normal[2]);
    if (Math.abs(along) <= DISC_HEIGHT / 2 && radial <= BODY_RADIUS) {
      return at(disc.name, radial <= BODY_RADIUS * 0.55 ? 'nucleus' : 'annulus');
    }
  }
  for (const v of vertebrae) {
    const radial = Math.hypot(x - v.centre[0], y - v.centre[1]);
    if (Math.abs(z - v.centre[2]) <= BODY_HEIGHT / 2 && radial <= BODY_RADIUS) {
      const shell = radial > BODY_RADIUS - 2 || Math.abs(z - v.centre[2]) > BODY_HEIGHT / 2 - 1.5;
      return at(v.name, shell ? 'cortical_bone' : 'cancellous_bone');
    }
  }
  if (z < -110 + 20 && z > -130 && Math.hypot(x, y) < 30) return at('sacrum', 'cancellous_bone');
  const canal = Math.hypot(x, y - CANAL_Y);
  if (canal <= 3) return at('cauda_equina', 'neural');
  if (canal <= 8) return at('dural_sac', 'csf');
  if (canal <= 11 && y > CANAL_Y) return at('ligamentum_flavum', 'ligament');
  if (((x - 60) / 25) ** 2 + ((y - 10) / 20) ** 2 + ((z - 20) / 45) ** 2 <= 1) return at('kidney_left', 'kidney');
  if (Math.hypot(x + 5, y + 40) <= 10) return at('aorta', 'blood_arterial');
  if ((x / 130) ** 2 + ((y - 20) / 90) ** 2 <= 1) return at(x >= 0 ? 'paraspinal_left' : 'paraspinal_right', 'muscle');
  return at('fat', 'fat');
}

export function standInScene(options: SpineSceneOptions): SpineScene {
  const legend: Record<number, LabelName> = {};
  const names: LabelName[] = ['background', 'skin', 'fat', 'L3', 'L4', 'L5', 'sacrum', 'L3-L4', 'L4-L5', 'L5-S1', 'cauda_equina', 'dural_sac', 'ligamentum_flavum', 'kidney_left', 'aorta', 'paraspinal_left', 'paraspinal_right'];
  for (const name of names) legend[LABELS[name]] = name;
  const scene = {
    seed: options.seed,
    legend,
    levels: { vertebrae: [...VERTEBRAE, 'sacrum'], discs: discs.map((d) => d.name), lumbarTypeCount: 5, thoracicCount: 12 },
    vertebrae: vertebrae.map((v) => ({ name: v.name, centroid: v.centre, body: { widthMm: 2 * BODY_RADIUS, depthMm: 2 * BODY_RADIUS, anteriorHeightMm: BODY_HEIGHT, middleHeightMm: BODY_HEIGHT, posteriorHeightMm: BODY_HEIGHT } })),
    discs: discs.map((d) => ({ ...d, label: LABELS[d.name] })),
    roots: [],
    canal: [[0, CANAL_Y, 80], [0, CANAL_Y, -130]] as Vec3[],
    landmarks: {
      'L4 body centre': { point: vertebrae[1]!.centre, structure: 'L4' },
      'L4-L5 nucleus': { point: discs[1]!.centre, structure: 'L4-L5' },
      'canal at L4': { point: [0, CANAL_Y, vertebrae[1]!.centre[2]] as Vec3, structure: 'cauda_equina' },
      'left kidney': { point: [60, 10, 20] as Vec3, structure: 'kidney_left' },
    },
    pathology: [],
    morphometry: { scale: 1, lordosisDeg: 0, sacralSlopeDeg: 0, subcutaneousFatMm: 10, iliacCrestOffsetMm: 0 },
    bounds: { min: [-150, -90, -130] as Vec3, max: [150, 130, 80] as Vec3 },
    parts: [],
    classify,
  };
  return scene as unknown as SpineScene;
}

/** Rasterises by classifying every voxel centre (slow but obviously right; the grids here are small). */
export function standInRasterize(options: RasterizeSceneOptions): RasterizeSceneResult {
  const { grid } = options;
  const size = [grid.size[0]!, grid.size[1]!, grid.size[2]!] as const;
  const d = grid.direction ?? [1, 0, 0, 0, 1, 0, 0, 0, 1];
  const count = size[0] * size[1] * size[2];
  const labels = new Uint8Array(count);
  const tissue = new Uint8Array(count);
  let n = 0;
  for (let k = 0; k < size[2]; k++) {
    for (let j = 0; j < size[1]; j++) {
      for (let i = 0; i < size[0]; i++, n++) {
        const u = i * grid.spacing[0]!;
        const v = j * grid.spacing[1]!;
        const w = k * grid.spacing[2]!;
        const p: Vec3 = [
          grid.origin[0]! + d[0]! * u + d[1]! * v + d[2]! * w,
          grid.origin[1]! + d[3]! * u + d[4]! * v + d[5]! * w,
          grid.origin[2]! + d[6]! * u + d[7]! * v + d[8]! * w,
        ];
        const c = options.scene.classify(p);
        labels[n] = c.label;
        tissue[n] = TISSUE_CODES[c.tissue];
      }
    }
  }
  return { labels: createVolume({ size, spacing: grid.spacing, origin: grid.origin, direction: d, data: labels, units: 'label' }), tissue };
}

export const STAND_IN_ANATOMY: AnatomyEngine = { buildScene: standInScene, rasterize: standInRasterize };
