/**
 * Test support: the independent checkers a written DICOM SEG or SR must pass — dciodvfy (Debian's
 * dicom3tools: validates the instance against the IOD definitions of the standard) and pydicom
 * (Debian's python3-pydicom: an independent parser, and numpy's unpacking of 1-bit frames).
 */
import { spawnSync } from 'node:child_process';
import { pythonWithPydicom } from '../../codecs/test-support/external-tools.ts';

export interface DciodvfyReport {
  readonly errors: readonly string[];
  readonly warnings: readonly string[];
  readonly output: string;
}

/** Runs dciodvfy on a file and splits its findings into errors and warnings. */
export function dciodvfy(path: string): DciodvfyReport {
  const result = spawnSync('dciodvfy', [path], { encoding: 'utf8' });
  if (result.error !== undefined) throw result.error;
  const output = `${result.stdout}${result.stderr}`;
  const lines = output.split('\n').map((line) => line.trim()).filter((line) => line.length > 0);
  return {
    errors: lines.filter((line) => /^Error/i.test(line)),
    warnings: lines.filter((line) => /^Warning/i.test(line)),
    output,
  };
}

/** What pydicom reads from a SEG: segments, frames (position, segment, set pixels) and per-segment voxels. */
export interface PydicomSeg {
  readonly sopClassUid: string;
  readonly segments: Array<{ number: number; label: string; type: string; category: string }>;
  readonly frames: Array<{ segment: number; position: number[]; pixels: number; sourceImage: string | null }>;
  readonly shape: number[];
}

const SEG_SCRIPT = `
import json, sys, pydicom
d = pydicom.dcmread(sys.argv[1])
arr = d.pixel_array
if arr.ndim == 2: arr = arr[None]
frames = []
for n, f in enumerate(d.PerFrameFunctionalGroupsSequence):
    src = None
    if 'DerivationImageSequence' in f:
        src = f.DerivationImageSequence[0].SourceImageSequence[0].ReferencedSOPInstanceUID
    frames.append({'segment': int(f.SegmentIdentificationSequence[0].ReferencedSegmentNumber),
                   'position': [float(v) for v in f.PlanePositionSequence[0].ImagePositionPatient],
                   'pixels': int(arr[n].sum()), 'sourceImage': src})
print(json.dumps({'sopClassUid': d.SOPClassUID,
  'segments': [{'number': int(s.SegmentNumber), 'label': s.SegmentLabel,
                'type': s.SegmentedPropertyTypeCodeSequence[0].CodeMeaning,
                'category': s.SegmentedPropertyCategoryCodeSequence[0].CodeMeaning} for s in d.SegmentSequence],
  'frames': frames, 'shape': list(arr.shape)}))
`;

/** What pydicom reads from a TID 1500 SR: title, template, and per group its tracking id, finding site and values. */
export interface PydicomSr {
  readonly title: string;
  readonly template: string;
  readonly groups: Array<{ trackingId: string; findingSite: string | null; values: Array<{ name: string; value: string; unit: string | null }> }>;
}

const SR_SCRIPT = `
import json, sys, pydicom
d = pydicom.dcmread(sys.argv[1])
def name(item): return item.ConceptNameCodeSequence[0].CodeMeaning
groups = []
for top in d.ContentSequence:
    if top.ValueType == 'CONTAINER' and name(top) == 'Imaging Measurements':
        for g in top.ContentSequence:
            entry = {'trackingId': None, 'findingSite': None, 'values': []}
            for c in g.ContentSequence:
                n = name(c)
                if n == 'Tracking Identifier': entry['trackingId'] = c.TextValue
                elif n == 'Finding Site': entry['findingSite'] = c.ConceptCodeSequence[0].CodeMeaning
                elif c.ValueType == 'NUM':
                    mv = c.MeasuredValueSequence[0]
                    entry['values'].append({'name': n, 'value': str(mv.NumericValue), 'unit': mv.MeasurementUnitsCodeSequence[0].CodeValue})
                elif c.ValueType in ('TEXT', 'CODE') and n != 'Finding':
                    v = c.TextValue if c.ValueType == 'TEXT' else c.ConceptCodeSequence[0].CodeMeaning
                    entry['values'].append({'name': n, 'value': v, 'unit': None})
            groups.append(entry)
print(json.dumps({'title': name(d), 'template': d.ContentTemplateSequence[0].TemplateIdentifier, 'groups': groups}))
`;

function runPython<T>(script: string, path: string): T {
  const python = pythonWithPydicom();
  if (python === undefined) throw new Error('python3 with pydicom and numpy is not installed');
  const result = spawnSync(python, ['-c', script, path], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`pydicom could not read ${path}: ${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}

export function readSegWithPydicom(path: string): PydicomSeg {
  return runPython<PydicomSeg>(SEG_SCRIPT, path);
}

export function readSrWithPydicom(path: string): PydicomSr {
  return runPython<PydicomSr>(SR_SCRIPT, path);
}
