/** Shown on every screen (issue 4): Keyhole supports decisions, it does not make them. */
export const DISCLAIMER = 'Keyhole supports clinical decisions; it does not replace clinical judgement.';

export function Disclaimer() {
  return (
    <footer className="disclaimer" data-testid="disclaimer">
      {DISCLAIMER}
    </footer>
  );
}
