import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDicom, Tag } from '@keyhole/core';
import { isValidUid } from '../uid.ts';
import { CT_SERIES_DIR, phantomSeries } from '../test-fixtures.ts';
import { assignMissingUids, CT_IMAGE_STORAGE, derivedUid, MR_IMAGE_STORAGE, SECONDARY_CAPTURE_IMAGE_STORAGE, sopClassFromEvidence } from './index.ts';

type Dict = Record<string, { vr: string; Value?: unknown[] }>;
const dcmjs = createRequire(import.meta.url)('dcmjs') as { data: { DicomMessage: { readFile(b: ArrayBuffer): { meta: Dict; dict: Dict; write(o?: object): ArrayBuffer } } } };
const NOW = new Date('2026-03-04T05:06:07.089Z');

/** The phantom's file with the named elements emptied (zero-length), as the anonymiser of the real CT left them. */
function blanked(bytes: Uint8Array, tags: readonly string[]): Uint8Array {
  const message = dcmjs.data.DicomMessage.readFile(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  for (const tag of tags) message.dict[tag] = { vr: message.dict[tag]?.vr ?? 'UI', Value: [] };
  return new Uint8Array(message.write());
}
const IDENTIFYING = ['0020000D', '0020000E', '00080018', '00080016', '00100020'];

function repair(bytes: Uint8Array, source = 'test') {
  const result = assignMissingUids({ bytes, source, now: NOW });
  if (!result.repaired) throw new Error(`not repaired: ${result.reason}`);
  return result;
}

describe('assignMissingUids', () => {
  const phantom = phantomSeries(11);
  const files = phantom.files.map((f) => blanked(f.bytes, IDENTIFYING));

  it('leaves a file whose identifying UIDs are all present alone', () => {
    expect(assignMissingUids({ bytes: phantom.files[0]!.bytes, source: 'complete' })).toEqual({ repaired: false, reason: 'complete' });
    expect(assignMissingUids({ bytes: new TextEncoder().encode('not dicom at all'), source: 'text' })).toEqual({ repaired: false, reason: 'unreadable' });
  });

  it('fills in every missing identifier with valid UIDs of at most 64 characters, and a Part 10 meta header that agrees', () => {
    const result = repair(files[0]!);
    expect(Object.keys(result.assigned).sort()).toEqual(['PatientID', 'SOPClassUID', 'SOPInstanceUID', 'SeriesInstanceUID', 'StudyInstanceUID']);
    for (const uid of [result.assigned.StudyInstanceUID, result.assigned.SeriesInstanceUID, result.assigned.SOPInstanceUID]) {
      expect(isValidUid(uid), uid).toBe(true);
      expect(uid!.startsWith('2.25.')).toBe(true);
      expect(uid!.length).toBeLessThanOrEqual(44);
      // PS3.5 §9.1: no component starts with a zero (other than "0" itself).
      expect(uid!.split('.').every((c) => c === '0' || !c.startsWith('0'))).toBe(true);
    }
    expect(result.assigned.SOPClassUID).toBe(MR_IMAGE_STORAGE);
    expect(result.assigned.PatientID).toMatch(/^KEYHOLE-[0-9A-F]{16}$/);
    // An independent parser (@keyhole/core) reads the rewritten file: data set and meta header agree.
    const parsed = parseDicom({ bytes: result.bytes, source: 'repaired' });
    expect(parsed.sopInstanceUid).toBe(result.assigned.SOPInstanceUID);
    expect(parsed.sopClassUid).toBe(MR_IMAGE_STORAGE);
    expect(parsed.dataset.string(Tag.StudyInstanceUID)).toBe(result.assigned.StudyInstanceUID);
    expect(parsed.dataset.string(Tag.SeriesInstanceUID)).toBe(result.assigned.SeriesInstanceUID);
    expect(parsed.dataset.string(Tag.PatientID)).toBe(result.assigned.PatientID);
    const written = dcmjs.data.DicomMessage.readFile(result.bytes.buffer.slice(result.bytes.byteOffset, result.bytes.byteOffset + result.bytes.byteLength) as ArrayBuffer);
    expect(written.meta['00020003']?.Value).toEqual([result.assigned.SOPInstanceUID]);
    expect(written.meta['00020002']?.Value).toEqual([MR_IMAGE_STORAGE]);
  });

  it('records the change in the file: Instance Coercion DateTime and Original Attributes Sequence with the previous empty values', () => {
    const written = dcmjs.data.DicomMessage.readFile(repair(files[0]!).bytes.slice().buffer);
    expect(written.dict['00080015']?.Value).toEqual(['20260304050607.089000+0000']);
    const item = written.dict['04000561']?.Value?.[0] as Dict;
    expect(item['04000563']?.Value).toEqual(['Keyhole']);
    expect(item['04000565']?.Value).toEqual(['CORRECT']);
    expect(item['04000562']?.Value).toEqual(['20260304050607.089000+0000']);
    const previous = (item['04000550']?.Value?.[0] ?? {}) as Dict;
    expect(Object.keys(previous).sort()).toEqual([...IDENTIFYING].sort());
    for (const tag of IDENTIFYING) expect((previous[tag]?.Value ?? []).join(''), tag).toBe('');
  });

  it('is deterministic: the same files give the same UIDs (and bytes) every time; one series, one study, one UID per file', () => {
    const first = files.map((f) => repair(f));
    const again = files.map((f) => repair(f));
    expect(again.map((r) => r.assigned)).toEqual(first.map((r) => r.assigned));
    again.forEach((r, i) => expect(Buffer.from(r.bytes).equals(Buffer.from(first[i]!.bytes))).toBe(true));
    expect(new Set(first.map((r) => r.assigned.StudyInstanceUID)).size).toBe(1);
    expect(new Set(first.map((r) => r.assigned.SeriesInstanceUID)).size).toBe(1);
    expect(new Set(first.map((r) => r.assigned.PatientID)).size).toBe(1);
    expect(new Set(first.map((r) => r.assigned.SOPInstanceUID)).size).toBe(files.length);
    // A repaired file is complete: repairing it again changes nothing.
    expect(assignMissingUids({ bytes: first[0]!.bytes, source: 'again' })).toEqual({ repaired: false, reason: 'complete' });
  });

  it('assigns only what is missing: a file with its study UID keeps it and gets a series UID within that study', () => {
    const onlySeries = blanked(phantom.files[0]!.bytes, ['0020000E']);
    const result = repair(onlySeries);
    expect(Object.keys(result.assigned)).toEqual(['SeriesInstanceUID']);
    const parsed = parseDicom({ bytes: result.bytes, source: 'repaired' });
    expect(parsed.dataset.string(Tag.StudyInstanceUID)).toBe(phantom.studyUid);
    expect(parsed.sopInstanceUid).toBe(parseDicom({ bytes: phantom.files[0]!.bytes, source: 'original' }).sopInstanceUid);
    expect(parsed.dataset.string(Tag.PatientID)).toBe(phantom.patientId);
    expect(result.assigned.SeriesInstanceUID).not.toBe(phantom.seriesUid);
    // A blank Patient ID alone is no reason to rewrite a file (the archive files it as it is).
    expect(assignMissingUids({ bytes: blanked(phantom.files[0]!.bytes, ['00100020']), source: 'no id' })).toEqual({ repaired: false, reason: 'complete' });
  });

  it('leaves pixel data byte for byte as it was, and every other attribute', () => {
    files.forEach((bytes) => {
      const before = parseDicom({ bytes, source: 'before' });
      const after = parseDicom({ bytes: repair(bytes).bytes, source: 'after' });
      expect(Buffer.from(after.pixelData!.frame(0)).equals(Buffer.from(before.pixelData!.frame(0)))).toBe(true);
      for (const tag of [Tag.ImagePositionPatient, Tag.ImageOrientationPatient, Tag.PixelSpacing, Tag.SeriesNumber, Tag.Modality]) {
        expect(after.dataset.string(tag)).toBe(before.dataset.string(tag));
      }
    });
  });

  it('derives SOP Class from Modality and Image Type; UIDs differ by kind and by input', () => {
    expect(sopClassFromEvidence({ modality: 'CT', imageType: ['ORIGINAL', 'PRIMARY', 'AXIAL'], hasImagePlane: true }).uid).toBe(CT_IMAGE_STORAGE);
    expect(sopClassFromEvidence({ modality: 'MR', imageType: ['ORIGINAL', 'PRIMARY'], hasImagePlane: true }).uid).toBe(MR_IMAGE_STORAGE);
    expect(sopClassFromEvidence({ modality: 'CT', imageType: ['DERIVED', 'SECONDARY', 'SCREEN SHOT'], hasImagePlane: true }).uid).toBe(SECONDARY_CAPTURE_IMAGE_STORAGE);
    expect(sopClassFromEvidence({ modality: 'CT', imageType: ['ORIGINAL', 'PRIMARY'], hasImagePlane: false }).uid).toBe(SECONDARY_CAPTURE_IMAGE_STORAGE);
    expect(sopClassFromEvidence({ modality: 'US', imageType: ['ORIGINAL'], hasImagePlane: true }).uid).toBe(SECONDARY_CAPTURE_IMAGE_STORAGE);
    expect(derivedUid('study', ['a'])).not.toBe(derivedUid('series', ['a']));
    expect(derivedUid('study', ['a', 'bc'])).not.toBe(derivedUid('study', ['ab', 'c']));
    expect(derivedUid('study', ['a'])).toBe(derivedUid('study', ['a']));
  });
});

describe.skipIf(!existsSync(CT_SERIES_DIR))('assignMissingUids on the real CT series (../shared/data/ct-dicom-series; skipped when absent)', () => {
  it('gives the 20 slices one study, one series, a UID each, CT Image Storage, and leaves their JPEG 2000 pixel data untouched', () => {
    const names = readdirSync(CT_SERIES_DIR).sort();
    const results = names.map((name) => {
      const bytes = readFileSync(join(CT_SERIES_DIR, name));
      const result = repair(bytes, name);
      const before = parseDicom({ bytes, source: name });
      const after = parseDicom({ bytes: result.bytes, source: name });
      expect(Buffer.from(after.pixelData!.frame(0)).equals(Buffer.from(before.pixelData!.frame(0))), name).toBe(true);
      expect(after.transferSyntaxUid).toBe(before.transferSyntaxUid);
      expect(after.dataset.string(Tag.ImagePositionPatient)).toBe(before.dataset.string(Tag.ImagePositionPatient));
      return result.assigned;
    });
    expect(new Set(results.map((r) => r.StudyInstanceUID)).size).toBe(1);
    expect(new Set(results.map((r) => r.SeriesInstanceUID)).size).toBe(1);
    expect(new Set(results.map((r) => r.SOPInstanceUID)).size).toBe(names.length);
    expect(new Set(results.map((r) => r.SOPClassUID))).toEqual(new Set([CT_IMAGE_STORAGE]));
    expect(new Set(results.map((r) => r.PatientID)).size).toBe(1);
  });
});
