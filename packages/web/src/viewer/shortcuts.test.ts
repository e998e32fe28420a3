import { describe, expect, it } from 'vitest';
import { CINE_RATES, shortcutFor, stepCineRate, VIEWER_SHORTCUTS } from './shortcuts.ts';

const press = (key: string, modifiers: Partial<{ ctrlKey: boolean; metaKey: boolean; altKey: boolean }> = {}) => shortcutFor({ key, ctrlKey: false, metaKey: false, altKey: false, ...modifiers });

describe('viewer keyboard shortcuts', () => {
  it('maps the keys PACS readers expect', () => {
    expect(press('1')?.action).toEqual({ kind: 'preset', index: 0 });
    expect(press('PageDown')?.action).toEqual({ kind: 'scroll', step: 10 });
    expect(press('ArrowUp')?.action).toEqual({ kind: 'scroll', step: -1 });
    expect(press('R')?.action).toEqual({ kind: 'view', change: 'reset' });
    expect(press('i')?.action).toEqual({ kind: 'view', change: 'invert' });
    expect(press('f')?.action).toEqual({ kind: 'view', change: 'flip-h' });
    expect(press('c')?.action).toEqual({ kind: 'cine', change: 'toggle' });
    expect(press('?')?.action).toEqual({ kind: 'screen', screen: 'help' });
  });
  it('leaves browser shortcuts alone and gives each key one meaning', () => {
    expect(press('r', { ctrlKey: true })).toBeUndefined();
    expect(press('q')).toBeUndefined();
    const keys = VIEWER_SHORTCUTS.flatMap((s) => s.keys);
    expect(new Set(keys).size).toBe(keys.length);
  });
  it('steps the cine rate through the list and stops at its ends', () => {
    expect(stepCineRate(10, 1)).toBe(15);
    expect(stepCineRate(10, -1)).toBe(5);
    expect(stepCineRate(CINE_RATES[0], -1)).toBe(CINE_RATES[0]);
    expect(stepCineRate(30, 1)).toBe(30);
    expect(stepCineRate(12, 1)).toBe(15);
    expect(stepCineRate(12, -1)).toBe(10);
  });
});
