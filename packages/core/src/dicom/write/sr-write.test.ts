import { describe, expect, it } from 'vitest';
import { KeyholeError } from '../../errors/keyhole-error.ts';
import type { DicomDataset } from '../instance.ts';
import { parseDicom } from '../parse/parse-dicom.ts';
import type { SegSourceSeries } from './seg-source.ts';
import { measurementConcept } from './sr-measurements.ts';
import { findingSiteConcept, writeMeasurementReport } from './sr-write.ts';
import { uidFromKey } from './uid.ts';

const T = {
  ContentSequence: 'x0040a730', ConceptNameCodeSequence: 'x0040a043', ConceptCodeSequence: 'x0040a168', ValueType: 'x0040a040',
  RelationshipType: 'x0040a010', TextValue: 'x0040a160', UID: 'x0040a124', MeasuredValueSequence: 'x0040a300', NumericValue: 'x0040a30a',
  MeasurementUnitsCodeSequence: 'x004008ea', CodeValue: 'x00080100', CodeMeaning: 'x00080104', SOPClassUID: 'x00080016',
  ContentTemplateSequence: 'x0040a504', TemplateIdentifier: 'x0040db00', CodingSchemeIdentificationSequence: 'x00080110', CodingSchemeDesignator: 'x00080102',
} as const;

const source: SegSourceSeries = {
  study: { patientName: 'Test^Report', patientId: 'SR1', studyInstanceUid: uidFromKey('sr-test/study') },
  seriesInstanceUid: uidFromKey('sr-test/series'),
  frameOfReferenceUid: uidFromKey('sr-test/for'),
  images: [0, 1].map((k) => ({
    sopClassUid: '1.2.840.10008.5.1.4.1.1.4', sopInstanceUid: uidFromKey(`sr-test/image/${k}`), position: [0, 0, k * 4], orientation: [1, 0, 0, 0, 1, 0], rows: 8, columns: 8,
  })),
};
const created = { date: '20260101', time: '120000' };

const name = (item: DicomDataset): string => item.sequence(T.ConceptNameCodeSequence)[0]?.string(T.CodeMeaning) ?? '';
const child = (item: DicomDataset, meaning: string): DicomDataset | undefined => item.sequence(T.ContentSequence).find((c) => name(c) === meaning);

describe('TID 1500 measurement report', () => {
  const report = writeMeasurementReport({
    source, created, observer: { kind: 'person', name: 'Surgeon^Test' },
    groups: [
      {
        trackingId: 'L4-L5 herniation', finding: 'disc herniation', findingSite: 'L4-L5', side: 'left',
        measurements: [{ name: 'extrusion size', value: 6.25, unit: 'mm', rule: 'Fardon nomenclature 2.0 [Fardon]' }, { name: 'canal compromise', value: 35, unit: '%' }],
        qualitative: [{ name: 'herniation type', value: 'extrusion' }, { name: 'Pfirrmann grade', value: 'IV', rule: '[Pfirrmann2001]' }],
      },
      { trackingId: 'aorta', finding: 'stenosis', findingSite: 'aorta', measurements: [{ name: 'diameter', value: 18, unit: 'mm' }] },
    ],
  });
  const dataset = parseDicom({ bytes: report.file.bytes, source: 'sr.dcm' }).dataset;

  it('is a Comprehensive 3D SR titled Imaging Measurement Report, template 1500, declaring its local scheme', () => {
    expect(dataset.string(T.SOPClassUID)).toBe('1.2.840.10008.5.1.4.1.1.88.34');
    expect(name(dataset)).toBe('Imaging Measurement Report');
    expect(dataset.sequence(T.ContentTemplateSequence)[0]?.string(T.TemplateIdentifier)).toBe('1500');
    expect(dataset.sequence(T.CodingSchemeIdentificationSequence)[0]?.string(T.CodingSchemeDesignator)).toBe('99KEYHOLE');
    expect(child(dataset, 'Observer Type')?.sequence(T.ConceptCodeSequence)[0]?.string(T.CodeMeaning)).toBe('Person');
    expect(child(dataset, 'Image Library')!.sequence(T.ContentSequence)[0]!.sequence(T.ContentSequence)).toHaveLength(2);
  });

  it('holds one measurement group per input, with tracking, finding site, laterality, units and the rule text', () => {
    const groups = child(dataset, 'Imaging Measurements')!.sequence(T.ContentSequence);
    expect(groups).toHaveLength(2);
    const [first, second] = groups as [DicomDataset, DicomDataset];
    expect(child(first, 'Tracking Identifier')?.string(T.TextValue)).toBe('L4-L5 herniation');
    expect(child(first, 'Tracking Unique Identifier')?.string(T.UID)).toBe(report.trackingUids[0]);
    const site = child(first, 'Finding Site')!;
    expect(site.sequence(T.ConceptCodeSequence)[0]?.string(T.CodeValue)).toBe('243923001');
    expect(child(site, 'Laterality')?.sequence(T.ConceptCodeSequence)[0]?.string(T.CodeMeaning)).toBe('Left');
    const size = child(first, 'extrusion size')!;
    expect(size.string(T.ValueType)).toBe('NUM');
    const value = size.sequence(T.MeasuredValueSequence)[0]!;
    expect(value.number(T.NumericValue)).toBe(6.25);
    expect(value.sequence(T.MeasurementUnitsCodeSequence)[0]?.string(T.CodeValue)).toBe('mm');
    expect(child(size, 'Measurement Method')?.string(T.TextValue)).toBe('Fardon nomenclature 2.0 [Fardon]');
    expect(child(first, 'canal compromise')!.sequence(T.MeasuredValueSequence)[0]!.sequence(T.MeasurementUnitsCodeSequence)[0]?.string(T.CodeValue)).toBe('%');
    expect(child(first, 'Pfirrmann grade')?.string(T.TextValue)).toBe('IV');
    expect(child(second, 'Finding')?.sequence(T.ConceptCodeSequence)[0]?.string(T.CodeValue)).toBe('415582006');
    expect(child(second, 'Finding Site')?.sequence(T.ConceptCodeSequence)[0]?.string(T.CodeValue)).toBe('15825003');
    expect(child(second, 'Diameter')).toBeDefined();
  });

  it('codes sites and measurements: standard where PS3.16 has a code, stable local codes otherwise', () => {
    expect(findingSiteConcept('L4')).toMatchObject({ value: 'KH24', scheme: '99KEYHOLE' });
    expect(findingSiteConcept('kidney_left')).toMatchObject({ value: '64033007', scheme: 'SCT' });
    expect(measurementConcept('dural sac area').value).toBe(measurementConcept('Dural sac area').value);
    expect(measurementConcept('dural sac area').value).toMatch(/^KHM[0-9A-F]{8}$/);
    expect(measurementConcept('area').value).toBe('42798000');
  });

  it('refuses bad groups with the path of the bad field', () => {
    const attempt = (groups: Parameters<typeof writeMeasurementReport>[0]['groups']): KeyholeError => {
      try {
        writeMeasurementReport({ source, created, observer: { kind: 'device', name: 'x' }, groups });
      } catch (error) {
        if (error instanceof KeyholeError) return error;
        throw error;
      }
      throw new Error('expected a refusal');
    };
    expect(attempt([]).path).toBe('groups');
    expect(attempt([{ trackingId: 'a', finding: 'x', measurements: [{ name: 'h', value: Number.NaN, unit: 'mm' }] }]).path).toBe('groups[0].measurements[0].value');
    expect(attempt([{ trackingId: 'a', finding: 'x', measurements: [{ name: 'h', value: 1, unit: 'mm' }] }, { trackingId: 'a', finding: 'y', measurements: [{ name: 'h', value: 1, unit: 'mm' }] }]).path).toBe('groups[1].trackingId');
  });
});
