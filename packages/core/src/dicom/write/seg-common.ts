/**
 * What the DICOM SEG and SR writers share: the file meta group, coded entries in dcmjs's keyword
 * form, the declaration of Keyhole's local coding scheme, and the patient/study attributes copied
 * from the source series (so the derived objects file into the same patient and study).
 */
import { KEYHOLE_CODING_SCHEME, KEYHOLE_CODING_SCHEME_NAME, type CodedConcept } from '../../segmentation/anatomy-codes.ts';
import { EXPLICIT_VR_LITTLE_ENDIAN } from './dcmjs-api.ts';
import { uidFromKey } from './uid.ts';

/** Our implementation class UID (PS3.7 §D.3.3.2), the same one the series writer uses. */
export const IMPLEMENTATION_CLASS_UID = uidFromKey('keyhole/dicom-writer/implementation-class');
export const IMPLEMENTATION_VERSION = 'KEYHOLE_0_1';
export const SOFTWARE_VERSION = 'keyhole 0.1.0';

/** Patient and study of the source series; a derived object (SEG, SR) belongs to the same study. */
export interface DerivedStudyContext {
  readonly patientName: string;
  readonly patientId: string;
  readonly patientBirthDate?: string;
  readonly patientSex?: string;
  readonly studyInstanceUid: string;
  readonly studyDate?: string;
  readonly studyTime?: string;
  readonly studyId?: string;
  readonly accessionNumber?: string;
  readonly referringPhysicianName?: string;
  readonly studyDescription?: string;
}

/** When the object was created: DICOM DA (YYYYMMDD) and TM (HHMMSS). Core has no clock; the caller passes it. */
export interface CreationTime {
  readonly date: string;
  readonly time: string;
}

export function fileMeta(sopClassUid: string, sopInstanceUid: string): Record<string, unknown> {
  return {
    FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
    MediaStorageSOPClassUID: sopClassUid,
    MediaStorageSOPInstanceUID: sopInstanceUid,
    TransferSyntaxUID: EXPLICIT_VR_LITTLE_ENDIAN,
    ImplementationClassUID: IMPLEMENTATION_CLASS_UID,
    ImplementationVersionName: IMPLEMENTATION_VERSION,
  };
}

/** A Code Sequence item (PS3.3 §8.8, Basic Code Sequence Macro). */
export function codeItem(code: CodedConcept): Record<string, unknown> {
  return { CodeValue: code.value, CodingSchemeDesignator: code.scheme, CodeMeaning: code.meaning.slice(0, 64) };
}

/** Coding Scheme Identification Sequence (PS3.3 §C.12.1) declaring `99KEYHOLE` when it is used. */
export function codingSchemeIdentification(used: Iterable<CodedConcept>): Record<string, unknown> {
  for (const code of used) {
    if (code.scheme === KEYHOLE_CODING_SCHEME) {
      return {
        CodingSchemeIdentificationSequence: [{
          CodingSchemeDesignator: KEYHOLE_CODING_SCHEME,
          CodingSchemeName: KEYHOLE_CODING_SCHEME_NAME,
          CodingSchemeResponsibleOrganization: 'Keyhole project',
        }],
      };
    }
  }
  return {};
}

/** Patient, General Study and SOP Common attributes of a derived object. */
export function studyAttributes(study: DerivedStudyContext, created: CreationTime): Record<string, unknown> {
  return {
    SpecificCharacterSet: 'ISO_IR 192',
    InstanceCreationDate: created.date,
    InstanceCreationTime: created.time,
    StudyDate: study.studyDate ?? '',
    StudyTime: study.studyTime ?? '',
    AccessionNumber: study.accessionNumber ?? '',
    ReferringPhysicianName: study.referringPhysicianName ?? '',
    ...(study.studyDescription !== undefined ? { StudyDescription: study.studyDescription } : {}),
    PatientName: study.patientName,
    PatientID: study.patientId,
    PatientBirthDate: study.patientBirthDate ?? '',
    PatientSex: study.patientSex ?? '',
    StudyInstanceUID: study.studyInstanceUid,
    StudyID: study.studyId ?? '',
  };
}
