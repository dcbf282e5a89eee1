import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { eventually } from './local-servers.mjs';
import { livePid, stopProcess } from './processes';

const run = promisify(execFile);

export interface HAProxyOptions {
  /** Configuration, pid file and admin socket live here. */
  dir: string;
  port: number;
  /** Ports of the API processes (`/api/*`, WebSockets included) and of the web processes (everything else). */
  apiPorts: readonly number[];
  webPorts: readonly number[];
}

export type Backend = 'api' | 'web';
/** HAProxy's backends: the API's servers appear twice, in `api` and in `api_writes` (non-idempotent requests). */
export type Proxy = Backend | 'api_writes';
const proxies: readonly Proxy[] = ['api', 'api_writes', 'web'];

/** One line of the admin socket's `show stat` for a server. */
export interface ServerState {
  backend: Proxy;
  server: string;
  /** UP, DOWN, DRAIN, MAINT, … (with the transition, e.g. "UP 1/2"). */
  status: string;
  /** Requests (or WebSocket tunnels) it is serving now. */
  current: number;
}

export const serverName = (backend: Backend, index: number) => `${backend}${index + 1}`;

/**
 * The load balancer's configuration.
 * - Each request gets a new connection to its server (http-server-close): a stopping server's listener is closed,
 *   so a request never goes out on a connection the server is about to drop; a refused connection is retried on
 *   another server (redispatch) whatever the method, since nothing was sent.
 * - Idempotent requests are also retried on another server when one dies mid-request (empty response, reset).
 *   Others go through `api_writes`, the same servers (tracking the health of `api`'s) where only a refused
 *   connection is retried: such a request may have been applied, so the client gets a 502 and decides.
 * - Health checks take a server out after two failed checks of `/ready` (API) or `/robots.txt` (web).
 * - WebSocket upgrades pass through to the API; a tunnel lives as long as `timeout tunnel`.
 */
export function haproxyConfig(options: HAProxyOptions): string {
  const servers = (backend: Backend, ports: readonly number[]) =>
    ports.map((port, index) => `  server ${serverName(backend, index)} 127.0.0.1:${port}`).join('\n');
  return `global
  maxconn 4096
  stats socket ${path.join(options.dir, 'admin.sock')} mode 600 level admin
  pidfile ${path.join(options.dir, 'haproxy.pid')}

defaults
  mode http
  option http-server-close
  option forwardfor
  option redispatch 1
  retries 3
  timeout connect 2s
  timeout client 60s
  timeout server 60s
  timeout tunnel 1h
  timeout http-request 30s
  timeout queue 10s
  default-server check inter 1s fall 2 rise 1

frontend mentorhub
  bind 127.0.0.1:${options.port}
  acl idempotent method GET HEAD OPTIONS PUT DELETE
  acl to_api path_beg /api/
  use_backend api if to_api idempotent
  use_backend api_writes if to_api
  default_backend web

backend api
  balance leastconn
  retry-on conn-failure empty-response response-timeout 503
  option httpchk GET /ready
  http-check expect status 200
${servers('api', options.apiPorts)}

backend api_writes
  balance leastconn
  retry-on conn-failure
${options.apiPorts.map((port, index) => `  server ${serverName('api', index)} 127.0.0.1:${port} track api/${serverName('api', index)} no-check`).join('\n')}

backend web
  balance roundrobin
  retry-on conn-failure empty-response response-timeout
  option httpchk GET /robots.txt
  http-check expect status 200
${servers('web', options.webPorts)}
`;
}

/** HAProxy, run as a daemon, driven through its admin socket. */
export class HAProxy {
  constructor(
    readonly executable: string,
    readonly options: HAProxyOptions,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.options.port}`;
  }

  private get pidFile(): string {
    return path.join(this.options.dir, 'haproxy.pid');
  }

  pid(): number | undefined {
    return livePid(this.pidFile);
  }

  /** Writes the configuration, checks it, starts HAProxy and waits until every server is up. */
  async start(): Promise<void> {
    if (this.pid()) return;
    mkdirSync(this.options.dir, { recursive: true });
    const configFile = path.join(this.options.dir, 'haproxy.cfg');
    writeFileSync(configFile, haproxyConfig(this.options));
    await run(this.executable, ['-c', '-q', '-f', configFile]);
    await run(this.executable, ['-D', '-f', configFile]);
    // Its admin socket answers once it runs; every server is up after its first health check.
    await eventually(async () => {
      const servers = await this.servers().catch(() => undefined);
      return servers?.every((state) => state.status === 'UP') ?? false;
    }, 60_000);
  }

  async stop(): Promise<void> {
    const pid = this.pid();
    // SIGUSR1: soft stop, the connections in progress finish first.
    if (pid) await stopProcess(pid, 'SIGUSR1');
  }

  /** Sends one command to the admin socket and returns its answer. */
  command(line: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(path.join(this.options.dir, 'admin.sock'));
      let answer = '';
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => (answer += chunk));
      socket.on('end', () => {
        resolve(answer);
      });
      socket.on('error', reject);
      socket.end(`${line}\n`);
    });
  }

  /** The state of every server of every backend. */
  async servers(): Promise<ServerState[]> {
    const [header, ...lines] = (await this.command('show stat')).trim().split('\n');
    const columns = (header ?? '').replace(/^# /, '').split(',');
    const at = (name: string) => columns.indexOf(name);
    return lines
      .map((line) => line.split(','))
      .filter(
        (fields) =>
          proxies.includes((fields[at('pxname')] ?? '') as Proxy) &&
          !['FRONTEND', 'BACKEND'].includes(fields[at('svname')] ?? ''),
      )
      .map((fields) => ({
        backend: fields[at('pxname')] as Proxy,
        server: fields[at('svname')] ?? '',
        status: fields[at('status')] ?? '',
        current: Number(fields[at('scur')]),
      }));
  }

  async server(proxy: Proxy, index: number): Promise<ServerState | undefined> {
    const name = serverName(proxy === 'web' ? 'web' : 'api', index);
    return (await this.servers()).find((state) => state.backend === proxy && state.server === name);
  }

  /** `drain`: no new requests, those in progress go on; `ready`: back in rotation once its health check passes. */
  async setState(backend: Backend, index: number, state: 'drain' | 'ready'): Promise<void> {
    const server = serverName(backend, index);
    for (const proxy of backend === 'api' ? ['api', 'api_writes'] : ['web']) {
      const answer = await this.command(`set server ${proxy}/${server} state ${state}`);
      if (answer.trim())
        throw new Error(`HAProxy refused "${state}" for ${proxy}/${server}: ${answer.trim()}`);
    }
  }
}
