import type { Vec3 } from '../../geometry/vec3.ts';
import type { Volume } from '../../volume/volume.ts';
import type { LabelName, NerveName, Side } from '../vocabulary.ts';
import type { Tissue } from '../tissue.ts';
import type { Aabb, Shape } from './shapes.ts';
import type { GenantTruth } from './pathology-truth.ts';

// ---------------------------------------------------------------------------------------------
// Options
// ---------------------------------------------------------------------------------------------

/**
 * Castellvi types of a lumbosacral transitional vertebra [pacs, Ars, BMC-LSTV] (clinical reference §9):
 * I dysplastic transverse process ≥ 19 mm craniocaudal (a one side, b both); II pseudoarticulation with the
 * sacrum (a/b); III bony fusion (a/b); IV type II on one side and type III on the other.
 */
export type CastellviType = 'Ia' | 'Ib' | 'IIa' | 'IIb' | 'IIIa' | 'IIIb' | 'IV';

export type SpineVariant =
  | { readonly kind: 'none' }
  /** L5 joins the sacrum (Castellvi type says how); 5 lumbar vertebrae remain by count from C2. */
  | { readonly kind: 'sacralized-L5'; readonly castellvi: CastellviType; /** side of the a-types and of IV's type II; default left */ readonly side?: Side }
  /** S1 separates from the sacrum as a sixth lumbar-type vertebra with a rudimentary S1–S2 disc. */
  | { readonly kind: 'lumbarized-S1'; readonly castellvi: CastellviType; readonly side?: Side }
  /** Six true lumbar vertebrae L1–L6 (a numerical variant, not transitional). */
  | { readonly kind: 'six-lumbar' }
  /** Four lumbar vertebrae L1–L4 above the sacrum. */
  | { readonly kind: 'four-lumbar' }
  /** Thirteen rib-bearing thoracic vertebrae T1–T13, then L1–L5. */
  | { readonly kind: 'T13' };

/** Axial zones of Fardon nomenclature 2.0 [Radiopaedia-Nom] (clinical reference §3a). */
export type HerniationZone = 'central' | 'subarticular' | 'foraminal' | 'extraforaminal';

/** Morphology per Fardon 2014 [Fardon] (clinical reference §3a). */
export type HerniationType = 'protrusion' | 'extrusion' | 'sequestration';

export interface HerniationMigration {
  readonly direction: 'up' | 'down';
  /** High grade: beyond the posterior disc height; low grade: within it [Lee2006] (clinical reference §3b). */
  readonly grade: 'low' | 'high';
}

export type PathologyOption =
  | {
      readonly kind: 'disc-herniation';
      /** Disc name, for example `L4-L5`. */
      readonly level: string;
      readonly zone: HerniationZone;
      /** Required except for central herniations (which sit on the midline). */
      readonly side?: Side;
      readonly type: HerniationType;
      /** Extrusions and sequestrations only. */
      readonly migration?: HerniationMigration;
      /** Largest dimension of the displaced material in mm (default 8 for protrusions, 11 otherwise). */
      readonly sizeMm?: number;
    }
  | {
      readonly kind: 'central-stenosis';
      readonly level: string;
      /** Lurie thirds of dural-sac area loss [Radiopaedia-LSS]: mild ≤ 1/3, moderate 1/3–2/3, severe > 2/3. */
      readonly grade: 'mild' | 'moderate' | 'severe';
    }
  | {
      readonly kind: 'foraminal-stenosis';
      /** Disc name whose foramen narrows, for example `L4-L5` (the L4 root's foramen). */
      readonly level: string;
      readonly side: Side;
      /** Lee sagittal grades 1–3 [Lee2010-AJR] (clinical reference §4c). */
      readonly grade: 1 | 2 | 3;
    }
  | {
      readonly kind: 'spondylolisthesis';
      /** Disc name; the upper vertebra slips forward on the lower, for example `L4-L5`. */
      readonly level: string;
      /** Meyerding slip %: anterior translation ÷ AP length of the lower vertebra's superior endplate × 100 [Medscape, Koslosky2020]. */
      readonly slipPercent: number;
    }
  | {
      readonly kind: 'compression-fracture';
      /** Vertebra name, for example `L1`. */
      readonly level: string;
      /** Loss of the anterior height (wedge) or of every height (crush), in % of the normal body height. */
      readonly heightLossPercent: number;
      readonly shape?: 'wedge' | 'crush';
      /** Acute fractures carry marrow oedema in the body (tissue `marrow_edema`). */
      readonly acute?: boolean;
    };

/**
 * Height of the iliac crest apex relative to the last lumbar-type vertebra (L5 normally), after the
 * definitions of clinical reference §6: Choi calls a crest high when its apex is above the middle of the
 * L5 pedicle [HIC-Def]; Song 2021 groups I/II/III by the top of the L5 pedicle and the lower edge of the L4
 * pedicle [Song2021].
 *
 * - `low`: apex 4 mm below the lower edge of the L5 pedicle (Song I, not high by Choi);
 * - `mid-L5`: apex at the middle of the L5 pedicle (exactly Choi's boundary: borderline on purpose);
 * - `high`: apex halfway between the top of the L5 pedicle and the lower edge of the L4 pedicle (Song II, high by Choi);
 * - `very-high`: apex 4 mm above the lower edge of the L4 pedicle (Song III);
 * - `{ offsetMm }`: apex this many mm above (+) or below (−) the middle of the L5 pedicle.
 *
 * Heights are world z (cranial) read at the pedicles, as on a lateral radiograph. With a transitional or
 * numerical variant "L5" means the last lumbar-type vertebra and "L4" the one above it.
 */
export type IliacCrestHeight = 'low' | 'mid-L5' | 'high' | 'very-high' | { readonly offsetMm: number };

export interface BodyOptions {
  /** Skeletal and body size (scales every dimension): small 0.92, medium 1, large 1.08; default medium. */
  readonly size?: 'small' | 'medium' | 'large';
  /** Subcutaneous fat thickness in mm; default by size (12 / 20 / 32) varied by seed. */
  readonly subcutaneousFatMm?: number;
}

export interface SpineSceneOptions {
  /** Seed of the scene's PRNG: the same options always give the same scene. */
  readonly seed: number;
  /** Vertebrae in the scene, inclusive, cranial first; default `T10` → `sacrum`. `S1` as `to` means the sacrum (or a lumbarized S1). */
  readonly levels?: { readonly from: string; readonly to: string };
  readonly variant?: SpineVariant;
  readonly pathology?: readonly PathologyOption[];
  /** Default `low` (Song group I, the commonest: 42 of 76 patients [Song2021]). */
  readonly iliacCrestHeight?: IliacCrestHeight;
  readonly body?: BodyOptions;
  /** Lumbar lordosis T12–S1 in degrees (Cobb between the superior endplates of L1 and S1); default drawn from supine 36.8° ± 13.2° [PMC6680033], clamped to 25–55°. */
  readonly lordosisDeg?: number;
}

// ---------------------------------------------------------------------------------------------
// Scene
// ---------------------------------------------------------------------------------------------

export interface Endplate {
  /** Centre of the endplate (LPS mm), on the bony surface. */
  readonly centre: Vec3;
  /** Unit normal pointing superior (out of the disc below / into the disc above for a superior endplate). */
  readonly normal: Vec3;
}

export type SpineRegion = 'cervical' | 'thoracic' | 'lumbar' | 'sacral' | 'coccygeal';

export interface VertebraInfo {
  /** True anatomical identity, for example `S1` for a lumbarized S1. */
  readonly name: string;
  /** Name a reader counting down from C2 would give assuming 7 cervical and 12 thoracic vertebrae (T13 → `L1`, a lumbarized S1 → `L6`). */
  readonly countedAs: string;
  readonly label: number;
  readonly region: SpineRegion;
  /** Mobile vertebra without ribs above the sacrum (what a reader calls a lumbar-type vertebra). */
  readonly lumbarType: boolean;
  readonly ribBearing: boolean;
  /** Castellvi type when this is the transitional vertebra. */
  readonly castellvi?: CastellviType;
  /** Centre of the vertebral body (not of the whole vertebra): always inside the body. */
  readonly centroid: Vec3;
  /** Unit axes of the vertebra: left (x), posterior, superior (body axis). */
  readonly axes: { readonly left: Vec3; readonly posterior: Vec3; readonly superior: Vec3 };
  readonly superiorEndplate: Endplate;
  readonly inferiorEndplate: Endplate;
  readonly body: {
    readonly widthMm: number;
    /** AP depth at the midline. */
    readonly depthMm: number;
    readonly anteriorHeightMm: number;
    readonly middleHeightMm: number;
    readonly posteriorHeightMm: number;
  };
  /** Pedicle centres (inside the pedicle). */
  readonly pedicles: { readonly left: Vec3; readonly right: Vec3 };
  /** Pedicle height along the body axis (mm), for level-relative rules such as the iliac crest groups. */
  readonly pedicleHeightMm: number;
  /** Tip of the spinous process (1.5 mm inside the bone). */
  readonly spinousTip: Vec3;
  /** Tips of the transverse processes (1.5 mm inside the bone). */
  readonly transverseTips: { readonly left: Vec3; readonly right: Vec3 };
  /** Points 2 mm inside the tips of the superior articular processes (the dorsal edge of Kambin's triangle above); absent for the sacrum and coccyx. */
  readonly superiorArticularTips?: { readonly left: Vec3; readonly right: Vec3 };
  /** Canal (dural sac) centre at the middle of the body. */
  readonly canalCentre: Vec3;
}

export interface DiscInfo {
  /** For example `L4-L5`. */
  readonly name: string;
  readonly label: number;
  readonly upper: string;
  readonly lower: string;
  readonly centre: Vec3;
  /** Unit normal pointing superior (bisects the two endplate normals): axial stacks are angled along it. */
  readonly normal: Vec3;
  /** Unit posterior direction in the disc plane (the AP axis). */
  readonly posterior: Vec3;
  readonly anteriorHeightMm: number;
  readonly middleHeightMm: number;
  readonly posteriorHeightMm: number;
  /** Half the AP depth. */
  readonly apRadiusMm: number;
  /** Half the lateral width. */
  readonly lateralRadiusMm: number;
}

export interface RootInfo {
  /** Label name, for example `root_L5_left`. */
  readonly name: string;
  readonly nerve: NerveName;
  readonly side: Side;
  readonly label: number;
  readonly ganglionLabel: number;
  /** Vertebra whose pedicle the root passes under (the Ln root exits below the Ln pedicle [Witek]). */
  readonly pedicleOf: string;
  /** Disc level of the foramen the root exits through, for example `L5-S1` for root L5. */
  readonly foramen: string;
  /** The level the root exits at: the foramen's disc, or `S1 sacral foramen` (`S2 …`) for a sacral root. */
  readonly level: string;
  /** Centre line from the dural sac to outside the foramen (points inside the root). */
  readonly path: readonly Vec3[];
  readonly radiusMm: number;
  readonly ganglionCentre: Vec3;
}

export interface Landmark {
  readonly point: Vec3;
  /** The structure the point lies inside (`classify(point).label === LABELS[structure]`). */
  readonly structure: LabelName;
}

export interface SceneLevels {
  /** Vertebrae in the scene, cranial first, by true identity. */
  readonly vertebrae: readonly string[];
  /** Discs in the scene, cranial first. */
  readonly discs: readonly string[];
  /** Lumbar-type (mobile, rib-free, presacral) vertebrae in the whole spine of this variant: 5 normally, 6 with a lumbarized S1 or six lumbar, 4 with four lumbar. A sacralized L5 counts (it is still L5 by count from C2). */
  readonly lumbarTypeCount: number;
  /** Rib-bearing thoracic vertebrae in the whole spine of this variant: 12 normally, 13 with T13. */
  readonly thoracicCount: number;
  /** The transitional vertebra, when there is one. */
  readonly transitional?: { readonly vertebra: string; readonly kind: 'sacralized' | 'lumbarized'; readonly castellvi: CastellviType; readonly side: Side };
}

export type PathologyRecord =
  | {
      readonly kind: 'disc-herniation';
      readonly label: number;
      readonly structure: string;
      readonly level: string;
      /**
       * Axial zone of where the displaced material lies once placed (a free fragment moved to its root included): its
       * centroid against the generated pedicle's medial and lateral edges at the posterior body wall of the vertebra
       * above [Radiopaedia-Nom] — foraminal between them, extraforaminal beyond the lateral edge; central/subarticular
       * as aimed inside the medial edge (the phantom has no separate medial facet line).
       */
      readonly zone: HerniationZone;
      /** Zone the generator aimed the herniation's base at (the option's `zone`); may differ from `zone`. */
      readonly aimedZone: HerniationZone;
      /** What `zone` was decided from (mm from the disc's midline, ≥ 0 towards `side`); null when the vertebra above is not built. */
      readonly zoneGeometry: { readonly materialOffsetMm: number; readonly pedicleMedialMm: number; readonly pedicleLateralMm: number } | null;
      readonly side: Side | 'midline';
      readonly type: HerniationType;
      readonly migration: HerniationMigration | null;
      /** Centre of the displaced material (inside it). */
      readonly centre: Vec3;
      /** Extent of the displaced material: lateral, AP (beyond the disc margin), craniocaudal. */
      readonly sizeMm: { readonly lateral: number; readonly ap: number; readonly craniocaudal: number };
      /** Width of the base (contact with the parent disc); 0 for a sequestration. */
      readonly baseWidthMm: number;
      /** Root the herniation compresses per clinical reference §2 (traversing Ln+1 for central/subarticular, exiting Ln for foraminal/extraforaminal); central ones also press on the cauda equina. */
      readonly affectedRoot: string;
      /** Gap (mm) between the displaced material and that root's surface; ≤ 0 when touching or compressing it; null for central herniations. */
      readonly rootGapMm: number | null;
    }
  | {
      readonly kind: 'central-stenosis';
      readonly level: string;
      readonly grade: 'mild' | 'moderate' | 'severe';
      /** Fraction of the normal dural-sac area removed at the disc level (target of the construction). */
      readonly areaLossFraction: number;
      /** Dural-sac cross-section (the sac's own outline, roots not counted) at the disc: normal and as built, mm². */
      readonly duralSacAreaMm2: { readonly normal: number; readonly stenotic: number };
      readonly centre: Vec3;
    }
  | {
      readonly kind: 'foraminal-stenosis';
      readonly level: string;
      readonly side: Side;
      readonly grade: 1 | 2 | 3;
      /** Root exiting through that foramen. */
      readonly root: string;
      readonly centre: Vec3;
    }
  | {
      readonly kind: 'spondylolisthesis';
      readonly level: string;
      readonly slipPercent: number;
      /** Anterior translation (mm) of the upper posterior-inferior body corner over the lower posterior-superior corner. */
      readonly translationMm: number;
      /** Meyerding grade (I 0–25% here: grade I starts at 0%, clinical reference §10 leaves the choice open). */
      readonly meyerding: 'I' | 'II' | 'III' | 'IV' | 'V';
    }
  | {
      readonly kind: 'compression-fracture';
      readonly level: string;
      /** Seeded loss (%): the anterior (wedge) or every (crush) height against the body's own pre-fracture posterior height. Not Genant's measure: see `genant`. */
      readonly heightLossPercent: number;
      /** Genant 1993 grade from the exact heights against those expected from the adjacent non-fractured vertebrae (`pathology-truth.ts`). */
      readonly genant: GenantTruth;
      readonly shape: 'wedge' | 'crush';
      readonly acute: boolean;
      readonly anteriorHeightMm: number;
      readonly posteriorHeightMm: number;
      readonly normalHeightMm: number;
    };

export interface SceneMorphometry {
  /** Skeletal scale factor (1 = medium adult). */
  readonly scale: number;
  /** Cobb angle between the superior endplates of L1 (or the first lumbar-type vertebra) and S1 (sacrum). */
  readonly lordosisDeg: number;
  readonly sacralSlopeDeg: number;
  readonly subcutaneousFatMm: number;
  /** Height (world z, mm, + cranial) of the iliac crest apex above the middle of the last lumbar-type vertebra's pedicle. */
  readonly iliacCrestOffsetMm: number;
}

/** One analytic structure of the scene: painted in `priority` order (higher wins; ties: later wins). */
export interface ScenePart {
  readonly structure: LabelName;
  readonly label: number;
  readonly tissue: Tissue;
  readonly priority: number;
  readonly shape: Shape;
}

export interface ClassifyResult {
  readonly label: number;
  readonly tissue: Tissue;
}

export interface SpineScene {
  readonly seed: number;
  /** Value → name for the labels the scene contains (0 background included). */
  readonly legend: Readonly<Record<number, LabelName>>;
  readonly levels: SceneLevels;
  readonly vertebrae: readonly VertebraInfo[];
  readonly discs: readonly DiscInfo[];
  readonly roots: readonly RootInfo[];
  /** Centre line of the dural sac / canal, cranial first (LPS mm). */
  readonly canal: readonly Vec3[];
  readonly landmarks: Readonly<Record<string, Landmark>>;
  readonly pathology: readonly PathologyRecord[];
  readonly morphometry: SceneMorphometry;
  /** Bounding box of the body (skin), LPS mm. */
  readonly bounds: Aabb;
  /** The analytic structures in painting order (ascending priority). */
  readonly parts: readonly ScenePart[];
  /** Label and tissue at an LPS point (mm); agrees exactly with `rasterizeScene` at voxel centres. */
  classify(point: Vec3): ClassifyResult;
}

// ---------------------------------------------------------------------------------------------
// Rasterisation
// ---------------------------------------------------------------------------------------------

export interface RasterGrid {
  readonly size: readonly number[];
  readonly spacing: readonly number[];
  readonly origin: readonly number[];
  /** Row-major 3×3, columns = LPS unit vectors of the voxel axes (the Volume convention); default identity. */
  readonly direction?: readonly number[];
}

export interface RasterizeSceneOptions {
  readonly scene: SpineScene;
  readonly grid: RasterGrid;
}

export interface RasterizeSceneResult {
  /** Label map (uint8 when every legend value ≤ 255, else uint16), units `label`. */
  readonly labels: Volume;
  /** `TISSUE_CODES` on the same grid, same voxel order as `labels.data`. */
  readonly tissue: Uint8Array;
}
