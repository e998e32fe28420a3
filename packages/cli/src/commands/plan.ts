import { readFile } from 'node:fs/promises';
import { readJsonFile } from '../read-json-file.ts';
import path from 'node:path';
import { encode } from 'fast-png';
import {
  annotateDrr,
  buildPlanAnatomy,
  DEFAULT_C_ARM_GEOMETRY,
  discCentroids,
  drawText,
  drrDisplayPixels,
  findingsFromLabelMap,
  formatPlan,
  KeyholeError,
  planSurgery,
  projectionFromPose,
  projectPoint,
  type ImagingFindings,
  type LevelCountState,
  type SurgicalPlan,
  type Vec3,
  type Volume,
} from '@keyhole/core';
import { readNiftiFile, renderDrrParallel, writeFileAtomic } from '@keyhole/io';
import { EXIT, makeContext, reportError } from '../run-command.ts';
import { loadCtVolume } from './drr-input.ts';

export interface PlanCommandOptions {
  readonly labels?: string;
  readonly legend?: string;
  /** CT for the simulated fluoroscopy (NIfTI in HU, or DICOM file/folder/zip). */
  readonly volume?: string;
  readonly level?: string;
  readonly side?: string;
  /** "x,y,z" LPS mm. */
  readonly target?: string;
  /** Imaging findings JSON (`keyhole analyze --json`). */
  readonly findings?: string;
  /** Spine model JSON (`keyhole segment --json MODEL.json`): its level count. */
  readonly spine?: string;
  /** The surgeon confirms the vertebral numbering. */
  readonly countConfirmed?: boolean;
  readonly cannula?: string;
  readonly foraminoplasty?: boolean;
  /** Write the plan JSON here. */
  readonly json?: string;
  /** Write AP and lateral simulated fluoroscopy with the plan drawn here (PNG). */
  readonly drr?: string;
}


/**
 * Where the vertebral numbering comes from: the surgeon's confirmation, the spine model's level count, or a phantom's
 * truth (truth.json of `keyhole phantom` beside the label map: the numbering is known by construction). Otherwise
 * it is not verified and the plan is refused (PLAN_LEVEL_COUNT_UNCONFIRMED).
 */
async function levelCountFor(options: PlanCommandOptions, labels: string): Promise<LevelCountState> {
  if (options.countConfirmed === true) return { verified: true, source: 'confirmed by the surgeon (--count-confirmed)' };
  if (options.spine !== undefined) {
    const model = (await readJsonFile(options.spine, { what: 'the spine model' })) as { levelCount?: { verified?: unknown; pattern?: unknown } };
    const verified = model.levelCount?.verified === true;
    return { verified, source: `keyhole segment level count (${String(model.levelCount?.pattern ?? 'unknown pattern')}, ${verified ? 'verified' : 'not verified'})` };
  }
  const truth = path.join(path.dirname(labels), 'truth.json');
  try {
    const parsed = JSON.parse(await readFile(truth, 'utf8')) as { generator?: unknown };
    if (parsed.generator === 'keyhole phantom') return { verified: true, source: 'phantom truth (numbering known by construction)' };
  } catch {
    // No phantom truth beside the labels: the count is unknown.
  }
  return { verified: false, source: 'no level count given: pass --spine MODEL.json from keyhole segment, or --count-confirmed once the count is confirmed' };
}

function parseTarget(text: string): Vec3 {
  const v = text.split(',').map((x) => Number(x.trim()));
  if (v.length !== 3 || !v.every((x) => Number.isFinite(x))) throw new KeyholeError('INVALID_ARGUMENT', { path: '--target', message: `expected x,y,z in LPS mm, got "${text}"` });
  return [v[0]!, v[1]!, v[2]!];
}

/** `keyhole plan`: approach, transforaminal trajectory and simulated fluoroscopy of the plan (issue 7). */
export async function runPlan(options: PlanCommandOptions): Promise<number> {
  const ctx = makeContext(false);
  try {
    if (options.labels === undefined) throw new KeyholeError('FINDINGS_NEED_ANATOMY', { message: 'planning needs an anatomy model: pass --labels SEG.nii.gz --legend LEGEND.json (keyhole segment, a phantom truth, an imported segmentation)' });
    if (options.legend === undefined) throw new KeyholeError('INVALID_ARGUMENT', { path: '--legend', message: 'a label map needs its legend: pass --legend LEGEND.json' });
    if (options.level === undefined) throw new KeyholeError('INVALID_ARGUMENT', { path: '--level', message: 'name the disc level to plan, e.g. --level L4-L5' });
    if (options.side !== 'left' && options.side !== 'right') throw new KeyholeError('INVALID_ARGUMENT', { path: '--side', message: `must be left or right, got "${String(options.side)}"` });
    if (options.drr !== undefined && !/\.png$/i.test(options.drr)) throw new KeyholeError('INVALID_ARGUMENT', { path: '--drr', message: `"${options.drr}" must end in .png` });
    if (options.drr !== undefined && options.volume === undefined) throw new KeyholeError('INVALID_ARGUMENT', { path: '--volume', message: 'the simulated fluoroscopy (--drr) needs the CT: pass --volume CT.nii.gz or a DICOM folder' });
    const cannula = options.cannula === undefined ? undefined : Number(options.cannula);
    if (cannula !== undefined && !(cannula > 0 && cannula < 30)) throw new KeyholeError('INVALID_ARGUMENT', { path: '--cannula', message: `must be a diameter in mm, got "${options.cannula}"` });
    const levelCount = await levelCountFor(options, options.labels);
    const { volumes } = await readNiftiFile({ path: options.labels, units: 'label' });
    const labels = volumes[0];
    if (labels === undefined) throw new KeyholeError('NIFTI_UNSUPPORTED', { file: options.labels, message: 'the file holds no volume' });
    const legend = (await readJsonFile(options.legend, { what: 'the legend' })) as Record<string, string>;
    // The approach rules read imaging findings: given (keyhole analyze --json), else measured on the same label map.
    const findings = options.findings !== undefined
      ? ((await readJsonFile(options.findings, { what: 'the findings' })) as ImagingFindings)
      : findingsFromLabelMap({ labels, legend }).findings;
    const plan = planSurgery({
      labels,
      legend,
      level: options.level,
      side: options.side,
      levelCount,
      ...(options.target !== undefined ? { target: parseTarget(options.target) } : {}),
      findings,
      settings: { ...(cannula !== undefined ? { cannulaDiameterMm: cannula } : {}), ...(options.foraminoplasty === true ? { allowForaminoplasty: true } : {}) },
    });
    if (options.json !== undefined) await writeFileAtomic(options.json, `${JSON.stringify(plan, null, 2)}\n`);
    if (options.drr !== undefined && options.volume !== undefined) {
      const { volume } = await loadCtVolume({ paths: [options.volume], interactive: ctx.interactive });
      await writePlanDrr(options.drr, volume, plan, discCentroids(buildPlanAnatomy(labels, legend)));
    }
    ctx.out(formatPlan(plan));
    if (options.json !== undefined) ctx.out(`plan written to ${options.json} (LPS mm)`);
    if (options.drr !== undefined) ctx.out(`simulated fluoroscopy (AP and lateral, prone) written to ${options.drr}`);
    return EXIT.ok;
  } catch (error) {
    return reportError(error, false);
  }
}

/**
 * AP and lateral DRRs of a prone patient side by side, isocentre on the target, with the cannula, the target and
 * every disc's name drawn where the same projection puts them (annotateDrr burns in "SIMULATED").
 */
async function writePlanDrr(file: string, volume: Volume, plan: SurgicalPlan, discs: ReadonlyArray<{ name: string; centre: Vec3 }>): Promise<void> {
  const geometry = DEFAULT_C_ARM_GEOMETRY;
  const views = [
    { caption: 'AP, PRONE', primaryDeg: 180, secondaryDeg: 0 },
    { caption: `LATERAL (DETECTOR ${plan.side === 'left' ? 'LEFT' : 'RIGHT'})`, primaryDeg: plan.side === 'left' ? 90 : -90, secondaryDeg: 0 },
  ];
  const [w, h] = geometry.detectorPixels;
  const out = new Uint8Array(2 * w * h);
  for (const [n, view] of views.entries()) {
    const projection = projectionFromPose({ geometry, isocentre: plan.target, primaryDeg: view.primaryDeg, secondaryDeg: view.secondaryDeg });
    const { image } = await renderDrrParallel(volume, projection);
    const display = drrDisplayPixels(image, { polarity: 'radiograph' });
    const pixels = display.pixels;
    annotateDrr({ pixels, width: w, height: h }, projection, {
      caption: `${view.caption} - ${plan.level} ${plan.side.toUpperCase()} ${plan.approach.choice.toUpperCase()}`,
      overlay: { target: plan.target, ...(plan.entry !== undefined ? { entry: plan.entry } : {}) },
    });
    for (const disc of discs) {
      const p = projectPoint(projection, disc.centre);
      // Skip labels that would sit on the burned-in banner or caption.
      if (p === undefined || p.j < 60 || p.j > h - 40) continue;
      drawText(pixels, w, h, disc.name, { x: Math.round(p.i + (view.primaryDeg === 180 ? 40 : 60)), y: Math.round(p.j - 7), scale: 2 });
    }
    for (let j = 0; j < h; j++) out.set(pixels.subarray(j * w, (j + 1) * w), j * 2 * w + n * w);
  }
  const png = encode({
    width: 2 * w, height: h, data: out, depth: 8, channels: 1,
    text: { Title: 'Simulated fluoroscopy of a surgical plan (DRR)', Description: 'SIMULATED: digitally reconstructed radiographs computed from CT by Keyhole; not X-ray images. Supports decisions; never replaces clinical judgement.', Software: 'Keyhole 0.1.0' },
  });
  await writeFileAtomic(file, png);
}
