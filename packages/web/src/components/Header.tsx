import type { Me } from '../api/archive.ts';
import { navigate } from '../router.ts';

export function Header({ me, onSignOut, onImport, orMode, onToggleOrMode }: { readonly me: Me; readonly onSignOut: () => void; readonly onImport: () => void; readonly orMode: boolean; readonly onToggleOrMode: () => void }) {
  return (
    <header className="app-header">
      <a
        href="/"
        className="brand"
        onClick={(e) => {
          e.preventDefault();
          navigate('/');
        }}
      >
        Keyhole
      </a>
      <nav>
        <button type="button" onClick={() => navigate('/')}>
          Worklist
        </button>
        <button type="button" onClick={onImport} data-testid="open-import">
          Import
        </button>
      </nav>
      <button type="button" aria-pressed={orMode} onClick={onToggleOrMode} data-testid="toggle-or-mode" title="Operating-room mode: full screen, large type, large touch targets (O)">
        OR mode
      </button>
      <span className="who" data-testid="signed-in-as">
        {me.name} ({me.role})
      </span>
      <button type="button" onClick={onSignOut} data-testid="sign-out">
        Sign out
      </button>
    </header>
  );
}
