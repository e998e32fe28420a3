import { describe, expect, it } from 'vitest';
import { KeyholeError } from '../../errors/keyhole-error.ts';
import { createPlanarImage, planarIndexToWorld, planarOffset } from '../../volume/planar-image.ts';
import { describeDicom } from './describe-dicom.ts';
import { loadPlanarImage } from './load-planar-image.ts';
import { readPlanarImageHeader } from './planar-header.ts';
import { pixelsFrom, syntheticInstances, type SyntheticSlice } from './test-support/synthetic-dicom.ts';

const DX_STORAGE = '1.2.840.10008.5.1.4.1.1.1.1';
const XA_STORAGE = '1.2.840.10008.5.1.4.1.1.12.1';

function radiograph(extra: Record<string, unknown>, omit: string[] = []): SyntheticSlice {
  return {
    position: [0, 0, 0],
    orientation: [1, 0, 0, 0, 1, 0],
    pixelSpacing: [0.2, 0.1],
    rows: 4,
    columns: 6,
    pixels: pixelsFrom(6, 4, (i, j) => i + 10 * j, false),
    instanceNumber: 1,
    sopClassUid: DX_STORAGE,
    modalityName: 'DX',
    omit: ['ImagePositionPatient', 'ImageOrientationPatient', 'PixelSpacing', 'RescaleIntercept', 'RescaleSlope', 'RescaleType', ...omit],
    extra,
  };
}

describe('planar images (radiographs, fluoroscopy)', () => {
  it('ImagerPixelSpacing alone is true at the detector; [row, column] becomes [along i, along j]', () => {
    const [instance] = syntheticInstances([radiograph({ ImagerPixelSpacing: ['0.2', '0.1'] })]);
    const header = readPlanarImageHeader(instance!)!;
    expect(header.spacing).toEqual([0.1, 0.2]);
    expect(header.spacingSource).toBe('imager-spacing');
    expect(header.spacingPlane).toBe('detector');
  });

  it('EstimatedRadiographicMagnificationFactor corrects detector spacing to the patient', () => {
    const [instance] = syntheticInstances([radiograph({ ImagerPixelSpacing: ['0.2', '0.2'], EstimatedRadiographicMagnificationFactor: '1.25' })]);
    const header = readPlanarImageHeader(instance!)!;
    expect(header.spacing[0]).toBeCloseTo(0.16, 9);
    expect(header.magnification).toBe(1.25);
    expect(header.spacingSource).toBe('imager-spacing-corrected-by-estimated-magnification');
    expect(header.spacingPlane).toBe('patient');
  });

  it('source distances give the magnification when no estimate is given (XA)', () => {
    const [instance] = syntheticInstances([radiograph({ ImagerPixelSpacing: ['0.3', '0.3'], DistanceSourceToDetector: '1200', DistanceSourceToPatient: '800' })]);
    const header = readPlanarImageHeader(instance!)!;
    expect(header.magnification).toBeCloseTo(1.5, 9);
    expect(header.spacing[1]).toBeCloseTo(0.2, 9);
  });

  it('calibrated PixelSpacing wins over ImagerPixelSpacing', () => {
    const [instance] = syntheticInstances([radiograph({ ImagerPixelSpacing: ['0.2', '0.2'], PixelSpacing: ['0.15', '0.15'], PixelSpacingCalibrationType: 'GEOMETRY' })]);
    const header = readPlanarImageHeader(instance!)!;
    expect(header.spacing).toEqual([0.15, 0.15]);
    expect(header.spacingSource).toBe('calibrated-pixel-spacing');
  });

  it('no spacing at all: 1 mm, flagged unknown', () => {
    const header = readPlanarImageHeader(syntheticInstances([radiograph({})])[0]!)!;
    expect(header.spacingSource).toBe('none');
    expect(header.spacingPlane).toBe('unknown');
  });

  it('describeDicom lists radiographs as planar images, and loadPlanarImage decodes every frame', async () => {
    const cine: SyntheticSlice = {
      ...radiograph({ ImagerPixelSpacing: ['0.2', '0.1'], NumberOfFrames: '3', FrameTime: '33.3' }),
      sopClassUid: XA_STORAGE,
      modalityName: 'XA',
      pixels: pixelsFrom(6, 12, (i, j) => i + 10 * j, false),
    };
    const catalogue = describeDicom({ instances: syntheticInstances([cine]) });
    const series = catalogue.patients[0]!.studies[0]!.series[0]!;
    expect(series.volumeSets).toHaveLength(0);
    expect(series.planarImages).toHaveLength(1);
    expect(series.frameCount).toBe(3);
    const image = await loadPlanarImage({ image: series.planarImages[0]!, codecs: new Map() });
    expect(image.frameCount).toBe(3);
    expect(image.frameTimeMs).toBeCloseTo(33.3, 6);
    expect(image.data[planarOffset(image, 2, 1, 2)]).toBe(2 + 10 * (4 * 2 + 1));
    expect(planarIndexToWorld(image, 1, 1)).toBeUndefined();
  });

  it('createPlanarImage validates like createVolume', () => {
    expect(() => createPlanarImage({ size: [2, 2], spacing: [1, 1], spacingSource: 'none', spacingPlane: 'unknown', frameCount: 1, data: new Int16Array(3), units: 'raw' })).toThrow(KeyholeError);
    const placed = createPlanarImage({
      size: [2, 2], spacing: [0.5, 2], spacingSource: 'pixel-spacing', spacingPlane: 'patient', frameCount: 1, data: new Int16Array(4), units: 'raw',
      placement: { origin: [10, 20, 30], iDirection: [0, 1, 0], jDirection: [0, 0, -1] },
    });
    expect(planarIndexToWorld(placed, 1, 1)).toEqual([10, 20.5, 28]);
  });
});

describe('half-present geometry fails loudly', () => {
  it('ImageOrientationPatient without ImagePositionPatient → DICOM_MISSING_ATTRIBUTE naming the file', () => {
    const slice: SyntheticSlice = { ...radiograph({ ImageOrientationPatient: ['1', '0', '0', '0', '1', '0'], PixelSpacing: ['1', '1'] }), sopClassUid: '1.2.840.10008.5.1.4.1.1.2', modalityName: 'CT' };
    const catalogue = describeDicom({ instances: syntheticInstances([slice]) });
    const problem = catalogue.patients[0]!.studies[0]!.series[0]!.problems[0]!;
    expect(problem.code).toBe('DICOM_MISSING_ATTRIBUTE');
    expect(problem.message).toMatch(/synthetic-001\.dcm: ImagePositionPatient/);
  });
});
