/**
 * Whether the server answers. A request that cannot reach the server marks the connection lost;
 * while lost, /healthz is polled so that the banner goes away by itself when the server is back.
 * A 401 tells the app the session has ended (the sign-in screen shows).
 */
export type ConnectionState = 'online' | 'lost';

type Listener = () => void;

const RETRY_MS = 3000;

class ConnectionMonitor {
  private state: ConnectionState = 'online';
  private readonly listeners = new Set<Listener>();
  private readonly signedOutListeners = new Set<Listener>();
  private timer: ReturnType<typeof setTimeout> | undefined;

  get current(): ConnectionState {
    return this.state;
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onSignedOut(listener: Listener): () => void {
    this.signedOutListeners.add(listener);
    return () => this.signedOutListeners.delete(listener);
  }

  reportFailure(): void {
    if (this.state === 'lost') return;
    this.set('lost');
    this.poll();
  }

  reportSuccess(): void {
    if (this.state === 'online') return;
    this.set('online');
  }

  reportSignedOut(): void {
    for (const listener of this.signedOutListeners) listener();
  }

  private set(state: ConnectionState): void {
    this.state = state;
    for (const listener of this.listeners) listener();
  }

  private poll(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      fetch('/healthz', { cache: 'no-store' })
        .then((response) => (response.ok ? this.set('online') : this.poll()))
        .catch(() => this.poll());
    }, RETRY_MS);
  }
}

export const connection = new ConnectionMonitor();
