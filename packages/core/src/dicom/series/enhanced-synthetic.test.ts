/**
 * Enhanced multi-frame on synthetic bytes: exercises the Shared Functional Groups path (the real
 * Siemens/Philips files put every macro per frame), per-frame rescale, stacks of frames repeated
 * over temporal positions, and frames stored out of spatial order.
 */
import { describe, expect, it } from 'vitest';
import { indexToWorld } from '../../volume/volume.ts';
import { describeDicom, listVolumeSets } from './describe-dicom.ts';
import { loadVolume } from './load-volume.ts';
import { pixelsFrom, syntheticInstances } from './test-support/synthetic-dicom.ts';

const ENHANCED_CT = '1.2.840.10008.5.1.4.1.1.2.1';

describe('enhanced multi-frame CT (synthetic)', () => {
  it('shared orientation/spacing, per-frame position and rescale, two temporal positions, frames out of order', async () => {
    const columns = 5;
    const rows = 4;
    // Sagittal frames: row along +y (posterior), column along −z (inferior); normal = −x.
    const slicesX = [10, 8, 6]; // x positions; normal −x, so k runs 10 → 8 → 6 mm
    const frameOrder = [
      { t: 2, s: 1 }, { t: 1, s: 2 }, { t: 1, s: 0 }, { t: 2, s: 0 }, { t: 1, s: 1 }, { t: 2, s: 2 },
    ];
    const perFrame = frameOrder.map(({ t, s }) => ({
      PlanePositionSequence: [{ ImagePositionPatient: [String(slicesX[s]), '-50', '100'] }],
      FrameContentSequence: [{ TemporalPositionIndex: t, StackID: '1', InStackPositionNumber: s + 1 }],
      PixelValueTransformationSequence: [{ RescaleSlope: String(t), RescaleIntercept: '-1024', RescaleType: 'HU' }],
    }));
    const frames = frameOrder.map(({ t, s }) => pixelsFrom(columns, rows, (i, j) => 1024 + i + 10 * j + 100 * s + 1000 * t, false));
    const all = new Uint16Array(frames.length * columns * rows);
    frames.forEach((f, n) => all.set(f, n * columns * rows));
    const [instance] = syntheticInstances([
      {
        position: [0, 0, 0],
        orientation: [0, 1, 0, 0, 0, -1],
        pixelSpacing: [0.5, 0.6],
        rows,
        columns,
        pixels: all,
        instanceNumber: 1,
        sopClassUid: ENHANCED_CT,
        omit: ['ImagePositionPatient', 'ImageOrientationPatient', 'PixelSpacing', 'RescaleIntercept', 'RescaleSlope', 'RescaleType', 'SliceThickness'],
        extra: {
          NumberOfFrames: String(frames.length),
          SharedFunctionalGroupsSequence: [
            {
              PlaneOrientationSequence: [{ ImageOrientationPatient: ['0', '1', '0', '0', '0', '-1'] }],
              PixelMeasuresSequence: [{ PixelSpacing: ['0.5', '0.6'], SliceThickness: '2' }],
              CTImageFrameTypeSequence: [{ FrameType: ['ORIGINAL', 'PRIMARY', 'AXIAL'] }],
            },
          ],
          PerFrameFunctionalGroupsSequence: perFrame,
        },
      },
    ]);
    const catalogue = describeDicom({ instances: [instance!] });
    const [entry] = listVolumeSets(catalogue);
    expect(entry!.set.orientation).toBe('sagittal');
    expect(entry!.set.dimension).toBe('time');
    expect(entry!.set.volumes.map((v) => v.label)).toEqual(['t=1', 't=2']);
    const t2 = await loadVolume({ volume: entry!.set.volumes[1]!, codecs: new Map() });
    expect(t2.size).toEqual([5, 4, 3]);
    expect(t2.spacing[0]).toBeCloseTo(0.6, 9); // PixelSpacing[1]: along i (columns)
    expect(t2.spacing[1]).toBeCloseTo(0.5, 9); // PixelSpacing[0]: along j (rows)
    expect(t2.spacing[2]).toBeCloseTo(2, 9);
    // k = 0 is the slice at x = 10 (s = 0); value = stored × slope(t=2) − 1024.
    expect(t2.data[3 + 5 * 2]).toBe((1024 + 3 + 20 + 2000) * 2 - 1024);
    expect(t2.data[3 + 5 * (2 + 4 * 2)]).toBe((1024 + 3 + 20 + 200 + 2000) * 2 - 1024);
    const p = indexToWorld(t2, [3, 2, 2]);
    expect(p[0]).toBeCloseTo(6, 9);
    expect(p[1]).toBeCloseTo(-50 + 3 * 0.6, 9);
    expect(p[2]).toBeCloseTo(100 - 2 * 0.5, 9);
    expect(t2.units).toBe('HU');
  });
});
