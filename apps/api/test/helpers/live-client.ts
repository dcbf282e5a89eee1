import type { AddressInfo } from 'node:net';
import { liveEventSchema, type ErrorBody, type LiveEvent } from '@mentorhub/contracts';
import type { FastifyInstance } from 'fastify';
import { WebSocket } from 'ws';
import { ORIGIN } from './accounts';
import { eventually } from './services';

/** A real WebSocket client on a listening app, collecting every event it receives (each checked against the contract). */
export class LiveClient {
  readonly events: LiveEvent[] = [];
  closed: { code: number; reason: string } | undefined;
  /** Heartbeats received: a socket still open after several was kept, without waiting for a time. */
  pings = 0;
  private constructor(readonly socket: WebSocket) {
    socket.on('ping', () => (this.pings += 1));
    socket.on('message', (data: Buffer) => {
      this.events.push(liveEventSchema.parse(JSON.parse(data.toString('utf8'))));
    });
    socket.on('close', (code: number, reason: Buffer) => {
      this.closed = { code, reason: reason.toString('utf8') };
    });
  }

  static open(
    app: FastifyInstance,
    token: string,
    options: { autoPong?: boolean } = {},
  ): Promise<LiveClient> {
    const socket = new WebSocket(wsUrl(app), {
      headers: { cookie: `mh_session=${token}`, origin: ORIGIN },
      autoPong: options.autoPong ?? true,
    });
    const client = new LiveClient(socket);
    return new Promise((resolve, reject) => {
      socket.once('open', () => {
        resolve(client);
      });
      socket.once('error', reject);
    });
  }

  /** Waits for an event matching `predicate` and returns it. */
  async next<T extends LiveEvent['type']>(
    type: T,
    predicate: (event: Extract<LiveEvent, { type: T }>) => boolean = () => true,
  ): Promise<Extract<LiveEvent, { type: T }>> {
    const match = () =>
      this.events.find(
        (event): event is Extract<LiveEvent, { type: T }> =>
          event.type === type && predicate(event as Extract<LiveEvent, { type: T }>),
      );
    await eventually(() => match() !== undefined, 5000);
    return match() as Extract<LiveEvent, { type: T }>;
  }

  close(): void {
    this.socket.close();
  }
}

export function wsUrl(app: FastifyInstance): string {
  const { port } = app.server.address() as AddressInfo;
  return `ws://127.0.0.1:${port}/api/ws`;
}

/** The handshake's HTTP answer when the server refuses the upgrade (fails if it accepts it). */
export function upgradeRefusal(
  app: FastifyInstance,
  headers: Record<string, string>,
): Promise<{ status: number; body: ErrorBody }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(wsUrl(app), { headers });
    socket.once('open', () => {
      socket.close();
      reject(new Error('the upgrade was accepted'));
    });
    socket.once('error', () => undefined);
    socket.once('unexpected-response', (_request, response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      response.on('end', () => {
        resolve({ status: response.statusCode ?? 0, body: JSON.parse(body) as ErrorBody });
      });
    });
  });
}
