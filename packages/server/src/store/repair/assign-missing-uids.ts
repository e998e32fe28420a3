/**
 * An explicit, audited repair for DICOM files whose identifying UIDs are missing (zero-length or
 * absent): anonymisers that blank Study, Series and SOP Instance UIDs leave files no archive can
 * file (the store refuses them with DICOM_MISSING_ATTRIBUTE). Only when the user asks for it
 * (`POST /api/upload?assignMissingUids=true`), and only for the attributes that are missing:
 *
 * - Study Instance UID: from the study's identity as the files state it (patient name, birth date,
 *   patient ID, study date and time, accession number, study ID, frame of reference);
 * - Series Instance UID: from the study (its UID or that key) + series number + modality + frame of
 *   reference + series description;
 * - SOP Instance UID: from the SHA-256 of the file's bytes (the same file always gets the same UID);
 * - SOP Class UID: from Modality + Image Type (sop-class.ts);
 * - Patient ID, when blank: "KEYHOLE-" + a digest of the patient's name and birth date, or of the
 *   study key when both are blank (unknown patients are never merged into one).
 *
 * Every UID is "2.25." + a name-based UUID (PS3.5 §B.2, derived-uid.ts), so the repair is
 * deterministic: importing the same files again gives the same UIDs and they are found as
 * duplicates. Pixel data and every other attribute are left as they are (dcmjs re-encodes the
 * data set; encapsulated fragments are written back unchanged).
 *
 * What was changed is recorded in the file itself, in the standard place for it (PS3.3 C.12.1 SOP
 * Common module): Instance Coercion DateTime (0008,0015), and an item of Original Attributes
 * Sequence (0400,0561) with the previous (empty) values in Modified Attributes Sequence
 * (0400,0550), Modifying System "Keyhole", Reason "CORRECT" (PS3.3 C.12.1.1.9: values replaced
 * because they were incorrect). De-identification Method (0012,0063) was considered and rejected:
 * it states how identity was removed, and Keyhole removed nothing; claiming it would mislead.
 * The server's audit entry names the files and the attributes too (dicomweb/upload.ts).
 *
 * The file meta header follows the data set (PS3.10 §7.1: Media Storage SOP Class/Instance UID
 * equal the data set's), and names Keyhole as the implementation that wrote the file.
 */
import { createRequire } from 'node:module';
import { bytesDigest, derivedUid, shortDigest } from './derived-uid.ts';
import { sopClassFromEvidence } from './sop-class.ts';

interface DcmjsElement {
  vr: string;
  Value?: unknown[];
}
type DcmjsDict = Record<string, DcmjsElement>;
interface DcmjsMessage {
  meta: DcmjsDict;
  dict: DcmjsDict;
  write(options?: { fragmentMultiframe?: boolean }): ArrayBuffer;
}
const dcmjs = createRequire(import.meta.url)('dcmjs') as { data: { DicomMessage: { readFile(buffer: ArrayBuffer, options?: { ignoreErrors?: boolean }): DcmjsMessage } } };

/** The identifying attributes this repair may fill in, by DICOM keyword. */
export type AssignableAttribute = 'StudyInstanceUID' | 'SeriesInstanceUID' | 'SOPInstanceUID' | 'SOPClassUID' | 'PatientID';

const TAGS: Readonly<Record<AssignableAttribute, { tag: string; vr: string }>> = {
  StudyInstanceUID: { tag: '0020000D', vr: 'UI' },
  SeriesInstanceUID: { tag: '0020000E', vr: 'UI' },
  SOPInstanceUID: { tag: '00080018', vr: 'UI' },
  SOPClassUID: { tag: '00080016', vr: 'UI' },
  PatientID: { tag: '00100020', vr: 'LO' },
};

/** The implementation that rewrote a repaired file (PS3.10 §7.1 Implementation Class UID; derived, PS3.5 §B.2). */
export const KEYHOLE_IMPLEMENTATION_CLASS_UID = derivedUid('implementation-class', ['Keyhole']);
export const KEYHOLE_IMPLEMENTATION_VERSION = 'KEYHOLE_0_1';
export const MODIFYING_SYSTEM = 'Keyhole';

export interface AssignMissingUidsOptions {
  readonly bytes: Uint8Array;
  /** Where the file came from (for messages). */
  readonly source: string;
  /** When the repair happens (Instance Coercion DateTime, Attribute Modification DateTime); default now. */
  readonly now?: Date;
}

export type AssignMissingUidsResult =
  /** Nothing was missing, or the file could not be read (the store then refuses it with the reason). */
  | { readonly repaired: false; readonly reason: 'complete' | 'unreadable' }
  | {
      readonly repaired: true;
      /** A Part 10 file with the new identifiers. */
      readonly bytes: Uint8Array;
      /** The attributes that were missing and are now filled in, with their new values. */
      readonly assigned: Readonly<Partial<Record<AssignableAttribute, string>>>;
    };

/** The first value of an element as a string ('' when absent or empty); person names by their alphabetic form. */
function text(dict: DcmjsDict, tag: string): string {
  const value = dict[tag]?.Value?.[0];
  if (value === undefined || value === null) return '';
  if (typeof value === 'object') return String((value as { Alphabetic?: unknown }).Alphabetic ?? '').trim();
  return String(value).trim();
}

function values(dict: DcmjsDict, tag: string): string[] {
  return (dict[tag]?.Value ?? []).map((v) => String(v).trim());
}

/** DICOM DT value (UTC, with offset) of a date: YYYYMMDDHHMMSS.FFFFFF+0000. */
function dicomDateTime(date: Date): string {
  const iso = date.toISOString(); // 2026-11-22T01:02:03.456Z
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}.${iso.slice(20, 23)}000+0000`;
}

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

/** The attributes that identify the study, as the file states them (the study key). */
export function studyKeyOf(dict: DcmjsDict): string[] {
  return ['00100010', '00100030', '00100020', '00080020', '00080030', '00080050', '00200010', '00200052'].map((tag) => text(dict, tag));
}

export function assignMissingUids(options: AssignMissingUidsOptions): AssignMissingUidsResult {
  let message: DcmjsMessage;
  try {
    message = dcmjs.data.DicomMessage.readFile(toArrayBuffer(options.bytes), { ignoreErrors: false });
  } catch {
    return { repaired: false, reason: 'unreadable' };
  }
  const { dict, meta } = message;
  const missing = (Object.keys(TAGS) as AssignableAttribute[]).filter((name) => text(dict, TAGS[name].tag) === '');
  if (!missing.some((name) => name !== 'PatientID')) return { repaired: false, reason: 'complete' };

  const studyKey = studyKeyOf(dict);
  const assigned: Partial<Record<AssignableAttribute, string>> = {};
  const studyUid = text(dict, TAGS.StudyInstanceUID.tag) || (assigned.StudyInstanceUID = derivedUid('study', studyKey));
  // The series within its study: a study UID the file had keeps its series with it.
  const seriesKey = [studyUid, text(dict, '00200011'), text(dict, '00080060'), text(dict, '00200052'), text(dict, '0008103E')];
  if (text(dict, TAGS.SeriesInstanceUID.tag) === '') assigned.SeriesInstanceUID = derivedUid('series', seriesKey);
  if (text(dict, TAGS.SOPInstanceUID.tag) === '') assigned.SOPInstanceUID = derivedUid('instance', [bytesDigest(options.bytes)]);
  if (text(dict, TAGS.SOPClassUID.tag) === '') {
    assigned.SOPClassUID = sopClassFromEvidence({ modality: text(dict, '00080060'), imageType: values(dict, '00080008'), hasImagePlane: text(dict, '00200032') !== '' && text(dict, '00200037') !== '' }).uid;
  }
  if (text(dict, TAGS.PatientID.tag) === '') {
    const identity = [text(dict, '00100010'), text(dict, '00100030')];
    // Without a name or birth date nothing says two studies are one person: one patient per study.
    assigned.PatientID = `KEYHOLE-${shortDigest(identity.some((v) => v !== '') ? ['patient', ...identity] : ['study', ...studyKey])}`;
  }

  const now = dicomDateTime(options.now ?? new Date());
  const previous: DcmjsDict = {};
  for (const name of Object.keys(assigned) as AssignableAttribute[]) {
    const { tag, vr } = TAGS[name];
    previous[tag] = { vr, Value: [] };
    dict[tag] = { vr, Value: [assigned[name]] };
  }
  dict['00080015'] = { vr: 'DT', Value: [now] };
  const modification: DcmjsDict = {
    '04000550': { vr: 'SQ', Value: [previous] },
    '04000562': { vr: 'DT', Value: [now] },
    '04000563': { vr: 'LO', Value: [MODIFYING_SYSTEM] },
    '04000564': { vr: 'LO', Value: [] },
    '04000565': { vr: 'CS', Value: ['CORRECT'] },
  };
  dict['04000561'] = { vr: 'SQ', Value: [...(dict['04000561']?.Value ?? []), modification] };

  meta['00020002'] = { vr: 'UI', Value: [text(dict, TAGS.SOPClassUID.tag)] };
  meta['00020003'] = { vr: 'UI', Value: [text(dict, TAGS.SOPInstanceUID.tag)] };
  meta['00020012'] = { vr: 'UI', Value: [KEYHOLE_IMPLEMENTATION_CLASS_UID] };
  meta['00020013'] = { vr: 'SH', Value: [KEYHOLE_IMPLEMENTATION_VERSION] };
  // dcmjs writes the group length itself.
  delete meta['00020000'];
  // fragmentMultiframe: false writes encapsulated pixel data back as the fragments it was read as.
  const bytes = new Uint8Array(message.write({ fragmentMultiframe: false }));
  return { repaired: true, bytes, assigned };
}
