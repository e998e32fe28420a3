import { createRequire } from 'node:module';
import { KeyholeError } from '@keyhole/core';
import { CONFIDENTIALITY_PROFILE, DEIDENTIFICATION_CODES, type ProfileAction } from './confidentiality-profile.ts';
import type { UidMap } from './uid-map.ts';

/**
 * De-identifies one Part 10 instance per DICOM PS3.15 Annex E, Basic Application Level
 * Confidentiality Profile (§E.2, Table E.1-1), with dcmjs: read → edit → write.
 *
 * We edit dcmjs's tag-keyed dict (the DICOM JSON model, PS3.18 F.2) rather than its naturalized
 * keyword form: Table E.1-1 is keyed by tag, private and repeating-group attributes have no
 * keyword, and naturalizing would add a dictionary round trip that can drop unknown tags.
 *
 * Beyond the table: private attributes are removed (§E.3.10 Retain Safe Private Option not
 * applied), curve (50xx) and overlay data and comments (60xx,3000/4000) are removed, any other
 * Person Name (VR PN) is emptied, and the rules apply inside every sequence item (§E.1.1 (4)).
 */
export interface DeidentifyOptions {
  /** Retain Longitudinal Temporal Information with Full Dates Option (113106). */
  readonly retainDates: boolean;
  /** Descriptions (study, series, protocol…) are kept: the Clean Descriptors Option (113105), with the exporting user vouching they carry no identity. */
  readonly retainDescriptions: boolean;
  /** Patient Name and Patient ID in the output (e.g. a study code); empty by default (action Z). */
  readonly pseudonym?: string;
}

interface DcmjsElement {
  vr: string;
  Value?: unknown[];
  InlineBinary?: string;
}
type DcmjsDict = Record<string, DcmjsElement>;
interface DcmjsDicomDict {
  meta: DcmjsDict;
  dict: DcmjsDict;
  write(options?: Record<string, unknown>): ArrayBuffer;
}
interface DcmjsModule {
  data: { DicomMessage: { readFile(buffer: ArrayBuffer, options?: { ignoreErrors?: boolean }): DcmjsDicomDict } };
}
const dcmjs = createRequire(import.meta.url)('dcmjs') as DcmjsModule;

const NUMERIC_VRS = new Set(['US', 'SS', 'UL', 'SL', 'FL', 'FD', 'IS', 'DS', 'UV', 'SV']);

function dummyValue(vr: string): unknown[] | undefined {
  if (vr === 'PN') return [{ Alphabetic: 'ANONYMOUS' }];
  if (vr === 'DA') return ['19000101'];
  if (vr === 'TM') return ['000000'];
  if (vr === 'DT') return ['19000101000000'];
  if (NUMERIC_VRS.has(vr)) return [0];
  if (vr === 'SQ' || vr === 'OB' || vr === 'OW' || vr === 'UN') return undefined;
  return ['ANONYMIZED'];
}

function actionFor(tag: string, element: DcmjsElement, options: DeidentifyOptions): ProfileAction {
  const group = Number.parseInt(tag.slice(0, 4), 16);
  const elementNumber = tag.slice(4);
  if (group % 2 === 1) return 'X';
  if ((group & 0xff00) === 0x5000) return 'X';
  if ((group & 0xff00) === 0x6000 && (elementNumber === '3000' || elementNumber === '4000')) return 'X';
  const rule = CONFIDENTIALITY_PROFILE.get(tag);
  if (rule !== undefined) {
    if (options.retainDates && rule.retainWithDates === true) return 'K';
    if (options.retainDescriptions && rule.retainWithDescriptions === true) return 'K';
    return rule.action;
  }
  if (element.vr === 'PN') return 'Z';
  return 'K';
}

function applyProfile(dict: DcmjsDict, options: DeidentifyOptions, uids: UidMap): void {
  for (const key of Object.keys(dict)) {
    const tag = key.toUpperCase();
    const element = dict[key]!;
    const action = actionFor(tag, element, options);
    switch (action) {
      case 'X':
        delete dict[key];
        break;
      case 'Z':
        dict[key] = { vr: element.vr, Value: [] };
        break;
      case 'D': {
        const dummy = element.vr === 'UI' ? (element.Value ?? []).map((v) => uids.map(String(v))) : dummyValue(element.vr);
        if (dummy === undefined) delete dict[key];
        else dict[key] = { vr: element.vr, Value: dummy };
        break;
      }
      case 'U':
        dict[key] = { vr: element.vr, Value: (element.Value ?? []).map((v) => uids.map(String(v))) };
        break;
      case 'K':
        if (element.vr === 'SQ') for (const item of element.Value ?? []) applyProfile(item as DcmjsDict, options, uids);
        break;
    }
  }
}

const code = (c: { CodeValue: string; CodingSchemeDesignator: string; CodeMeaning: string }): DcmjsDict => ({
  '00080100': { vr: 'SH', Value: [c.CodeValue] },
  '00080102': { vr: 'SH', Value: [c.CodingSchemeDesignator] },
  '00080104': { vr: 'LO', Value: [c.CodeMeaning] },
});

/** The method description and codes written into every de-identified instance (PS3.3 C.7.1.1, Patient Module). */
export function deidentificationMethod(options: DeidentifyOptions): { description: string; codes: Array<{ CodeValue: string; CodingSchemeDesignator: string; CodeMeaning: string }> } {
  const codes: Array<{ CodeValue: string; CodingSchemeDesignator: string; CodeMeaning: string }> = [DEIDENTIFICATION_CODES.basicProfile];
  if (options.retainDescriptions) codes.push(DEIDENTIFICATION_CODES.cleanDescriptors);
  if (options.retainDates) codes.push(DEIDENTIFICATION_CODES.retainFullDates);
  return { description: `Keyhole: DICOM PS3.15 E.1 Basic Profile${options.retainDates ? ', retain full dates' : ''}${options.retainDescriptions ? ', descriptions kept' : ''}`, codes };
}

export interface DeidentifyInstanceResult {
  readonly bytes: Uint8Array;
  readonly studyUid: string;
  readonly seriesUid: string;
  readonly sopInstanceUid: string;
}

export function deidentifyInstance(bytes: Uint8Array, options: DeidentifyOptions, uids: UidMap, source = 'instance'): DeidentifyInstanceResult {
  let message: DcmjsDicomDict;
  try {
    message = dcmjs.data.DicomMessage.readFile(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer, { ignoreErrors: false });
  } catch (error) {
    throw new KeyholeError('DICOM_MALFORMED', { file: source, message: `cannot be read for de-identification: ${(error as Error).message}`, cause: error });
  }
  applyProfile(message.dict, options, uids);
  // File meta: the Media Storage SOP Instance UID follows the SOP Instance UID; the sender's AE title goes.
  const mediaUid = message.meta['00020003'];
  if (mediaUid !== undefined) message.meta['00020003'] = { vr: 'UI', Value: (mediaUid.Value ?? []).map((v) => uids.map(String(v))) };
  delete message.meta['00020016'];

  const method = deidentificationMethod(options);
  message.dict['00120062'] = { vr: 'CS', Value: ['YES'] };
  message.dict['00120063'] = { vr: 'LO', Value: [method.description.slice(0, 64)] };
  message.dict['00120064'] = { vr: 'SQ', Value: method.codes.map(code) };
  message.dict['00280303'] = { vr: 'CS', Value: [options.retainDates ? 'UNMODIFIED' : 'REMOVED'] };
  if (options.pseudonym !== undefined) {
    message.dict['00100010'] = { vr: 'PN', Value: [{ Alphabetic: options.pseudonym }] };
    message.dict['00100020'] = { vr: 'LO', Value: [options.pseudonym] };
  }
  const first = (tag: string): string => String(message.dict[tag]?.Value?.[0] ?? '');
  return { bytes: new Uint8Array(message.write()), studyUid: first('0020000D'), seriesUid: first('0020000E'), sopInstanceUid: first('00080018') };
}
