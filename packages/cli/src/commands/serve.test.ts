import { mkdtempSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runServe } from './serve.ts';

describe('keyhole serve', () => {
  it('listens on HTTP and DIMSE, prints the one-time first-admin link on an empty data folder, and stops cleanly', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'keyhole-serve-'));
    let stop: () => void = () => undefined;
    const until = new Promise<void>((resolve) => (stop = resolve));
    let where: { httpUrl: string; dicomPort: number | undefined; setupLink: string | undefined } | undefined;
    const listening = new Promise<void>((resolve) => {
      const running = runServe({
        dataDir,
        port: 0,
        host: '127.0.0.1',
        dicomPort: 0,
        aeTitle: 'KEYHOLE',
        demo: 'never', // serve-demo.test.ts covers the demo case
        ...(process.env['KEYHOLE_TEST_DATABASE_URL'] !== undefined ? { databaseUrl: process.env['KEYHOLE_TEST_DATABASE_URL'] } : {}),
        until,
        onListening: (w) => {
          where = w;
          resolve();
        },
      });
      void running.then((code) => expect(code).toBe(0));
    });
    await listening;
    expect(where?.httpUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(where?.setupLink).toMatch(/\/setup\?token=/);
    expect((await fetch(`${where!.httpUrl}/healthz`)).status).toBe(200);
    // The DIMSE port accepts TCP connections.
    await new Promise<void>((resolve, reject) => {
      const socket = createConnection({ host: '127.0.0.1', port: where!.dicomPort! }, () => {
        socket.destroy();
        resolve();
      });
      socket.once('error', reject);
    });
    stop();
  });
});
