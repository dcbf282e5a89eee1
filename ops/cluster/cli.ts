// `npm run cluster -- [start|stop|status|rolling-restart] [--api N] [--web N] [--port N] [--dir DIR]
// [--no-build]`: the production topology on this machine (see docs/deployment.md).
import path from 'node:path';
import { parseArgs } from 'node:util';
import { findWorkspaceRoot } from '@mentorhub/db';
import { Cluster, type ClusterStatus } from './cluster';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    api: { type: 'string', default: '2' },
    web: { type: 'string', default: '2' },
    port: { type: 'string' },
    dir: { type: 'string', default: process.env.CLUSTER_DIR ?? path.join(findWorkspaceRoot(), '.cluster') },
    'no-build': { type: 'boolean', default: false },
  },
});
const command = positionals[0] ?? 'start';
const dir = path.resolve(values.dir);
const log = (line: string) => {
  console.log(`· ${line}`);
};

function count(name: string, value: string, min: number, max = 16): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < min || parsed > max) {
    console.error(`--${name} must be a whole number from ${min} to ${max}`);
    process.exit(2);
  }
  return parsed;
}

function print(status: ClusterStatus): void {
  const line = (name: string, where: string, state: string) => {
    console.log(`${name.padEnd(12)} ${where.padEnd(52)} ${state}`);
  };
  const servers = new Map(
    status.haproxy.servers.map((server) => [`${server.backend}/${server.server}`, server]),
  );
  line('HAProxy', status.url, status.haproxy.pid ? `running (pid ${status.haproxy.pid})` : 'stopped');
  for (const process of status.processes) {
    const server = servers.get(`${process.backend}/${process.backend}${process.index + 1}`);
    line(
      `${process.backend} ${process.index + 1}`,
      `http://127.0.0.1:${process.port}`,
      (process.alive ? `running (pid ${process.pid})` : 'stopped') +
        (server ? `, HAProxy: ${server.status}, ${server.current} in progress` : ''),
    );
  }
  line('primary', status.primary.url, status.primary.running ? 'running' : 'stopped');
  for (const standby of status.primary.replication)
    line(
      '  streaming',
      `to ${String(standby.application_name)}`,
      `${String(standby.state)}, replayed ${String(standby.replay_lsn)}, ${String(standby.replay_lag_bytes)} bytes behind`,
    );
  const { replica } = status;
  line(
    'replica',
    replica.url,
    replica.running
      ? `running, ${replica.inRecovery ? 'in recovery (read-only)' : 'NOT in recovery'}, replayed ${replica.replayLsn ?? '?'}` +
          (replica.lagSeconds === null ? '' : `, last replayed commit ${replica.lagSeconds.toFixed(1)} s ago`)
      : 'stopped',
  );
  line(
    'PgBouncer',
    status.pgbouncer.url,
    status.pgbouncer.pid ? `running (pid ${status.pgbouncer.pid})` : 'stopped',
  );
  line('Redis', status.redis.url, status.redis.pid ? `running (pid ${status.redis.pid})` : 'stopped');
}

async function opened(): Promise<Cluster> {
  const cluster = await Cluster.open(dir);
  if (!cluster) {
    console.error(`No cluster in ${dir}: start one with npm run cluster`);
    process.exit(1);
  }
  return cluster;
}

switch (command) {
  case 'start': {
    const cluster = await Cluster.start(
      {
        dir,
        apiProcesses: count('api', values.api, 1),
        webProcesses: count('web', values.web, 0),
        ...(values.port !== undefined && { port: count('port', values.port, 1, 65_535) }),
        build: !values['no-build'],
      },
      log,
    );
    console.log(`\nMentorHub cluster in ${dir} (logs in ${path.join(dir, 'logs')}):\n`);
    print(await cluster.status());
    console.log(`\nOpen ${cluster.url}`);
    break;
  }
  case 'status':
    print(await (await opened()).status());
    break;
  case 'stop':
    await (await opened()).stop(log);
    break;
  case 'rolling-restart':
    await (await opened()).rollingRestart(log);
    break;
  default:
    console.error(`Unknown command "${command}": start, stop, status or rolling-restart`);
    process.exit(2);
}
