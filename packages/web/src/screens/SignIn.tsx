import { useState, type FormEvent } from 'react';
import { signIn, type Me } from '../api/archive.ts';
import { ApiError } from '../api/client.ts';
import { ErrorMessage } from '../components/ErrorMessage.tsx';

/**
 * Sign-in with a Keyhole account (server accounts; the answer sets the httpOnly session cookie).
 * On a first start there is no account: the server prints a one-time link (/setup?token=…) that
 * creates the first administrator and comes back here signed in.
 */
export function SignIn({ onSignedIn }: { readonly onSignedIn: (me: Me) => void }) {
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      onSignedIn(await signIn(name, password));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <main className="sign-in">
      <h1>Keyhole</h1>
      <p className="subtitle">Endoscopic spine surgery planning workstation</p>
      <form onSubmit={(e) => void submit(e)} data-testid="sign-in-form">
        <label>
          Name
          <input name="name" autoComplete="username" value={name} onChange={(e) => setName(e.target.value)} required />
        </label>
        <label>
          Password
          <input name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
        </label>
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      {/* A refused sign-in is a 401 too: show the server's own words, not "your session has ended". */}
      {error !== undefined && (error instanceof ApiError && error.status === 401 ? <div className="banner banner-error" role="alert" data-testid="error-message">{error.message}</div> : <ErrorMessage error={error} />)}
      <p className="hint">
        First start? No account exists yet: open the one-time link the server printed when it started (<code>/setup?token=…</code>) to create the first administrator.
      </p>
    </main>
  );
}
