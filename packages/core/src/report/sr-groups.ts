import type { ImagingFinding } from '../clinical/findings.ts';
import type { MeasurementGroupInput, MeasurementInput, QualitativeInput } from '../dicom/write/sr-measurements.ts';
import type { FindingsResult } from '../findings/types.ts';

/**
 * The graded findings as TID 1500 measurement groups (`writeMeasurementReport`): one group per finding, its site the
 * disc or vertebra, its measurements with units and rules, its grades as qualitative evaluations, each with the
 * source tag of its rule. The report's key-image captions and table say the same.
 */
function side(f: ImagingFinding): 'left' | 'right' | 'bilateral' | undefined {
  const s = 'side' in f ? f.side : undefined;
  return s === 'left' || s === 'right' || s === 'bilateral' ? s : undefined;
}

export function findingsMeasurementGroups(result: FindingsResult): MeasurementGroupInput[] {
  const used = new Set<string>();
  return result.findings.findings.map((f) => {
    const measurements: MeasurementInput[] = [];
    const qualitative: QualitativeInput[] = [];
    let finding = 'finding';
    switch (f.kind) {
      case 'disc-herniation':
        finding = f.type === 'bulge' ? 'disc bulge' : 'disc herniation';
        if (f.sizeMm !== undefined) measurements.push({ name: 'herniation size', value: f.sizeMm, unit: 'mm', rule: 'largest extent across or craniocaudal of the displaced material' });
        qualitative.push({ name: 'herniation type', value: f.type, rule: 'nomenclature 2.0 [Fardon]' });
        qualitative.push({ name: 'herniation zone', value: f.zone, rule: 'axial zones by the pedicles [Radiopaedia-Nom]' });
        if (f.migration !== undefined) qualitative.push({ name: 'migration', value: `${f.migration.direction} ${f.migration.grade}`, rule: 'high grade beyond the posterior disc height [Lee2006]' });
        break;
      case 'central-stenosis':
        finding = 'stenosis';
        if (f.duralSacAreaMm2 !== undefined) measurements.push({ name: 'dural sac area', value: f.duralSacAreaMm2, unit: 'mm2', rule: 'cross-section on the disc mid-plane [Schönström 1988]' });
        if (f.apDiameterMm !== undefined) measurements.push({ name: 'canal AP diameter', value: f.apDiameterMm, unit: 'mm', rule: '[Kalichman 2009]' });
        if (f.lurie !== undefined) qualitative.push({ name: 'Lurie grade', value: f.lurie, rule: 'thirds of dural-sac area loss [Radiopaedia-LSS]' });
        break;
      case 'spondylolisthesis':
        finding = 'spondylolisthesis';
        measurements.push({ name: 'slip', value: f.slipPercent, unit: '%', rule: 'anterior translation / AP length of the lower superior endplate [Medscape, Koslosky2020]' });
        if (f.meyerding !== undefined) qualitative.push({ name: 'Meyerding grade', value: f.meyerding, rule: '[Medscape, Koslosky2020]' });
        break;
      case 'compression-fracture': {
        finding = 'vertebral compression deformity';
        if (f.heightLossPercent !== undefined) measurements.push({ name: 'body height loss', value: f.heightLossPercent, unit: '%', rule: 'lowest height against the expected height (Genant 1993; settings)' });
        const grade = /Genant grade (\d)/.exec(f.producedBy ?? '')?.[1];
        if (grade !== undefined) qualitative.push({ name: 'Genant grade', value: grade, rule: 'Genant 1993 (settings 20/25/40%)' });
        break;
      }
      case 'red-flag':
        finding = `red flag ${f.flag}`;
        qualitative.push({ name: 'review', value: 'needs review', rule: f.note ?? 'imaging red flag (issue 6)' });
        break;
      default:
        finding = f.kind.replace(/-/g, ' ');
        qualitative.push({ name: 'finding', value: finding, rule: f.producedBy ?? 'imaging finding' });
    }
    const s = side(f);
    // Tracking identifiers are unique within a report: a second finding of the same kind at a level gets its side or a number.
    let trackingId = `${f.level} ${finding}`;
    if (used.has(trackingId) && s !== undefined) trackingId = `${trackingId} ${s}`;
    for (let n = 2; used.has(trackingId); n++) trackingId = `${f.level} ${finding} ${n}`;
    used.add(trackingId);
    return {
      trackingId,
      finding,
      findingSite: f.level,
      ...(s !== undefined ? { side: s } : {}),
      measurements,
      ...(qualitative.length > 0 ? { qualitative } : {}),
    };
  });
}
