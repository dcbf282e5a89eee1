import type { FastifyInstance } from 'fastify';

/**
 * Runs `task` every `seconds` in this process (0: never) until the app closes. A failed run is logged with
 * `failure` and the next run retries; the timer never keeps the process alive.
 */
export function runPeriodically(
  app: FastifyInstance,
  seconds: number,
  task: () => Promise<void>,
  failure: string,
): void {
  if (seconds <= 0) return;
  const timer = setInterval(() => {
    task().catch((error: unknown) => {
      app.log.warn({ err: error }, failure);
    });
  }, seconds * 1000).unref();
  app.addHook('onClose', async () => {
    clearInterval(timer);
  });
}
