import { describe, expect, it } from 'vitest';
import dicomParser from 'dicom-parser';
import { datasetOfPart10, part10File } from './part10.ts';

describe('part10File', () => {
  it('writes a File Meta Information group that a DICOM parser reads, and keeps the data set bytes unchanged', () => {
    // (0008,0018) SOP Instance UID in Implicit VR Little Endian: tag, 4-byte length, value.
    const uid = '1.2.3.4';
    const value = new TextEncoder().encode(`${uid}\0`);
    const dataset = new Uint8Array(8 + value.length);
    new DataView(dataset.buffer).setUint16(0, 0x0008, true);
    new DataView(dataset.buffer).setUint16(2, 0x0018, true);
    new DataView(dataset.buffer).setUint32(4, value.length, true);
    dataset.set(value, 8);
    const file = part10File({ dataset, sopClassUid: '1.2.840.10008.5.1.4.1.1.2', sopInstanceUid: uid, transferSyntaxUid: '1.2.840.10008.1.2', sourceAeTitle: 'STORESCU' });
    const parsed = dicomParser.parseDicom(file);
    expect(parsed.string('x00020010')).toBe('1.2.840.10008.1.2');
    expect(parsed.string('x00020002')).toBe('1.2.840.10008.5.1.4.1.1.2');
    expect(parsed.string('x00020016')).toBe('STORESCU');
    expect(parsed.string('x00080018')).toBe(uid);
    expect(Array.from(datasetOfPart10(file))).toEqual(Array.from(dataset));
  });
});
