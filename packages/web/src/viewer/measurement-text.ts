/** How a measurement reads in the list beside the image. */
import type { Measurement } from './annotation-sync.ts';

const fixed = (v: number | undefined, digits = 1): string => (v === undefined || !Number.isFinite(v) ? '?' : v.toFixed(digits));

export function describeMeasurement(m: Measurement, modality: string): string {
  switch (m.tool) {
    case 'length':
      return `Length ${fixed(m.lengthMm)} mm`;
    case 'angle':
      return `Angle ${fixed(m.angleDeg)}°`;
    case 'cobb-angle':
      return `Cobb ${fixed(m.cobbDeg)}°`;
    case 'ellipse-roi':
    case 'rectangle-roi': {
      const name = m.tool === 'ellipse-roi' ? 'Ellipse' : 'Rectangle';
      // CT values are Hounsfield units; MR signal has no unit.
      const unit = modality === 'CT' ? ' HU' : '';
      if (m.stats === undefined) return `${name} ROI (statistics when the image is loaded)`;
      return `${name} mean ${fixed(m.stats.mean)}${unit}, SD ${fixed(m.stats.sd)}, min ${fixed(m.stats.min, 0)}, max ${fixed(m.stats.max, 0)}, area ${fixed(m.stats.areaMm2)} mm²`;
    }
  }
}
