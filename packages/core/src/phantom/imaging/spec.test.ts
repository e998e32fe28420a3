import { describe, expect, it } from 'vitest';
import { KeyholeError } from '../../errors/keyhole-error.ts';
import { parsePhantomSpec } from './spec.ts';

function failure(run: () => unknown): KeyholeError {
  try {
    run();
  } catch (error) {
    if (error instanceof KeyholeError) return error;
    throw error;
  }
  throw new Error('expected a KeyholeError');
}

describe('parsePhantomSpec', () => {
  it('fills defaults: CT, seed 1, T10-S1, supine, 3d', () => {
    expect(parsePhantomSpec({})).toEqual({
      seed: 1, levels: { from: 'T10', to: 'S1' }, variant: { kind: 'none' }, pathology: [], modality: 'ct', protocol: '3d', position: 'supine',
    });
    expect(parsePhantomSpec({ modality: 'MR-T2' }).protocol).toBe('sagittal');
  });

  it('parses the documented examples', () => {
    const spec = parsePhantomSpec({
      modality: 'mr-t2', seed: '42', levels: 'T12-S1', position: 'HFP', protocol: 'axial-angled',
      pathology: ['herniation:L4-L5:left:subarticular:extrusion:down', 'stenosis:L3-L4:central:severe', 'listhesis:L5:15', 'fracture:L1:30', 'herniation:L5-S1:central:protrusion', 'stenosis:L5-S1:foraminal:right:2'],
    });
    expect(spec.seed).toBe(42);
    expect(spec.position).toBe('prone');
    expect(spec.pathology).toEqual([
      { kind: 'disc-herniation', level: 'L4-L5', zone: 'subarticular', type: 'extrusion', side: 'left', migration: { direction: 'down', grade: 'low' } },
      { kind: 'central-stenosis', level: 'L3-L4', grade: 'severe' },
      { kind: 'spondylolisthesis', level: 'L5-S1', slipPercent: 15 },
      { kind: 'compression-fracture', level: 'L1', heightLossPercent: 30 },
      { kind: 'disc-herniation', level: 'L5-S1', zone: 'central', type: 'protrusion' },
      { kind: 'foraminal-stenosis', level: 'L5-S1', side: 'right', grade: 2 },
    ]);
  });

  it('parses variants', () => {
    expect(parsePhantomSpec({ variant: 'sacralized-L5:IIIb' }).variant).toEqual({ kind: 'sacralized-L5', castellvi: 'IIIb' });
    expect(parsePhantomSpec({ variant: 'lumbarized-S1:IIa:right' }).variant).toEqual({ kind: 'lumbarized-S1', castellvi: 'IIa', side: 'right' });
    expect(parsePhantomSpec({ variant: 'six-lumbar' }).variant).toEqual({ kind: 'six-lumbar' });
    expect(parsePhantomSpec({ variant: 't13' }).variant).toEqual({ kind: 'T13' });
    // listhesis by vertebra follows the variant: with six lumbar vertebrae, the disc below L5 is L5-L6.
    expect(parsePhantomSpec({ variant: 'six-lumbar', pathology: ['listhesis:L5:20'] }).pathology[0]).toMatchObject({ level: 'L5-L6' });
  });

  it.each([
    [{ modality: 'pet' }, 'modality', /unknown modality 'pet'/],
    [{ seed: '-3' }, 'seed', /whole number/],
    [{ levels: 'T10' }, 'levels', /<from>-<to>/],
    [{ levels: 'X1-S1' }, 'levels.from', /unknown vertebra 'X1'/],
    [{ variant: 'sacralized-L5' }, 'variant.castellvi', /needs a Castellvi type/],
    [{ variant: 'sacralized-L5:V' }, 'variant.castellvi', /unknown Castellvi type 'V'/],
    [{ pathology: ['herniation:L4-L5:left:lateral:extrusion'] }, 'pathology[0].zone', /unknown herniation zone 'lateral'/],
    [{ pathology: ['fracture:L1:30', 'listhesis:L4:150'] }, 'pathology[1].slipPercent', /0 to 100/],
    [{ pathology: ['herniation:L9-L10:left:foraminal:extrusion'] }, 'pathology[0].level', /unknown vertebra 'L9'/],
    [{ levels: 'L1-S1', pathology: ['stenosis:T11-T12:central:mild'] }, 'pathology[0].level', /not in the scene/],
    [{ pathology: ['tumour:L3'] }, 'pathology[0].kind', /unknown pathology 'tumour'/],
    [{ position: 'standing' }, 'position', /unknown patient position/],
    [{ protocol: 'coronal' }, 'protocol', /unknown protocol/],
  ])('rejects %j at %s', (input, path, message) => {
    const error = failure(() => parsePhantomSpec(input));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.path).toBe(path);
    expect(error.message).toMatch(message);
    expect(error.message.startsWith(`at ${path}: `)).toBe(true);
  });
});
