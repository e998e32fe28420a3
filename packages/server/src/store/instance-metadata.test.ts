/**
 * instanceMetadata reads only the header when Pixel Data ends the file; the metadata it stores must
 * be exactly what the whole-file read gives, for every layout it meets (explicit and implicit VR,
 * native and encapsulated pixel data), and any other layout must take the whole-file read.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDicom } from '@keyhole/core';
import { readDcmjsDict } from './dcmjs-reader.ts';
import { toDicomJson } from './dicom-json.ts';
import { instanceMetadata, pixelDataAtEnd } from './instance-metadata.ts';
import { ctSeriesFiles, hasCtSeries, hasTool, phantomSeries } from './test-fixtures.ts';

const URI = '/dicom-web/studies/1/series/2/instances/3';

function bothWays(bytes: Uint8Array) {
  const instance = parseDicom({ bytes, source: 'test' });
  return { instance, fast: instanceMetadata(bytes, instance, URI), whole: toDicomJson({ dict: readDcmjsDict(bytes).dict, instanceUri: URI }) };
}

describe('instanceMetadata', () => {
  it('explicit VR little endian, native pixels (phantom): header-only read, same metadata', () => {
    const bytes = phantomSeries(5).files[0]!.bytes;
    const { instance, fast, whole } = bothWays(bytes);
    expect(pixelDataAtEnd(bytes, instance)).toMatchObject({ vr: 'OW' });
    expect(fast).toEqual(whole);
    expect(fast['7FE00010']).toEqual({ vr: 'OW', BulkDataURI: `${URI}/bulk/7FE00010` });
  });

  it.skipIf(!hasCtSeries)('JPEG 2000, encapsulated pixel data (real CT): header-only read, same metadata', () => {
    const bytes = ctSeriesFiles()[0]!.bytes;
    const { instance, fast, whole } = bothWays(bytes);
    expect(pixelDataAtEnd(bytes, instance)).toMatchObject({ vr: 'OB' });
    expect(fast).toEqual(whole);
  });

  it.skipIf(!hasTool('dcmconv'))('implicit VR little endian (DCMTK dcmconv +ti): header-only read, same metadata', () => {
    const dir = mkdtempSync(join(tmpdir(), 'keyhole-implicit-'));
    writeFileSync(join(dir, 'in.dcm'), phantomSeries(5).files[0]!.bytes);
    execFileSync('dcmconv', ['+ti', join(dir, 'in.dcm'), join(dir, 'out.dcm')]);
    const bytes = new Uint8Array(readFileSync(join(dir, 'out.dcm')));
    const { instance, fast, whole } = bothWays(bytes);
    expect(instance.transferSyntaxUid).toBe('1.2.840.10008.1.2');
    expect(pixelDataAtEnd(bytes, instance)).toMatchObject({ vr: 'OW' });
    expect(fast).toEqual(whole);
  });

  it('an element after the pixel data (Data Set Trailing Padding): whole-file read, which keeps it', () => {
    const original = phantomSeries(5).files[0]!.bytes;
    // (FFFC,FFFC) OB, explicit VR: tag, "OB", 2 reserved bytes, 32-bit length 4, then 4 bytes.
    const padding = Uint8Array.from([0xfc, 0xff, 0xfc, 0xff, 0x4f, 0x42, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0]);
    const bytes = new Uint8Array(original.length + padding.length);
    bytes.set(original);
    bytes.set(padding, original.length);
    const { instance, fast, whole } = bothWays(bytes);
    expect(pixelDataAtEnd(bytes, instance)).toBeUndefined();
    expect(fast).toEqual(whole);
    expect(fast['FFFCFFFC']).toBeDefined();
  });

  it('bytes that are a view into a larger buffer give the same metadata', () => {
    const original = phantomSeries(5).files[0]!.bytes;
    const larger = new Uint8Array(original.length + 64);
    larger.set(original, 32);
    const view = larger.subarray(32, 32 + original.length);
    expect(bothWays(view).fast).toEqual(bothWays(original).whole);
  });
});
