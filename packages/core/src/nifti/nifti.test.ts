import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mat3FromColumns } from '../geometry/matrix.ts';
import { normalize, cross, type Vec3 } from '../geometry/vec3.ts';
import { createVolume, indexToWorld, compareGrids, type Volume } from '../volume/volume.ts';
import { readNifti } from './read-nifti.ts';
import { writeNifti } from './write-nifti.ts';

const repoRoot = resolve(import.meta.dirname, '../../../..');
const sharedData = resolve(repoRoot, '../shared/data');
const hasShared = existsSync(sharedData);
const python3 = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3'; // Debian's python carries nibabel
const hasNibabel = (() => {
  try {
    execFileSync(python3, ['-c', 'import nibabel'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
const requireTool = (present: boolean, what: string): boolean => {
  if (!present && process.env['CI'] !== undefined) throw new Error(`${what} is required in CI but is not installed`);
  if (!present) console.warn(`skipping: ${what} is not installed`);
  return present;
};

function obliqueVolume(): Volume {
  // An axial-oblique stack tilted 17° about x and 8° about z, non-square pixels: nothing aligned.
  const a = (17 * Math.PI) / 180;
  const b = (8 * Math.PI) / 180;
  const row: Vec3 = normalize([Math.cos(b), Math.sin(b), 0]);
  const col: Vec3 = normalize([-Math.sin(b) * Math.cos(a), Math.cos(b) * Math.cos(a), Math.sin(a)]);
  const normal = cross(row, col);
  const size = [7, 5, 4] as const;
  const data = new Int16Array(7 * 5 * 4).map((_, n) => n * 3 - 50);
  return createVolume({
    size, spacing: [0.7, 0.45, 3.3], origin: [-120.5, 33.25, 410.75],
    direction: mat3FromColumns(row, col, normal), data, units: 'HU',
  });
}

describe('NIfTI write → read round trip (LPS ↔ RAS only at this boundary)', () => {
  it('keeps size, spacing, origin, direction and voxels of an oblique volume', () => {
    const volume = obliqueVolume();
    for (const gzip of [false, true]) {
      const back = readNifti({ bytes: writeNifti({ volumes: [volume], gzip }), source: 'mem', units: 'HU' });
      expect(back.affineSource).toBe('sform');
      const [v] = back.volumes;
      expect(v).toBeDefined();
      expect(compareGrids(volume, v!).maxCornerDistanceMm).toBeLessThan(1e-4);
      expect(Array.from(v!.data)).toEqual(Array.from(volume.data));
      expect(v!.data).toBeInstanceOf(Int16Array);
    }
  });

  it('keeps a left-handed direction (slices stored against the normal) through the qform too', () => {
    const base = obliqueVolume();
    const d = base.direction;
    const leftHanded = createVolume({ ...base, direction: [d[0], d[1], -d[2], d[3], d[4], -d[5], d[6], d[7], -d[8]] });
    const bytes = writeNifti({ volumes: [leftHanded] });
    // Wipe the sform code so the reader has to use the quaternion + qfac.
    new DataView(bytes.buffer).setInt16(254, 0, true);
    const back = readNifti({ bytes, source: 'mem' });
    expect(back.affineSource).toBe('qform');
    expect(compareGrids(leftHanded, back.volumes[0]!).maxCornerDistanceMm).toBeLessThan(1e-3);
  });

  it('writes several same-grid volumes as 4D and reads them back in order', () => {
    const one = obliqueVolume();
    const two = createVolume({ ...one, data: one.data.map((v) => v + 1) });
    const back = readNifti({ bytes: writeNifti({ volumes: [one, two], gzip: true }), source: 'mem' });
    expect(back.volumes).toHaveLength(2);
    expect(back.volumes[1]!.data[0]).toBe(one.data[0]! + 1);
  });

  it('refuses a 4D write of volumes on different grids, naming the volume', () => {
    const one = obliqueVolume();
    const moved = createVolume({ ...one, origin: [0, 0, 0] });
    expect(() => writeNifti({ volumes: [one, moved] })).toThrow(/volume 2 is not on the grid/);
  });

  it('rejects truncated and foreign files with NIFTI_INVALID naming the file', () => {
    const bytes = writeNifti({ volumes: [obliqueVolume()] });
    expect(() => readNifti({ bytes: bytes.subarray(0, 400), source: 'cut.nii' })).toThrow(/cut\.nii: .*truncated/);
    expect(() => readNifti({ bytes: new Uint8Array(400), source: 'zero.nii' })).toThrow(/zero\.nii: sizeof_hdr is 0/);
  });
});

describe.skipIf(!hasNibabel && process.env['CI'] === undefined)('our NIfTI as nibabel reads it', () => {
  it('nibabel sees the RAS affine that corresponds to our LPS geometry', () => {
    requireTool(hasNibabel, 'python3-nibabel');
    const volume = obliqueVolume();
    const dir = mkdtempSync(join(tmpdir(), 'keyhole-nifti-'));
    const file = join(dir, 'oblique.nii.gz');
    writeFileSync(file, writeNifti({ volumes: [volume], gzip: true }));
    const out = execFileSync(python3, ['-c', `import nibabel as nb, json, numpy as np
i = nb.load(${JSON.stringify(file)})
q = i.get_qform(); s = i.get_sform()
print(json.dumps({"q": q.tolist(), "s": s.tolist(), "shape": list(i.shape), "v": int(np.asarray(i.dataobj)[6,4,3])}))`]).toString();
    const parsed = JSON.parse(out) as { q: number[][]; s: number[][]; shape: number[]; v: number };
    expect(parsed.shape).toEqual([7, 5, 4]);
    expect(parsed.v).toBe(volume.data[6 + 7 * (4 + 5 * 3)]);
    const corner = indexToWorld(volume, [6, 4, 3]);
    for (const m of [parsed.q, parsed.s]) {
      const ras = [0, 1, 2].map((r) => m[r]![0]! * 6 + m[r]![1]! * 4 + m[r]![2]! * 3 + m[r]![3]!);
      expect(-ras[0]!).toBeCloseTo(corner[0], 3);
      expect(-ras[1]!).toBeCloseTo(corner[1], 3);
      expect(ras[2]!).toBeCloseTo(corner[2], 3);
    }
  });
});

describe.skipIf(!hasShared)('real NIfTI from other tools (../shared/data)', () => {
  it('reads the abdominal CT and its TotalSegmentator labels on one grid', () => {
    const ct = readNifti({ bytes: readFileSync(join(sharedData, 'ct-abdomen-pelvis-3mm/ct.nii.gz')), source: 'ct.nii.gz', units: 'HU' });
    const seg = readNifti({ bytes: readFileSync(join(sharedData, 'ct-abdomen-pelvis-3mm/reference-vertebrae.nii.gz')), source: 'seg', units: 'label' });
    const [v] = ct.volumes;
    expect(v!.size).toEqual([122, 101, 112]);
    expect(v!.spacing.map((s) => Math.round(s * 1000) / 1000)).toEqual([3, 3, 3]);
    expect(compareGrids(v!, seg.volumes[0]!, 0.01).same).toBe(true);
    // The L1 vertebra (label 31) lies superior to L5 (27): z grows to the head in LPS.
    const zOf = (label: number): number => {
      const vol = seg.volumes[0]!;
      let sum = 0;
      let count = 0;
      for (let k = 0; k < vol.size[2]; k++) for (let j = 0; j < vol.size[1]; j++) for (let i = 0; i < vol.size[0]; i++) {
        if (vol.data[i + vol.size[0] * (j + vol.size[1] * k)] === label) {
          sum += indexToWorld(vol, [i, j, k])[2];
          count++;
        }
      }
      return sum / count;
    };
    expect(zOf(31)).toBeGreaterThan(zOf(27) + 60);
  });
});
