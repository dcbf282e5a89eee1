import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Cluster } from '../../../ops/cluster/cluster';
import { freePort } from '../../../ops/cluster/local-servers.mjs';
import { clusterCanRun, processesOf } from './helpers/cluster';

const canRun = await clusterCanRun();

describe.skipIf(!canRun)('a cluster start that fails part-way', () => {
  it('stops every piece it had started before the error reaches the caller', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'mentorhub-cluster-'));
    // HAProxy starts last: with its port taken, every other piece is already running when the start fails.
    const taken = createServer();
    const port = await freePort();
    await new Promise<void>((resolve) => taken.listen(port, '127.0.0.1', resolve));
    try {
      const started = Cluster.start({ dir, apiProcesses: 1, webProcesses: 0, port, build: false });
      await expect(started).rejects.toThrow(/haproxy/);
      expect(processesOf(dir)).toEqual([]);
      // The API process had started (its pid was kept) and was stopped with the rest.
      const [api] = (await Cluster.open(dir))?.processes('api') ?? [];
      expect(api?.pid).toEqual(expect.any(Number));
    } finally {
      await new Promise((resolve) => taken.close(resolve));
      await (await Cluster.open(dir))?.destroy();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);
});
