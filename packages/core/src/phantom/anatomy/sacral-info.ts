import { LABELS } from '../vocabulary.ts';
import { normalOf, type ColumnGeom } from './column.ts';
import { sacralCanal } from './sacrum.ts';
import { frameToWorld } from './shapes.ts';
import type { VertebraInfo } from './types.ts';

/**
 * Truth record of the sacrum or coccyx in the same shape as a mobile vertebra's: its centroid is the
 * top segment's body centre, its superior endplate the sacral base (S1, or S2 under a lumbarized S1);
 * "pedicles" are points in the lateral masses beside the canal, "transverse tips" the lateral ends of the
 * alae, the "spinous tip" the median sacral crest at the top segment.
 */
export function sacralInfo(column: ColumnGeom, name: 'sacrum' | 'coccyx', scale: number): VertebraInfo {
  const segments = name === 'sacrum' ? column.sacrum : column.coccyx;
  const top = segments[0]!;
  const bottom = segments[segments.length - 1]!;
  const at = (u: number, v: number, w: number) => frameToWorld(top.frame, u, v, w);
  const canal = sacralCanal(0, scale);
  const D = top.depth;
  const alaTip = canal.halfWidth + 2 * 26 * scale - 1.5;
  return {
    name,
    countedAs: name,
    label: LABELS[name],
    region: name === 'sacrum' ? 'sacral' : 'coccygeal',
    lumbarType: false,
    ribBearing: false,
    centroid: top.frame.origin,
    axes: { left: top.frame.ex, posterior: top.frame.ey, superior: top.frame.ez },
    superiorEndplate: { centre: top.superior.centre, normal: normalOf(top.superior.phi) },
    inferiorEndplate: { centre: bottom.inferior.centre, normal: normalOf(bottom.inferior.phi) },
    body: { widthMm: top.width, depthMm: D, anteriorHeightMm: top.height, middleHeightMm: top.height, posteriorHeightMm: top.height },
    pedicles: { left: at(canal.halfWidth + 6 * scale, D / 2 + canal.depth / 2, 0), right: at(-(canal.halfWidth + 6 * scale), D / 2 + canal.depth / 2, 0) },
    pedicleHeightMm: top.height / 2,
    spinousTip: at(0, D / 2 + canal.depth + 8 * scale - 1.5, 0),
    transverseTips: { left: at(alaTip, 0.1 * D + 4 * scale, -3 * scale), right: at(-alaTip, 0.1 * D + 4 * scale, -3 * scale) },
    canalCentre: at(0, D / 2 + canal.depth / 2, 0),
  };
}
