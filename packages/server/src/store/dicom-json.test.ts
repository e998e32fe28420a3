/**
 * The stored DICOM JSON (PS3.18 §F.2) agrees with DCMTK's dcm2json, an independent implementation
 * of the same model, attribute by attribute; binary values differ only where we put a BulkDataURI.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readDcmjsDict } from './dcmjs-reader.ts';
import { toDicomJson, type DicomJsonDataset } from './dicom-json.ts';
import { ctSeriesFiles, hasCtSeries, hasTool, phantomSeries, type FixtureFile } from './test-fixtures.ts';

function dcm2json(file: FixtureFile): DicomJsonDataset {
  const path = join(mkdtempSync(join(tmpdir(), 'keyhole-dcm2json-')), 'in.dcm');
  writeFileSync(path, file.bytes);
  // dcm2json cannot inline encapsulated pixel data; ours is a BulkDataURI anyway, so remove it first.
  execFileSync('dcmodify', ['-nb', '-ea', '(7fe0,0010)', path]);
  return JSON.parse(execFileSync('dcm2json', [path], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })) as DicomJsonDataset;
}

/** Differences between ours and DCMTK's, as readable lines (empty when they agree). */
function compare(ours: DicomJsonDataset, theirs: DicomJsonDataset, path = ''): string[] {
  const problems: string[] = [];
  for (const tag of new Set([...Object.keys(ours), ...Object.keys(theirs)])) {
    const a = ours[tag];
    const b = theirs[tag];
    const where = `${path}${tag}`;
    if (a?.BulkDataURI !== undefined) continue; // dcm2json inlines every binary value (and pixel data was removed)
    if (a === undefined || b === undefined) {
      problems.push(`${where}: ${a === undefined ? 'missing in ours' : 'missing in dcm2json'}`);
      continue;
    }
    if (a.vr !== b.vr && !(a.vr === 'UN' || b.vr === 'UN')) problems.push(`${where}: VR ${a.vr} vs ${b.vr}`);
    if (a.vr === 'SQ') {
      const items = (a.Value ?? []) as DicomJsonDataset[];
      const others = (b.Value ?? []) as DicomJsonDataset[];
      if (items.length !== others.length) problems.push(`${where}: ${items.length} items vs ${others.length}`);
      items.forEach((item, i) => problems.push(...compare(item, others[i] ?? {}, `${where}/${i}/`)));
      continue;
    }
    if (a.InlineBinary !== undefined || b.InlineBinary !== undefined) {
      if (a.InlineBinary !== b.InlineBinary) problems.push(`${where}: InlineBinary differs`);
      continue;
    }
    const norm = (values: unknown[] | undefined) => JSON.stringify((values ?? []).map((v) => (typeof v === 'string' ? v.trimEnd() : v)));
    if (norm(a.Value) !== norm(b.Value)) problems.push(`${where}: ${norm(a.Value).slice(0, 120)} vs ${norm(b.Value).slice(0, 120)}`);
  }
  return problems;
}

const ours = (file: FixtureFile) => toDicomJson({ dict: readDcmjsDict(file.bytes).dict, instanceUri: '/x' });

describe.skipIf(!hasTool('dcm2json') || !hasTool('dcmodify'))('DICOM JSON model agrees with DCMTK dcm2json', () => {
  it('on a phantom MR instance', () => {
    const file = phantomSeries(61).files[0]!;
    expect(Object.keys(ours(file)).length).toBeGreaterThan(40);
    expect(compare(ours(file), dcm2json(file))).toEqual([]);
  });

  it.skipIf(!hasCtSeries)('on a real Siemens CT instance (sequences, private tags, PN, DS, IS)', () => {
    const file = ctSeriesFiles()[0]!;
    expect(Object.keys(ours(file)).length).toBeGreaterThan(80);
    expect(compare(ours(file), dcm2json(file))).toEqual([]);
  });
});
