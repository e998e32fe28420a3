import type { useLabelOverlay } from './use-label-overlay.ts';
import { labelColour } from './label-slice.ts';

/** The structures of the segmentation shown over the image: names, colours, a switch for each and for all. */
export function LabelPanel({ overlay }: { readonly overlay: ReturnType<typeof useLabelOverlay> }) {
  const { state, toggle, setAll, setShown, setOpacity } = overlay;
  if (state.status === 'none') return null;
  return (
    <section className="label-panel" data-testid="label-panel">
      <h2>Labels</h2>
      {state.status === 'loading' && <p className="hint">Looking for segmentations…</p>}
      {state.problems.map((p) => (
        <p key={p.seriesUid} className="error-text" data-testid="label-problem">Segmentation {p.description} could not be read: {p.message}</p>
      ))}
      {state.segmentation !== undefined && (
        <>
          <label className="label-row">
            <input type="checkbox" checked={state.shown} onChange={(e) => setShown(e.target.checked)} data-testid="labels-shown" /> {state.segmentation.description || 'Segmentation'} ({state.structures.length})
          </label>
          <div className="label-actions">
            <button type="button" className="link" onClick={() => setAll(true)} data-testid="labels-all">All</button>
            <button type="button" className="link" onClick={() => setAll(false)} data-testid="labels-none">None</button>
            <input type="range" min={0.1} max={1} step={0.05} value={state.opacity} onChange={(e) => setOpacity(Number(e.target.value))} aria-label="Overlay opacity" title="Opacity" />
          </div>
          <ul className="label-list">
            {state.structures.map((s) => {
              const [r, g, b] = labelColour(s.value);
              return (
                <li key={s.value}>
                  <label className="label-row">
                    <input type="checkbox" checked={s.visible} onChange={() => toggle(s.value)} data-testid="structure-toggle" data-structure={s.name} />
                    <span className="swatch" style={{ background: `rgb(${r} ${g} ${b})` }} />
                    {s.name}
                  </label>
                </li>
              );
            })}
          </ul>
        </>
      )}
    </section>
  );
}
