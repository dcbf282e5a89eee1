import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '@mentorhub/db';
import { buildApp } from '../../../api/src/app';
import { Cluster } from '../../../../ops/cluster/cluster';
import { freePort } from '../../../../ops/cluster/local-servers.mjs';
import {
  addExpertiseTags,
  ensureWebBuild,
  JOURNEY_LIMITS,
  journeyApiConfig,
  webDir,
  type Stack,
} from './stack';

/**
 * The cluster (`npm run cluster`): HAProxy in front of two API processes and one web process, with PgBouncer,
 * PostgreSQL and Redis of its own; the browser uses HAProxy's origin only. The fixtures, outbox drains and the
 * development mailbox use an API in this process on the same database, Redis and mail directory, not behind
 * HAProxy: what they set up is not what is tested.
 */
export async function startClusterStack(): Promise<Stack> {
  ensureWebBuild();
  const port = await freePort();
  // The origin the API processes allow and link to in mail (`npm run cluster`'s WEB_APP_URL).
  const webUrl = `http://localhost:${port}`;
  const metricsToken = randomBytes(24).toString('hex');
  const unsubscribeSecret = randomBytes(32).toString('hex');
  const cluster = await Cluster.start({
    dir: mkdtempSync(join(tmpdir(), 'mentorhub-cluster-')),
    apiProcesses: 2,
    webProcesses: 1,
    port,
    // The web app is built above; the API is built by CI before the tests.
    build: !existsSync(join(webDir, '..', 'api', 'dist', 'server.js')),
    apiEnv: {
      LOG_LEVEL: 'warn',
      SEED_DEMO_DATA: 'false',
      ...JOURNEY_LIMITS,
      // Mail is delivered only by the drains of the API in this process: a test reads it once they return.
      OUTBOX_POLL_SECONDS: '0',
      METRICS_TOKEN: metricsToken,
      UNSUBSCRIBE_SECRET: unsubscribeSecret,
    },
  });
  const closing: (() => Promise<void>)[] = [() => cluster.destroy()];
  const close = async () => {
    for (const step of closing.reverse()) await step();
  };
  try {
    const url = cluster.primary.url('mentorhub');
    const handle = await openDatabase({ url, dataDir: 'memory://', poolSize: 5 });
    closing.push(() => handle.close());
    const database = { ...handle, url };
    await addExpertiseTags(database.db);
    const config = journeyApiConfig(webUrl, join(cluster.dir, 'data'), {
      REDIS_URL: cluster.redis.url,
      UNSUBSCRIBE_SECRET: unsubscribeSecret,
    });
    const api = await buildApp(config, { database });
    closing.push(() => api.close());
    const apiPort = await freePort();
    await api.listen({ host: '127.0.0.1', port: apiPort });
    return {
      webUrl,
      apiUrl: `http://127.0.0.1:${apiPort}`,
      api,
      database,
      apiRelay: null,
      async liveConnections() {
        let total = 0;
        for (const process of cluster.processes('api')) {
          const response = await fetch(`http://127.0.0.1:${process.port}/metrics`, {
            headers: { authorization: `Bearer ${metricsToken}` },
          });
          total += Number(/^live_connections(?:\{[^}]*\})? (\d+)$/m.exec(await response.text())?.[1] ?? 0);
        }
        return total;
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
