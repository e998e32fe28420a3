import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { Tag, type KeyholeError } from '@keyhole/core';
import { buildDicom, imagePixelElements } from '../../../core/src/dicom/parse/test-support/build-dicom.ts';
import { sharedData, tempFolder } from '../codecs/test-support/external-tools.ts';
import { readDicomInput, type DicomInputProgress } from './read-dicom-input.ts';

function dicom(instanceNumber: number): Uint8Array {
  return buildDicom({
    elements: [
      ...imagePixelElements({ rows: 4, columns: 4, bitsAllocated: 16 }),
      { tag: Tag.InstanceNumber, vr: 'IS', value: String(instanceNumber) },
      { tag: Tag.PixelData, vr: 'OW', value: new Uint8Array(32).fill(instanceNumber) },
    ],
  });
}

const summary = (problems: readonly KeyholeError[]): Array<[string, string]> => problems.map((p) => [p.code, p.message]);

describe('readDicomInput: files and folders', () => {
  const folder = tempFolder('input');
  afterAll(folder.remove);
  const root = join(folder.path, 'study');
  mkdirSync(join(root, 'series2'), { recursive: true });
  mkdirSync(join(folder.path, 'empty'));
  writeFileSync(join(root, 'b.dcm'), dicom(2));
  writeFileSync(join(root, 'a.dcm'), dicom(1));
  writeFileSync(join(root, 'series2', 'c'), dicom(3));
  writeFileSync(join(root, 'truncated.dcm'), dicom(4).subarray(0, 300));
  writeFileSync(join(root, 'notes.txt'), 'Patient notes: not an image.\n'.repeat(20));
  writeFileSync(join(root, '.DS_Store'), 'hidden');
  writeFileSync(join(root, 'DICOMDIR'), dicom(9));

  it('reads good files in sorted order and reports each bad one without stopping the batch', async () => {
    const result = await readDicomInput({ paths: [root] });
    expect(result.instances.map((instance) => instance.source)).toEqual([join(root, 'a.dcm'), join(root, 'b.dcm'), join(root, 'series2', 'c')]);
    expect(result.instances.map((instance) => instance.dataset.number(Tag.InstanceNumber))).toEqual([1, 2, 3]);
    expect(result.filesSeen).toBe(5);
    const problems = summary(result.problems);
    expect(problems).toHaveLength(2);
    expect(problems).toContainEqual(['DICOM_NOT_DICOM', expect.stringMatching(new RegExp(`^${join(root, 'notes.txt')}: not a DICOM file`))]);
    expect(problems).toContainEqual(['DICOM_TRUNCATED', expect.stringMatching(new RegExp(`^${join(root, 'truncated.dcm')}: the file ends inside`))]);
  });

  it('a missing path is FILE_NOT_FOUND and an empty folder EMPTY_INPUT, and the other paths are still read', async () => {
    const missing = join(folder.path, 'nope');
    const empty = join(folder.path, 'empty');
    const result = await readDicomInput({ paths: [missing, empty, join(root, 'a.dcm')] });
    expect(result.instances).toHaveLength(1);
    expect(summary(result.problems)).toEqual([
      ['FILE_NOT_FOUND', `${missing}: no such file or folder`],
      ['EMPTY_INPUT', expect.stringMatching(new RegExp(`^${empty}: the folder holds no files`))],
    ]);
  });

  it('reports progress up to the total', async () => {
    const seen: DicomInputProgress[] = [];
    await readDicomInput({ paths: [root], onProgress: (p) => seen.push(p), limits: { concurrency: 2 } });
    expect(seen).toHaveLength(5);
    expect(seen[seen.length - 1]).toMatchObject({ done: 5, total: 5 });
    expect(seen[seen.length - 1]?.bytes).toBeGreaterThan(600);
  });

  it('refuses a call without paths', async () => {
    await expect(readDicomInput({ paths: [] })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});

describe('readDicomInput: zip archives', () => {
  const folder = tempFolder('zip');
  afterAll(folder.remove);
  const write = (name: string, bytes: Uint8Array): string => {
    const path = join(folder.path, name);
    writeFileSync(path, bytes);
    return path;
  };

  it('reads the entries, refusing absolute and ".." paths with ZIP_UNSAFE_PATH', async () => {
    const archive = write('study.zip', zipSync({
      'study/1.dcm': dicom(1),
      'study/sub/2.dcm': dicom(2),
      '../../evil.dcm': dicom(66),
      '/etc/evil.dcm': dicom(67),
      'study/notes.txt': new TextEncoder().encode('readme'),
      '__MACOSX/study/._1.dcm': new Uint8Array(10),
      'study/': new Uint8Array(0),
    }));
    const result = await readDicomInput({ paths: [archive] });
    expect(result.instances.map((i) => i.source)).toEqual([`${archive}!/study/1.dcm`, `${archive}!/study/sub/2.dcm`]);
    expect(result.instances.map((i) => i.dataset.number(Tag.InstanceNumber))).toEqual([1, 2]);
    expect(summary(result.problems)).toEqual([
      ['ZIP_UNSAFE_PATH', `${archive}!/../../evil.dcm: entry refused: it contains a ".." segment that leaves the archive folder`],
      ['ZIP_UNSAFE_PATH', `${archive}!//etc/evil.dcm: entry refused: it is an absolute path`],
      ['DICOM_NOT_DICOM', expect.stringContaining(`${archive}!/study/notes.txt: not a DICOM file`)],
    ]);
    expect(result.filesSeen).toBe(3);
  });

  it('refuses a high-ratio bomb (200 MB of zeros) from its declared size, without inflating it', async () => {
    const bomb = write('bomb.zip', zipSync({ 'a.dcm': dicom(1), 'zeros.dcm': new Uint8Array(200 * 1024 * 1024), 'b.dcm': dicom(2) }, { level: 9 }));
    const before = process.memoryUsage().arrayBuffers;
    const started = performance.now();
    const result = await readDicomInput({ paths: [bomb] });
    expect(performance.now() - started).toBeLessThan(1000);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(50 * 1024 * 1024);
    expect(result.instances.map((i) => i.source)).toEqual([`${bomb}!/a.dcm`]);
    expect(summary(result.problems)).toEqual([
      ['ZIP_EXPANSION_LIMIT', expect.stringMatching(new RegExp(`^${bomb}!/zeros\\.dcm: the archive expands more than 200:1`))],
      ['ZIP_EXPANSION_LIMIT', `${bomb}: 1 further entry was not read after the expansion limit was reached`],
    ]);
  });

  it('stops inflating an entry that produces more than it declares (a lying bomb)', async () => {
    const zip = zipSync({ 'liar.dcm': new Uint8Array(100 * 1024 * 1024) }, { level: 9 });
    // Patch the central directory's uncompressed size (offset 24 in the entry record) down to 1,000 bytes.
    const view = new DataView(zip.buffer);
    const central = zip.length - 22 - (46 + 'liar.dcm'.length);
    expect(view.getUint32(central, true)).toBe(0x02014b50);
    view.setUint32(central + 24, 1000, true);
    const liar = write('liar.zip', zip);
    const started = performance.now();
    const result = await readDicomInput({ paths: [liar] });
    expect(performance.now() - started).toBeLessThan(500);
    expect(summary(result.problems)).toEqual([['ZIP_EXPANSION_LIMIT', `${liar}!/liar.dcm: the entry inflates to more than the 1000 bytes it declares; reading stopped`]]);
  });

  it('applies the total-bytes and entry-count limits', async () => {
    const archive = write('three.zip', zipSync({ '1.dcm': dicom(1), '2.dcm': dicom(2), '3.dcm': dicom(3) }));
    const tooMany = await readDicomInput({ paths: [archive], limits: { maxEntries: 2 } });
    expect(summary(tooMany.problems)).toEqual([['ZIP_EXPANSION_LIMIT', `${archive}: the archive lists 3 entries, more than the limit of 2`]]);
    const tooBig = await readDicomInput({ paths: [archive], limits: { maxTotalBytes: dicom(1).length * 2 } });
    expect(tooBig.instances).toHaveLength(2);
    expect(tooBig.problems[0]).toMatchObject({ code: 'ZIP_EXPANSION_LIMIT', message: expect.stringContaining('3.dcm: the archives expand beyond the limit') });
  });

  it('a damaged archive is ZIP_INVALID; an empty one EMPTY_INPUT', async () => {
    const full = zipSync({ '1.dcm': dicom(1) });
    const damaged = write('damaged.zip', full.subarray(0, full.length - 30));
    const empty = write('empty.zip', zipSync({}));
    const result = await readDicomInput({ paths: [damaged, empty] });
    expect(summary(result.problems)).toEqual([
      ['ZIP_INVALID', `${damaged}: no end of central directory record: the archive is damaged or not a zip file`],
      ['EMPTY_INPUT', `${empty}: the archive holds no files`],
    ]);
  });
});

const ct = sharedData('ct-dicom-series/dicom');
describe.skipIf(!ct.ok)(`readDicomInput on the real CT series ${ct.note}`, () => {
  it('reads all 20 slices without problems', async () => {
    const result = await readDicomInput({ paths: [ct.path] });
    expect(result.problems).toEqual([]);
    expect(result.instances).toHaveLength(20);
    expect(new Set(result.instances.map((i) => i.dataset.string(Tag.SeriesInstanceUID))).size).toBe(1);
  });

  it('reads the same series from a zip archive, byte for byte the same pixel data', async () => {
    const folder = tempFolder('ct-zip');
    try {
      const names = readdirSync(ct.path).sort();
      const archive = join(folder.path, 'ct.zip');
      writeFileSync(archive, zipSync(Object.fromEntries(names.map((name) => [`ct/${name}`, readFileSync(join(ct.path, name))]))));
      const fromZip = await readDicomInput({ paths: [archive] });
      const fromFolder = await readDicomInput({ paths: [ct.path] });
      expect(fromZip.problems).toEqual([]);
      expect(fromZip.instances.map((i) => i.source)).toEqual(names.map((name) => `${archive}!/ct/${name}`));
      fromZip.instances.forEach((instance, k) => {
        expect(instance.sopInstanceUid).toBe(fromFolder.instances[k]?.sopInstanceUid);
        expect(Buffer.from(instance.pixelData?.frame(0) ?? []).equals(Buffer.from(fromFolder.instances[k]?.pixelData?.frame(0) ?? [1]))).toBe(true);
      });
    } finally {
      folder.remove();
    }
  });
});
