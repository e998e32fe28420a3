/**
 * The viewer's keyboard shortcuts, as PACS readers expect them (number keys for window presets,
 * arrows and Page Up/Down through the stack, R reset, I invert, F flip, C cine …). One table: the
 * key handler and the help overlay (press ?) both read it, so the help never drifts from the keys.
 */
export type ShortcutAction =
  | { readonly kind: 'tool'; readonly tool: string }
  | { readonly kind: 'preset'; readonly index: number }
  | { readonly kind: 'scroll'; readonly step: number | 'first' | 'last' }
  | { readonly kind: 'view'; readonly change: 'flip-h' | 'flip-v' | 'rotate-left' | 'rotate-right' | 'invert' | 'reset' }
  | { readonly kind: 'cine'; readonly change: 'toggle' | 'faster' | 'slower' }
  | { readonly kind: 'screen'; readonly screen: 'mpr' | 'compare' | 'or-mode' | 'help' };

export interface Shortcut {
  /** KeyboardEvent.key values (letters lower case). */
  readonly keys: readonly string[];
  /** How the help overlay writes the keys. */
  readonly label: string;
  readonly description: string;
  readonly action: ShortcutAction;
}

export const VIEWER_SHORTCUTS: readonly Shortcut[] = [
  { keys: ['w'], label: 'W', description: 'Window/level with the left button', action: { kind: 'tool', tool: 'window' } },
  { keys: ['p'], label: 'P', description: 'Pan with the left button (middle button always pans)', action: { kind: 'tool', tool: 'pan' } },
  { keys: ['z'], label: 'Z', description: 'Zoom with the left button (right button always zooms)', action: { kind: 'tool', tool: 'zoom' } },
  { keys: ['l'], label: 'L', description: 'Length', action: { kind: 'tool', tool: 'length' } },
  { keys: ['a'], label: 'A', description: 'Angle', action: { kind: 'tool', tool: 'angle' } },
  { keys: ['b'], label: 'B', description: 'Cobb angle (two end-plate lines)', action: { kind: 'tool', tool: 'cobb' } },
  { keys: ['e'], label: 'E', description: 'Ellipse ROI (mean, SD, min, max, area)', action: { kind: 'tool', tool: 'ellipse' } },
  { keys: ['g'], label: 'G', description: 'Rectangle ROI (mean, SD, min, max, area)', action: { kind: 'tool', tool: 'rectangle' } },
  { keys: ['1'], label: '1', description: 'Window preset: bone (CT)', action: { kind: 'preset', index: 0 } },
  { keys: ['2'], label: '2', description: 'Window preset: soft tissue (CT)', action: { kind: 'preset', index: 1 } },
  { keys: ['3'], label: '3', description: 'Window preset: spine MRI', action: { kind: 'preset', index: 2 } },
  { keys: ['arrowup'], label: '↑', description: 'Previous image', action: { kind: 'scroll', step: -1 } },
  { keys: ['arrowdown'], label: '↓', description: 'Next image', action: { kind: 'scroll', step: 1 } },
  { keys: ['pageup'], label: 'Page Up', description: '10 images back', action: { kind: 'scroll', step: -10 } },
  { keys: ['pagedown'], label: 'Page Down', description: '10 images on', action: { kind: 'scroll', step: 10 } },
  { keys: ['home'], label: 'Home', description: 'First image', action: { kind: 'scroll', step: 'first' } },
  { keys: ['end'], label: 'End', description: 'Last image', action: { kind: 'scroll', step: 'last' } },
  { keys: ['arrowleft'], label: '←', description: 'Rotate 90° counter-clockwise', action: { kind: 'view', change: 'rotate-left' } },
  { keys: ['arrowright'], label: '→', description: 'Rotate 90° clockwise', action: { kind: 'view', change: 'rotate-right' } },
  { keys: ['f', 'h'], label: 'F or H', description: 'Flip horizontally', action: { kind: 'view', change: 'flip-h' } },
  { keys: ['v'], label: 'V', description: 'Flip vertically', action: { kind: 'view', change: 'flip-v' } },
  { keys: ['i'], label: 'I', description: 'Invert grey scale', action: { kind: 'view', change: 'invert' } },
  { keys: ['r'], label: 'R', description: 'Reset zoom, pan, rotation, flips, window and inversion', action: { kind: 'view', change: 'reset' } },
  { keys: ['c'], label: 'C', description: 'Cine: play / pause', action: { kind: 'cine', change: 'toggle' } },
  { keys: ['+', '='], label: '+', description: 'Cine faster', action: { kind: 'cine', change: 'faster' } },
  { keys: ['-'], label: '−', description: 'Cine slower', action: { kind: 'cine', change: 'slower' } },
  { keys: ['m'], label: 'M', description: 'MPR (axial, sagittal, coronal, oblique)', action: { kind: 'screen', screen: 'mpr' } },
  { keys: ['s'], label: 'S', description: 'Series side by side, position synchronised', action: { kind: 'screen', screen: 'compare' } },
  { keys: ['o'], label: 'O', description: 'Operating-room mode: full screen, large type', action: { kind: 'screen', screen: 'or-mode' } },
  { keys: ['?'], label: '?', description: 'This help (Esc closes it)', action: { kind: 'screen', screen: 'help' } },
];

/** Cine frame rates offered (frames per second); + and − step through them. */
export const CINE_RATES = [2, 5, 10, 15, 20, 30] as const;
export const DEFAULT_CINE_RATE = 10;

/** The shortcut of a key press, or undefined (modifiers other than Shift are never shortcuts: Ctrl+R stays the browser's). */
export function shortcutFor(event: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey'>, table: readonly Shortcut[] = VIEWER_SHORTCUTS): Shortcut | undefined {
  if (event.ctrlKey || event.metaKey || event.altKey) return undefined;
  const key = event.key.length === 1 ? event.key.toLowerCase() : event.key.toLowerCase();
  return table.find((s) => s.keys.includes(key));
}

/** The next cine rate up or down the list (stays at the ends). */
export function stepCineRate(current: number, direction: 1 | -1): number {
  const index = CINE_RATES.findIndex((r) => r >= current);
  const at = index < 0 ? CINE_RATES.length - 1 : index;
  return CINE_RATES[Math.min(CINE_RATES.length - 1, Math.max(0, (CINE_RATES[at] === current ? at : direction > 0 ? at - 1 : at) + direction))]!;
}
