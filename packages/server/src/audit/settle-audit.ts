import type { FastifyInstance } from 'fastify';

/**
 * For tests: waits until the audit log stops growing. The audit plugin writes in Fastify's
 * onResponse hook, which runs after the response is sent, so `inject()` can resolve before the
 * last entry is committed (visible on PostgreSQL, whose round trips are slower than SQLite's).
 */
export async function settleAudit(app: FastifyInstance, quietMs = 60, timeoutMs = 3000): Promise<void> {
  const count = async (): Promise<number> => Number((await app.keyhole.db.selectFrom('audit').select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirstOrThrow()).n);
  const deadline = Date.now() + timeoutMs;
  let last = await count();
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, quietMs));
    const now = await count();
    if (now === last) return;
    last = now;
  }
}
