import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareGrids, readNifti, worldToIndex, type Volume } from '@keyhole/core';
import { keyhole, tool } from '../test-support.ts';

const readVolume = (path: string): Volume => readNifti({ bytes: readFileSync(path), source: path }).volumes[0]!;

/**
 * End to end, as a user would: `keyhole phantom` writes DICOM + truth; dcm2niix (the peer) and
 * `keyhole convert` read the DICOM back; both must land on the truth's grid. Covers the geometry
 * cases the issue names: sagittal, oblique (axial stacks angled along a disc), non-square pixels,
 * prone and decubitus.
 */
const cases: ReadonlyArray<{ name: string; args: string[] }> = [
  { name: 'CT 3D supine', args: ['--modality', 'ct', '--protocol', '3d', '--levels', 'L3-S1'] },
  { name: 'MR T2 sagittal, non-square pixels, prone', args: ['--modality', 'mr-t2', '--protocol', 'sagittal', '--position', 'prone', '--spacing', '0.6,0.9,4.4'] },
  { name: 'MR T2 axial stacks angled along each disc', args: ['--modality', 'mr-t2', '--protocol', 'axial-angled', '--levels', 'L3-S1'] },
  { name: 'MR T1 sagittal, decubitus left', args: ['--modality', 'mr-t1', '--protocol', 'sagittal', '--position', 'decubitus-left', '--levels', 'L2-S1'] },
];

describe('keyhole phantom → DICOM → dcm2niix and keyhole convert land on the truth grid', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'keyhole-phantom-'));
      const out = join(dir, 'phantom');
      const made = await keyhole(['phantom', '-o', out, '--seed', '5', ...c.args, '--json']);
      expect(made.code, made.stderr + made.stdout).toBe(0);
      expect(existsSync(join(out, 'truth.nii.gz'))).toBe(true);
      const seriesDirs = readdirSync(join(out, 'dicom')).sort();
      expect(seriesDirs.length).toBeGreaterThan(0);
      const truthFor = (name: string): Volume => readVolume(seriesDirs.length > 1 ? join(out, 'truth', `${name}.nii.gz`) : join(out, 'truth.nii.gz'));

      for (const name of seriesDirs) {
        const truth = truthFor(name);
        const ours = join(dir, `${name}.nii.gz`);
        const converted = await keyhole(['convert', join(out, 'dicom', name), '-o', ours]);
        expect(converted.code, converted.stderr).toBe(0);
        const grid = compareGrids(readVolume(ours), truth, 0.01);
        expect(grid.maxCornerDistanceMm, `${name}: keyhole convert vs truth`).toBeLessThan(0.01);
        expect(grid.sizeMatches).toBe(true);

        if (tool('dcm2niix')) {
          const peerDir = join(dir, `dcm2niix-${name}`);
          mkdirSync(peerDir);
          execFileSync('dcm2niix', ['-z', 'y', '-b', 'n', '-o', peerDir, '-f', 'peer', join(out, 'dicom', name)], { stdio: 'ignore' });
          const [peerFile] = readdirSync(peerDir).filter((f) => f.endsWith('.nii.gz'));
          const peer = readVolume(join(peerDir, peerFile!));
          // dcm2niix may store rows flipped (its NIfTI is RAS-ish); the grids must cover the same voxel centres.
          expect(peer.size.slice().sort()).toEqual(truth.size.slice().sort());
          const centreOf = (v: Volume): number[] => [0, 1, 2].map((r) => {
            const m = v.indexToWorld;
            return m[4 * r]! * (v.size[0] - 1) / 2 + m[4 * r + 1]! * (v.size[1] - 1) / 2 + m[4 * r + 2]! * (v.size[2] - 1) / 2 + m[4 * r + 3]!;
          });
          centreOf(peer).forEach((x, axis) => expect(Math.abs(x - centreOf(truth)[axis]!), `${name}: dcm2niix centre axis ${axis}`).toBeLessThan(0.01));
          const spacing = (v: Volume): number[] => [...v.spacing].sort((a, b) => a - b);
          spacing(peer).forEach((s, axis) => expect(s).toBeCloseTo(spacing(truth)[axis]!, 3));
          // Every corner of the peer's grid is a voxel centre of the truth grid.
          for (const corner of [[0, 0, 0], [peer.size[0] - 1, 0, 0], [0, peer.size[1] - 1, 0], [0, 0, peer.size[2] - 1]] as const) {
            const m = peer.indexToWorld;
            const world = [0, 1, 2].map((r) => m[4 * r]! * corner[0] + m[4 * r + 1]! * corner[1] + m[4 * r + 2]! * corner[2] + m[4 * r + 3]!) as [number, number, number];
            const index = worldToIndex(truth, world);
            index.forEach((v) => expect(Math.abs(v - Math.round(v)), `${name}: dcm2niix corner off the truth grid`).toBeLessThan(0.01));
          }
        }
      }
    });
  }

  it('truth.json agrees with truth.nii.gz: every landmark lies in its structure, every pathology is in the map', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'keyhole-phantom-'));
    const out = join(dir, 'p');
    const made = await keyhole(['phantom', '-o', out, '--modality', 'ct', '--seed', '11', '--pathology', 'herniation:L4-L5:left:subarticular:extrusion:down', '--pathology', 'fracture:L1:30']);
    expect(made.code, made.stderr).toBe(0);
    const truth = JSON.parse(readFileSync(join(out, 'truth.json'), 'utf8')) as {
      landmarks: Record<string, { point: [number, number, number]; structure: string }>;
      pathology: Array<{ structure?: string; label?: number; level?: string }>;
    };
    const legend = JSON.parse(readFileSync(join(out, 'truth-legend.json'), 'utf8')) as Record<string, string>;
    const valueOf = new Map(Object.entries(legend).map(([value, name]) => [name, Number(value)]));
    const labels = readVolume(join(out, 'truth.nii.gz'));
    const labelAt = (point: [number, number, number]): number | undefined => {
      const [i, j, k] = worldToIndex(labels, point).map(Math.round) as [number, number, number];
      if (i < 0 || j < 0 || k < 0 || i >= labels.size[0] || j >= labels.size[1] || k >= labels.size[2]) return undefined;
      return labels.data[i + labels.size[0] * (j + labels.size[1] * k)];
    };
    // Landmarks outside the imaged field of view (e.g. the colon in the flanks on a 200 mm CT) cannot be checked here.
    const landmarks = Object.entries(truth.landmarks).filter(([, l]) => labelAt(l.point) !== undefined);
    expect(landmarks.length).toBeGreaterThan(50);
    const misplaced = landmarks.filter(([, l]) => labelAt(l.point) !== valueOf.get(l.structure)).map(([name]) => name);
    expect(misplaced).toEqual([]);
    const present = new Set(labels.data);
    for (const p of truth.pathology) if (p.label !== undefined) expect(present.has(p.label), JSON.stringify(p)).toBe(true);
    for (const value of present) expect(legend[String(value)], `label ${value} has no legend entry`).toBeDefined();
  });

  it('refuses to write into a folder that holds something, and leaves it untouched', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'keyhole-phantom-'));
    writeFileSync(join(dir, 'precious.txt'), 'keep me');
    const run = await keyhole(['phantom', '-o', dir, '--modality', 'mr-t2']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/not empty/);
    expect(readdirSync(dir)).toEqual(['precious.txt']);
  });

  it('names the bad field of a bad phantom request', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'keyhole-phantom-'));
    const run = await keyhole(['phantom', '-o', join(dir, 'p'), '--pathology', 'herniation:L9-L10:left:subarticular:extrusion']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/pathology\[0\]/);
  });
});
