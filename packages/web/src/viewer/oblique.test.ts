import { describe, expect, it } from 'vitest';
import { rotateAboutAxis, rotateCamera } from './oblique.ts';

const close = (a: readonly number[], b: readonly number[]): void => a.forEach((v, i) => expect(v).toBeCloseTo(b[i]!, 12));

describe('oblique MPR planes', () => {
  it('turns a direction about an axis (right hand, Rodrigues), keeping its length and the axis component', () => {
    close(rotateAboutAxis([1, 0, 0], [0, 0, 1], 90), [0, 1, 0]);
    close(rotateAboutAxis([1, 0, 0], [0, 0, 2], -90), [0, -1, 0]);
    close(rotateAboutAxis([0, 0, 1], [0, 0, 1], 33), [0, 0, 1]);
    const v = rotateAboutAxis([0.3, -0.4, 0.5], [1, 1, 1], 47);
    expect(Math.hypot(...v)).toBeCloseTo(Math.hypot(0.3, -0.4, 0.5), 12);
    expect(v[0] + v[1] + v[2]).toBeCloseTo(0.3 - 0.4 + 0.5, 12);
  });

  it('turns a sagittal camera about the axial normal through the crosshair point: axial-oblique, plane still through the point', () => {
    const sagittal = { viewPlaneNormal: [1, 0, 0] as const, viewUp: [0, 0, 1] as const, focalPoint: [5, 20, 30] as const, position: [505, 20, 30] as const };
    const center = [10, -4, 31] as const;
    const turned = rotateCamera(sagittal, [0, 0, -1], 20, center);
    const t = (20 * Math.PI) / 180;
    close(turned.viewPlaneNormal, [Math.cos(t), -Math.sin(t), 0]);
    close(turned.viewUp, [0, 0, 1]);
    close(turned.focalPoint, center);
    // Still 500 mm from the plane, along the new normal.
    close(turned.position, [10 + 500 * Math.cos(t), -4 - 500 * Math.sin(t), 31]);
  });
});
