import { liveCloseCodes, type LiveEvent } from '@mentorhub/contracts';
import type { WebSocket } from '@fastify/websocket';
import type { Metrics } from '../../infra/metrics/metrics';

/** One event for one user. */
export interface LiveDelivery {
  userId: number;
  event: LiveEvent;
}

export interface LiveHubOptions {
  heartbeatMs: number;
  maxConnectionsPerUser: number;
}

/**
 * The live sockets of this process, by user: a connection cap per user, a ping each heartbeat (a socket that did
 * not answer the previous one is terminated: its peer vanished without a close), and delivery by user id.
 */
export class LiveHub {
  private readonly sockets = new Map<number, Set<WebSocket>>();
  private readonly answered = new WeakSet<WebSocket>();
  private readonly heartbeat: NodeJS.Timeout;

  constructor(
    private readonly options: LiveHubOptions,
    private readonly metrics: Metrics,
  ) {
    this.heartbeat = setInterval(() => {
      this.checkPulses();
    }, options.heartbeatMs).unref();
  }

  /** Starts delivering to `socket`, or closes it with 4429 when the user already has the maximum open. */
  add(userId: number, socket: WebSocket): void {
    let own = this.sockets.get(userId);
    if ((own?.size ?? 0) >= this.options.maxConnectionsPerUser) {
      socket.close(liveCloseCodes.tooManyConnections, 'Too many live connections for this account');
      return;
    }
    if (!own) this.sockets.set(userId, (own = new Set()));
    own.add(socket);
    this.answered.add(socket);
    this.metrics.liveConnections.inc();
    socket.on('pong', () => this.answered.add(socket));
    socket.once('close', () => {
      own.delete(socket);
      if (own.size === 0 && this.sockets.get(userId) === own) this.sockets.delete(userId);
      this.metrics.liveConnections.dec();
    });
  }

  deliver(deliveries: readonly LiveDelivery[]): void {
    for (const { userId, event } of deliveries) {
      const own = this.sockets.get(userId);
      if (!own) continue;
      const data = JSON.stringify(event);
      for (const socket of own) {
        if (socket.readyState !== socket.OPEN) continue;
        socket.send(data);
        this.metrics.liveMessages.inc({ type: event.type });
      }
    }
  }

  /**
   * Stops the heartbeat and closes every socket as "going away" (1001), so clients reconnect to another instance;
   * sockets whose peer does not finish the closing handshake within `graceMs` are cut, so shutdown never hangs.
   */
  async close(graceMs = 1000): Promise<void> {
    clearInterval(this.heartbeat);
    const open = [...this.sockets.values()].flatMap((own) => [...own]);
    const closed = open.map((socket) => new Promise((resolve) => socket.once('close', resolve)));
    for (const socket of open) socket.close(1001, 'Server shutting down');
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(closed),
      new Promise((resolve) => (timer = setTimeout(resolve, graceMs))),
    ]);
    clearTimeout(timer);
    for (const socket of open) socket.terminate();
  }

  private checkPulses(): void {
    for (const own of this.sockets.values()) {
      for (const socket of own) {
        if (!this.answered.has(socket)) {
          socket.terminate();
          continue;
        }
        this.answered.delete(socket);
        socket.ping();
      }
    }
  }
}
