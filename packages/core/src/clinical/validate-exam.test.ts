import { describe, expect, it } from 'vitest';
import { isKeyholeError } from '../errors/keyhole-error.ts';
import { checkExam, validateExam } from './validate-exam.ts';

const issueExample = {
  complaint: 'radicular', side: 'left', durationWeeks: 10, conservativeCareWeeks: 8,
  painRegions: ['buttock', 'posterior-thigh', 'lateral-calf', 'dorsum-foot'], sensoryLoss: ['dorsum-foot'],
  weakness: { 'great-toe-extension': 4 }, reflexes: { achilles: 'normal', patellar: 'normal' },
  tests: { slr: 'positive', 'femoral-stretch': 'negative' }, redFlags: [],
};

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('validateExam', () => {
  it('accepts the example of issue 6 as written', () => {
    const exam = validateExam(issueExample);
    expect(exam.weakness['great-toe-extension']).toBe(4);
    expect(exam.tests.slr).toBe('positive');
    expect(exam.schemaVersion).toBe(1);
  });

  it('rejects an MRC grade of 7 naming the path', () => {
    const error = thrown(() => validateExam({ ...issueExample, weakness: { 'great-toe-extension': 7 } }));
    expect(isKeyholeError(error) && error.code).toBe('CLINICAL_EXAM_INVALID');
    if (!isKeyholeError(error)) return;
    expect(error.path).toBe('weakness.great-toe-extension');
    expect(error.message).toBe('at weakness.great-toe-extension: MRC grade 7 is outside 0–5');
  });

  it('rejects an unknown region naming its index, with a suggestion', () => {
    const { problems } = checkExam({ ...issueExample, painRegions: ['buttock', 'posterior-thigh', 'shin'] });
    expect(problems).toEqual([{ path: 'painRegions[2]', message: 'unknown region "shin" (did you mean "anterior-shin"?)' }]);
  });

  it('collects every problem, not only the first', () => {
    const { exam, problems } = checkExam({
      complaint: 'sciatica', side: 'up', painRegions: 'buttock', sensoryLoss: ['dorsum-foot', 3],
      weakness: { 'great-toe-extension': 7, 'toe-wiggle': 3, 'hip-flexion': 4.5 }, reflexes: { achilles: 'gone', hoffmann: 'brisk' },
      tests: { slr: true, lasegue: 'positive' }, redFlags: ['fever', 'saddle-anaesthesia'], extra: 1, durationWeeks: -2,
    });
    expect(exam).toBeUndefined();
    const paths = problems.map((p) => p.path);
    expect(paths).toEqual(expect.arrayContaining([
      'complaint', 'side', 'painRegions', 'sensoryLoss[1]', 'weakness.great-toe-extension', 'weakness.toe-wiggle', 'weakness.hip-flexion',
      'reflexes.achilles', 'reflexes.hoffmann', 'tests.slr', 'tests.lasegue', 'redFlags[1]', 'extra', 'durationWeeks',
    ]));
    expect(problems.find((p) => p.path === 'redFlags[1]')?.message).toContain('did you mean "saddle-anesthesia"');
    expect(problems.find((p) => p.path === 'reflexes.hoffmann')?.message).toBe('expected one of positive, negative, got "brisk"');
  });

  it('lists all problems in the thrown error and its details', () => {
    const error = thrown(() => validateExam({ ...issueExample, painRegions: ['buttock', 'x', 'shin'], weakness: { 'great-toe-extension': 7 } }));
    if (!isKeyholeError(error)) throw error;
    expect(error.message).toContain('painRegions[2]: unknown region "shin"');
    expect(error.message).toContain('weakness.great-toe-extension: MRC grade 7 is outside 0–5');
    expect((error.details['problems'] as unknown[]).length).toBe(3);
  });

  it('requires complaint and side; everything else defaults to empty', () => {
    expect(checkExam({}).problems.map((p) => p.path)).toEqual(['complaint', 'side']);
    const exam = validateExam({ complaint: 'axial', side: 'none' });
    expect(exam.painRegions).toEqual([]);
    expect(exam.weakness).toEqual({});
  });

  it('rejects what is not an object', () => {
    expect(checkExam([]).problems[0]?.path).toBe('(root)');
    expect(checkExam(null).problems[0]?.message).toContain('got null');
  });
});
