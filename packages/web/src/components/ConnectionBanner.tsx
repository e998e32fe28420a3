import { useSyncExternalStore } from 'react';
import { connection } from '../api/connection.ts';

/** A banner while the server cannot be reached; it goes away by itself when the server answers again. */
export function ConnectionBanner() {
  const state = useSyncExternalStore((listener) => connection.subscribe(listener), () => connection.current);
  if (state === 'online') return null;
  return (
    <div className="banner banner-error" role="alert" data-testid="connection-lost">
      The connection to the Keyhole server is lost. Retrying every few seconds — what is on screen stays; changes are not saved until the server is back.
    </div>
  );
}
