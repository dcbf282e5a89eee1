// `npm run test:pgbouncer -- [start|stop] [--port N] [--server HOST:PORT]`: the PgBouncer (transaction mode, a `*`
// entry) the pooled test pass goes through, in front of the PostgreSQL server at HOST:PORT. `start` leaves one
// that already runs on that port as it is; both print the DATABASE_URL to test with.
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { findProgram } from '../cluster/debian';
import { PgBouncer } from '../cluster/pgbouncer';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    port: { type: 'string', default: '6432' },
    server: { type: 'string', default: '127.0.0.1:5432' },
  },
});
const command = positionals[0] ?? 'start';
const port = Number(values.port);
const [host = '', serverPort = ''] = values.server.split(':');
if (!['start', 'stop'].includes(command) || !Number.isInteger(port) || !host || !Number(serverPort)) {
  console.error('usage: npm run test:pgbouncer -- [start|stop] [--port N] [--server HOST:PORT]');
  process.exit(2);
}

const executable = findProgram('pgbouncer');
if (!executable) {
  console.error('PgBouncer is not installed: apt-get install -y pgbouncer');
  process.exit(1);
}
const pgbouncer = new PgBouncer(executable, {
  // One directory per port: configuration, log and pid file of the PgBouncer listening there.
  dir: path.join(tmpdir(), `mentorhub-test-pgbouncer-${port}`),
  port,
  server: { host, port: Number(serverPort) },
});
if (command === 'stop') {
  await pgbouncer.stop();
  console.log(`PgBouncer on port ${port} stopped`);
} else {
  await pgbouncer.start();
  console.log(
    `PgBouncer (transaction mode) on port ${port}, pid ${pgbouncer.pid() ?? '?'}, in front of ${values.server}`,
  );
  console.log(`DATABASE_URL=${pgbouncer.url()} DATABASE_TRANSACTION_POOLING=true`);
}
