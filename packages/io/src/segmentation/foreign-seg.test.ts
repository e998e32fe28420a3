/**
 * Reading a DICOM SEG that Keyhole did not write: pydicom builds one from scratch in the
 * frame-per-segment layout dcmqi and highdicom use, but ordered position-major, with a slice gap,
 * no Spacing Between Slices, no Derivation Image references, a TotalSegmentator-style label
 * (`vertebrae_L4`), a segment identified only by its codes (Kidney + Left) and one Keyhole has no
 * name for (a neoplasm).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createVolume, LABELS, parseDicom, readDicomSeg } from '@keyhole/core';
import { pythonWithPydicom, tempFolder, tools } from '../codecs/test-support/external-tools.ts';

const gate = tools(['python3+pydicom']);
const scratch = tempFolder('foreign-seg');
afterAll(() => scratch.remove());

const ROWS = 5;
const COLUMNS = 6;
const SLICES = 4;

/** The same masks in Python and here: segment n, slice s, row r, column c. */
function inside(segment: number, s: number, r: number, c: number): boolean {
  if (segment === 1) return c < 3 && (s === 0 || s === 1);
  if (segment === 2) return c >= 3 && r >= 2 && (s === 1 || s === 3);
  return r === 0 && c === 5 && s === 3;
}

const SCRIPT = `
import sys, numpy as np
from pydicom.dataset import Dataset, FileDataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian, generate_uid
from pydicom.pixel_data_handlers.numpy_handler import pack_bits
rows, cols, slices = ${ROWS}, ${COLUMNS}, ${SLICES}
def inside(seg, s, r, c):
    if seg == 1: return c < 3 and s in (0, 1)
    if seg == 2: return c >= 3 and r >= 2 and s in (1, 3)
    return r == 0 and c == 5 and s == 3
def code(v, s, m):
    c = Dataset(); c.CodeValue = v; c.CodingSchemeDesignator = s; c.CodeMeaning = m; return c
meta = FileMetaDataset()
meta.MediaStorageSOPClassUID = '1.2.840.10008.5.1.4.1.1.66.4'
meta.MediaStorageSOPInstanceUID = generate_uid()
meta.TransferSyntaxUID = ExplicitVRLittleEndian
ds = FileDataset(sys.argv[1], {}, file_meta=meta, preamble=b'\\0' * 128)
ds.SOPClassUID = meta.MediaStorageSOPClassUID; ds.SOPInstanceUID = meta.MediaStorageSOPInstanceUID
ds.Modality = 'SEG'; ds.SegmentationType = 'BINARY'
ds.Rows = rows; ds.Columns = cols; ds.SamplesPerPixel = 1; ds.PhotometricInterpretation = 'MONOCHROME2'
ds.BitsAllocated = 1; ds.BitsStored = 1; ds.HighBit = 0; ds.PixelRepresentation = 0
segments = [('vertebrae_L4', code('51282000', 'SCT', 'Vertebra'), []),
            ('Kidney', code('64033007', 'SCT', 'Kidney'), [code('7771000', 'SCT', 'Left')]),
            ('Tumour', code('108369006', 'SCT', 'Neoplasm'), [])]
items = []
for n, (label, type_, modifiers) in enumerate(segments, 1):
    s = Dataset(); s.SegmentNumber = n; s.SegmentLabel = label; s.SegmentAlgorithmType = 'MANUAL'
    s.SegmentedPropertyCategoryCodeSequence = [code('123037004', 'SCT', 'Anatomical Structure')]
    if modifiers: type_.SegmentedPropertyTypeModifierCodeSequence = modifiers
    s.SegmentedPropertyTypeCodeSequence = [type_]
    items.append(s)
ds.SegmentSequence = items
shared = Dataset()
po = Dataset(); po.ImageOrientationPatient = [1, 0, 0, 0, 1, 0]; shared.PlaneOrientationSequence = [po]
pm = Dataset(); pm.PixelSpacing = [0.5, 0.7]; pm.SliceThickness = 2.5; shared.PixelMeasuresSequence = [pm]
ds.SharedFunctionalGroupsSequence = [shared]
frames = []; pixels = []
for s in range(slices):              # position-major, as some writers order frames
    for seg in (1, 2, 3):
        m = np.array([[1 if inside(seg, s, r, c) else 0 for c in range(cols)] for r in range(rows)], np.uint8)
        if not m.any(): continue
        f = Dataset()
        pp = Dataset(); pp.ImagePositionPatient = [-20, 30, 10 + 2.5 * s]; f.PlanePositionSequence = [pp]
        si = Dataset(); si.ReferencedSegmentNumber = seg; f.SegmentIdentificationSequence = [si]
        frames.append(f); pixels.append(m)
ds.PerFrameFunctionalGroupsSequence = frames
ds.NumberOfFrames = len(frames)
ds.PixelData = pack_bits(np.stack(pixels).ravel())
ds.save_as(sys.argv[1], write_like_original=False)
`;

describe.skipIf(!gate.ok)(`DICOM SEG written by another tool (pydicom, dcmqi/highdicom layout) ${gate.note}`, () => {
  it('reads segments by label, by code and as foreign, with frames placed by position', () => {
    const path = join(scratch.path, 'pydicom-seg.dcm');
    const made = spawnSync(pythonWithPydicom()!, ['-c', SCRIPT, path], { encoding: 'utf8' });
    expect(made.status, made.stderr).toBe(0);
    const reference = createVolume({ size: [COLUMNS, ROWS, SLICES], spacing: [0.7, 0.5, 2.5], origin: [-20, 30, 10], direction: [1, 0, 0, 0, 1, 0, 0, 0, 1], data: new Uint8Array(ROWS * COLUMNS * SLICES), units: 'label' });
    const result = readDicomSeg({ instance: parseDicom({ bytes: readFileSync(path), source: path }), reference });
    expect(result.segments.map((s) => [s.label, s.name, s.foreign])).toEqual([
      ['vertebrae_L4', 'L4', false], ['Kidney', 'kidney_left', false], ['Tumour', 'Tumour', true],
    ]);
    const tumour = result.labelMap.legend.labels.find((e) => e.name === 'Tumour')!;
    const data = result.labelMap.volume.data;
    for (let s = 0; s < SLICES; s++) {
      for (let r = 0; r < ROWS; r++) {
        for (let c = 0; c < COLUMNS; c++) {
          const expected = inside(3, s, r, c) ? tumour.value : inside(2, s, r, c) ? LABELS.kidney_left : inside(1, s, r, c) ? LABELS.L4 : 0;
          expect(data[c + COLUMNS * (r + ROWS * s)], `slice ${s} row ${r} column ${c}`).toBe(expected);
        }
      }
    }
    // Without a reference the grid spans the frames: slices 0–3 at 2.5 mm (the gap at slice 2 is kept).
    const own = readDicomSeg({ instance: parseDicom({ bytes: readFileSync(path), source: path }) }).labelMap.volume;
    expect(own.size).toEqual([COLUMNS, ROWS, SLICES]);
    expect(own.spacing).toEqual([0.7, 0.5, 2.5]);
  });
});
