import { describe, expect, it } from 'vitest';
import { keepOutGroupOf } from './keep-out.ts';

describe('keep-out groups by structure name', () => {
  const level = { upper: 'L4', lower: 'L5', lowerLabel: 'L5' };
  it("keeps out the native-CT surroundings' conservative unions like the organs they stand for (viscera margin)", () => {
    expect(keepOutGroupOf('retroperitoneal_keep_out', level, 'left')).toBe('organs');
    expect(keepOutGroupOf('peritoneal_keep_out', level, 'right')).toBe('organs');
    expect(keepOutGroupOf('bowel_gas', level, 'left')).toBe('bowel');
    expect(keepOutGroupOf('ilium_left', level, 'left')).toBe('iliac_bone');
  });
  it('leaves passable tissue alone', () => {
    for (const name of ['fat', 'abdominal_wall', 'psoas_left', 'paraspinal_right']) expect(keepOutGroupOf(name, level, 'left'), name).toBeUndefined();
  });
});
