import { createServer } from 'node:net';

/** A TCP port free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Polls `url` until it answers 2xx (or the child exits, or the deadline passes). */
export async function waitForHttp(url: string, options: { timeoutMs: number; exited: () => boolean; log: () => string; headers?: Record<string, string> }): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    if (options.exited()) throw new Error(`the server exited during start-up: ${options.log().slice(-2000)}`);
    const ready = await fetch(url, options.headers !== undefined ? { headers: options.headers } : {}).then((r) => r.ok, () => false);
    if (ready) return;
    if (Date.now() > deadline) throw new Error(`${url} did not answer within ${options.timeoutMs} ms: ${options.log().slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
