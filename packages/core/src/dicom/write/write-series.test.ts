import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { mat3FromColumns } from '../../geometry/matrix.ts';
import { cross, normalize, type Vec3 } from '../../geometry/vec3.ts';
import { readNifti } from '../../nifti/read-nifti.ts';
import { createVolume, type Volume } from '../../volume/volume.ts';
import type { SeriesMetadata } from './series-metadata.ts';
import { checkDcm2niix, checkDcmdump } from './test-support/external-tools.ts';
import { compareLattices, valueAtSameVoxel } from './test-support/lattice.ts';
import { formatDecimalString } from './decimal-string.ts';
import { isValidUid, uidFromKey } from './uid.ts';
import { writeDicomSeries } from './write-series.ts';

const environment = { spawnSync, env: process.env, warn: console.warn };
const dcmdump = checkDcmdump(environment);
const dcm2niix = checkDcm2niix(environment);
const scratch = mkdtempSync(join(tmpdir(), 'keyhole-dicom-write-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** An oblique stack (tilted 17° about x, 8° about z) with non-square pixels: nothing aligned. */
function obliqueVolume(data: Int16Array | Uint16Array): Volume {
  const a = (17 * Math.PI) / 180;
  const b = (8 * Math.PI) / 180;
  const row: Vec3 = normalize([Math.cos(b), Math.sin(b), 0]);
  const column: Vec3 = normalize([-Math.sin(b) * Math.cos(a), Math.cos(b) * Math.cos(a), Math.sin(a)]);
  return createVolume({
    size: [9, 6, 5], spacing: [0.7, 0.45, 3.3], origin: [-120.5, 33.25, 410.75],
    direction: mat3FromColumns(row, column, cross(row, column)), data, units: 'HU',
  });
}

function metadata(modality: 'CT' | 'MR', overrides: Partial<SeriesMetadata> = {}): SeriesMetadata {
  return {
    modality,
    patient: { name: 'Keyhole^Writer Test', id: 'KH-WRITER', sex: 'O' },
    study: { studyInstanceUid: uidFromKey('writer-test/study'), frameOfReferenceUid: uidFromKey('writer-test/for'), date: '20260101', time: '120000', studyId: '1' },
    seriesInstanceUid: uidFromKey(`writer-test/${modality}`),
    seriesNumber: modality === 'CT' ? 2 : 3,
    seriesDescription: `writer test ${modality}`,
    patientPosition: 'HFS',
    sliceThickness: 3,
    displayWindow: { center: 40, width: 400 },
    acquisition: modality === 'CT'
      ? { kind: 'CT', kvp: 120, storage: 'unsigned-offset' }
      : { kind: 'MR', repetitionTime: 3500, echoTime: 100, echoTrainLength: 16, magneticFieldStrength: 1.5, scanningSequence: 'SE', sequenceVariant: 'SK', acquisitionType: '2D' },
    ...overrides,
  };
}

function writeToFolder(name: string, files: { name: string; bytes: Uint8Array }[]): string {
  const folder = join(scratch, name);
  rmSync(folder, { recursive: true, force: true });
  spawnSync('mkdir', ['-p', folder]);
  for (const file of files) writeFileSync(join(folder, file.name), file.bytes);
  return folder;
}

const ctValues = new Int16Array(9 * 6 * 5).map((_, n) => (n * 37) % 2800 - 1000);

describe('DICOM decimal strings and UIDs', () => {
  it('fits DS values into 16 characters and prints cosine round-off as 0', () => {
    expect(formatDecimalString(0.1 + 0.2)).toBe('0.3');
    expect(formatDecimalString(-123.456789012345678).length).toBeLessThanOrEqual(16);
    expect(Number(formatDecimalString(-123.456789012345678))).toBeCloseTo(-123.456789012345678, 10);
    expect(formatDecimalString(6.123233995736766e-17)).toBe('0');
    expect(formatDecimalString(1.5e-7)).toBe('1.5e-7');
  });

  it('derives stable, valid, distinct 2.25 UIDs', () => {
    const a = uidFromKey('phantom/seed=1/study');
    expect(uidFromKey('phantom/seed=1/study')).toBe(a);
    expect(uidFromKey('phantom/seed=2/study')).not.toBe(a);
    expect(a.startsWith('2.25.')).toBe(true);
    const uids = new Set(Array.from({ length: 2000 }, (_, n) => uidFromKey(`series/${n}`)));
    expect(uids.size).toBe(2000);
    for (const uid of [...uids].slice(0, 50)) expect(isValidUid(uid)).toBe(true);
  });
});

describe('writeDicomSeries', () => {
  it('writes one Part 10 file per slice with the geometry of the volume', () => {
    const files = writeDicomSeries({ volume: obliqueVolume(ctValues), metadata: metadata('CT') });
    expect(files.map((f) => f.name)).toEqual(['s0002-i0001.dcm', 's0002-i0002.dcm', 's0002-i0003.dcm', 's0002-i0004.dcm', 's0002-i0005.dcm']);
    const first = files[0]!.bytes;
    expect(new TextDecoder().decode(first.subarray(128, 132))).toBe('DICM');
  });

  it('refuses floating-point voxels with a clear error', () => {
    const volume = createVolume({ size: [2, 2, 1], spacing: [1, 1, 1], origin: [0, 0, 0], direction: [1, 0, 0, 0, 1, 0, 0, 0, 1], data: new Float32Array(4), units: 'HU' });
    expect(() => writeDicomSeries({ volume, metadata: metadata('CT') })).toThrow(/round them to 16-bit integers/);
  });

  describe.skipIf(!dcmdump.available)(`DCMTK accepts the files ${dcmdump.skipReason}`, () => {
    it.each(['CT', 'MR'] as const)('%s: dcmdump +E parses every file without warnings and reads the geometry back', (modality) => {
      const data = modality === 'CT' ? ctValues : Uint16Array.from(ctValues, (v) => v + 1000);
      const volume = obliqueVolume(data);
      const folder = writeToFolder(`dcmtk-${modality}`, writeDicomSeries({ volume, metadata: metadata(modality) }));
      for (const name of readdirSync(folder)) {
        const result = spawnSync(dcmdump.command, ['+E', '-q', '+P', '0020,0032', '+P', '0020,0037', '+P', '0028,0030', join(folder, name)], { encoding: 'utf8' });
        expect(result.status, result.stderr).toBe(0);
        expect(result.stderr).toBe('');
      }
      const dump = spawnSync(dcmdump.command, ['-q', join(folder, 's000' + (modality === 'CT' ? 2 : 3) + '-i0003.dcm')], { encoding: 'utf8' }).stdout;
      // Slice 3 (k = 2) sits 2 × 3.3 mm along the normal from the origin.
      const ipp = /\(0020,0032\) DS \[([^\]]+)\]/.exec(dump)?.[1]?.split('\\').map(Number) ?? [];
      const expected = [volume.origin[0] + 6.6 * volume.direction[2], volume.origin[1] + 6.6 * volume.direction[5], volume.origin[2] + 6.6 * volume.direction[8]];
      ipp.forEach((v, axis) => expect(v).toBeCloseTo(expected[axis]!, 6));
      expect(dump).toMatch(/\(0028,0030\) DS \[0\.45\\0\.7\]/); // row spacing (j) first
      expect(dump).toMatch(/\(0018,0088\) DS \[3\.3\]/);
      expect(dump).toMatch(/\(0008,001c\) CS \[YES\]/);
    });
  });

  describe.skipIf(!dcm2niix.available)(`dcm2niix reads the series onto the same grid ${dcm2niix.skipReason}`, () => {
    const convert = (name: string, volume: Volume, meta: SeriesMetadata): Volume => {
      const folder = writeToFolder(`d2n-${name}`, writeDicomSeries({ volume, metadata: meta }));
      const out = join(folder, 'nii');
      spawnSync('mkdir', ['-p', out]);
      const run = spawnSync(dcm2niix.command, ['-z', 'n', '-b', 'n', '-f', '%s', '-o', out, folder], { encoding: 'utf8' });
      expect(run.status, run.stdout + run.stderr).toBe(0);
      // The only warning allowed: dcm2niix does not know the vendor "Keyhole" (it tunes for real vendors).
      const warnings = run.stdout.split("\n").filter((line) => /warning/i.test(line) && !/Unable to determine manufacturer/.test(line));
      expect(warnings).toEqual([]);
      const niftis = readdirSync(out).filter((f) => f.endsWith('.nii'));
      expect(niftis).toHaveLength(1);
      const nifti = readNifti({ bytes: readFileSync(join(out, niftis[0]!)), source: niftis[0]! });
      return nifti.volumes[0]!;
    };

    it.each([
      ['unsigned-offset', 'HFS'],
      ['signed', 'HFP'],
    ] as const)('CT stored %s (%s): same lattice to 0.01 mm, HU preserved', (storage, position) => {
      const volume = obliqueVolume(ctValues);
      const read = convert(`ct-${storage}`, volume, metadata('CT', { patientPosition: position, acquisition: { kind: 'CT', kvp: 120, storage } }));
      const lattice = compareLattices(volume, read);
      expect(lattice.sizesMatch).toBe(true);
      expect(lattice.maxCornerDistanceMm).toBeLessThan(0.01);
      for (const index of [[0, 0, 0], [8, 5, 4], [3, 2, 1], [7, 1, 3]] as const) {
        const n = index[0] + 9 * (index[1] + 6 * index[2]);
        expect(valueAtSameVoxel(volume, read, index)).toBe(ctValues[n]);
      }
    });

    it('MR uint16: same lattice, values preserved', () => {
      const data = Uint16Array.from(ctValues, (v) => v + 1000);
      const volume = obliqueVolume(data);
      const read = convert('mr', volume, metadata('MR'));
      expect(compareLattices(volume, read).maxCornerDistanceMm).toBeLessThan(0.01);
      expect(valueAtSameVoxel(volume, read, [4, 3, 2])).toBe(data[4 + 9 * (3 + 6 * 2)]);
    });
  });
});
