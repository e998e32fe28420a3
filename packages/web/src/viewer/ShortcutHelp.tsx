import { DISCLAIMER } from '../components/Disclaimer.tsx';
import { VIEWER_SHORTCUTS } from './shortcuts.ts';

/** The keyboard shortcuts of the viewer, from the same table the key handler uses. */
export function ShortcutHelp({ onClose }: { readonly onClose: () => void }) {
  return (
    <div className="dialog-backdrop" role="dialog" aria-modal="true" aria-label="Keyboard shortcuts" data-testid="shortcut-help" onClick={onClose}>
      <div className="dialog shortcut-help" onClick={(e) => e.stopPropagation()}>
        <h1>Keyboard shortcuts</h1>
        <table className="grid">
          <tbody>
            {VIEWER_SHORTCUTS.map((s) => (
              <tr key={s.label}>
                <td><kbd>{s.label}</kbd></td>
                <td>{s.description}</td>
              </tr>
            ))}
            <tr><td>Wheel</td><td>Scroll through the images (side by side: the others follow)</td></tr>
            <tr><td>Shift+click</td><td>Side by side: every viewport goes to the point clicked</td></tr>
          </tbody>
        </table>
        <div className="row end">
          <span className="dialog-disclaimer">{DISCLAIMER}</span>
          <button type="button" onClick={onClose} data-testid="close-help">Close</button>
        </div>
      </div>
    </div>
  );
}
