import { describe, expect, it } from 'vitest';
import { markersFromImageOrientation, orientationLabel, screenMarkers } from './orientation.ts';

describe('orientation markers (LPS patient directions → screen edge letters)', () => {
  it('axial, patient supine and head first: patient right on the screen left, anterior at the top', () => {
    // Rows run toward patient left (+x), columns toward posterior (+y): the standard axial CT.
    expect(markersFromImageOrientation([1, 0, 0, 0, 1, 0])).toEqual({ left: 'R', right: 'L', top: 'A', bottom: 'P' });
  });

  it('axial, patient prone: the image as stored puts patient left on the screen left and posterior at the top', () => {
    // A prone scan rotates the patient 180° about the table axis: rows toward patient right, columns toward anterior.
    expect(markersFromImageOrientation([-1, 0, 0, 0, -1, 0])).toEqual({ left: 'L', right: 'R', top: 'P', bottom: 'A' });
  });

  it('sagittal: anterior on the left, superior at the top (rows toward posterior, columns toward inferior)', () => {
    expect(markersFromImageOrientation([0, 1, 0, 0, 0, -1])).toEqual({ left: 'A', right: 'P', top: 'S', bottom: 'I' });
  });

  it('coronal: patient right on the left, superior at the top', () => {
    expect(markersFromImageOrientation([1, 0, 0, 0, 0, -1])).toEqual({ left: 'R', right: 'L', top: 'S', bottom: 'I' });
  });

  it('axial oblique, tilted 20° about the left–right axis (a disc-parallel slice): the vertical edges name both axes', () => {
    const t = (20 * Math.PI) / 180;
    // Columns run posterior and a little inferior; rows stay left.
    const markers = markersFromImageOrientation([1, 0, 0, 0, Math.cos(t), -Math.sin(t)]);
    expect(markers).toEqual({ left: 'R', right: 'L', top: 'AS', bottom: 'PI' });
  });

  it('leaves out components below the oblique threshold and orders letters by strength', () => {
    expect(orientationLabel([0.995, 0.05, 0])).toBe('L');
    expect(orientationLabel([0.6, -0.8, 0])).toBe('AL');
    expect(orientationLabel([0, 0, 0])).toBe('');
  });

  it('follows the screen directions, so a horizontal flip swaps the left and right letters', () => {
    expect(screenMarkers([-1, 0, 0], [0, 1, 0])).toEqual({ left: 'L', right: 'R', top: 'A', bottom: 'P' });
  });
});
