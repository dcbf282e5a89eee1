import { liveCloseCodes, type LiveEvent } from '@mentorhub/contracts';
import type { WebSocket } from '@fastify/websocket';
import type { SessionPrincipal } from '../../infra/auth/session';
import type { Metrics } from '../../infra/metrics/metrics';

/** One event for one user. */
export interface LiveDelivery {
  userId: number;
  event: LiveEvent;
}

export interface LiveHubOptions {
  heartbeatMs: number;
  maxConnectionsPerUser: number;
  /** The clock session deadlines are judged by. */
  now: () => number;
  /** A session's current deadline (use elsewhere moves it), or null once it ended. */
  sessionDeadline: (sessionId: number) => Promise<Date | null>;
}

/** Who a socket listens for, and until when (if the session is not used meanwhile): the session it was opened with. */
export type LiveSession = Pick<SessionPrincipal, 'userId' | 'sessionId' | 'expiresAt'>;

/**
 * The live sockets of this process, by user: a connection cap per user, a ping each heartbeat (a socket that did
 * not answer the previous one is terminated: its peer vanished without a close), and delivery by user id. A socket
 * lives no longer than its session: it is closed with 4401 when the session is revoked, expires or goes idle. An
 * open socket is not use of the session: at its deadline the session is read again, since other requests may have
 * moved it.
 */
export class LiveHub {
  private readonly sockets = new Map<number, Set<WebSocket>>();
  private readonly bySession = new Map<number, Set<WebSocket>>();
  private readonly sessionOf = new WeakMap<WebSocket, LiveSession>();
  private readonly answered = new WeakSet<WebSocket>();
  private readonly rechecking = new WeakSet<WebSocket>();
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
  add(session: LiveSession, socket: WebSocket): void {
    const { userId, sessionId } = session;
    if ((this.sockets.get(userId)?.size ?? 0) >= this.options.maxConnectionsPerUser) {
      socket.close(liveCloseCodes.tooManyConnections, 'Too many live connections for this account');
      return;
    }
    addTo(this.sockets, userId, socket);
    addTo(this.bySession, sessionId, socket);
    this.sessionOf.set(socket, session);
    this.answered.add(socket);
    this.metrics.liveConnections.inc();
    socket.on('pong', () => this.answered.add(socket));
    socket.once('close', () => {
      removeFrom(this.sockets, userId, socket);
      removeFrom(this.bySession, sessionId, socket);
      this.metrics.liveConnections.dec();
    });
  }

  /** Closes the sockets opened with these sessions, which were just revoked. */
  endSessions(sessionIds: readonly number[]): void {
    for (const sessionId of sessionIds) {
      for (const socket of this.bySession.get(sessionId) ?? []) endSession(socket);
    }
  }

  deliver(deliveries: readonly LiveDelivery[]): void {
    for (const { userId, event } of deliveries) this.send(this.sockets.get(userId) ?? [], event);
  }

  /** Sends `event` to every socket of this process. */
  deliverToAll(event: LiveEvent): void {
    for (const own of this.sockets.values()) this.send(own, event);
  }

  private send(sockets: Iterable<WebSocket>, event: LiveEvent): void {
    const data = JSON.stringify(event);
    for (const socket of sockets) {
      if (socket.readyState !== socket.OPEN) continue;
      socket.send(data);
      this.metrics.liveMessages.inc({ type: event.type });
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
    const now = this.options.now();
    for (const own of this.sockets.values()) {
      for (const socket of own) {
        const session = this.sessionOf.get(socket);
        if (!session || session.expiresAt.getTime() <= now) {
          if (session) this.recheckSession(socket, session);
          else endSession(socket);
          continue;
        }
        if (!this.answered.has(socket)) {
          socket.terminate();
          continue;
        }
        this.answered.delete(socket);
        socket.ping();
      }
    }
  }

  /** Closes `socket` if its session really ended; otherwise it listens until the session's new deadline. */
  private recheckSession(socket: WebSocket, session: LiveSession): void {
    if (this.rechecking.has(socket)) return;
    this.rechecking.add(socket);
    this.options
      .sessionDeadline(session.sessionId)
      .then(
        (expiresAt) => {
          if (expiresAt === null || expiresAt.getTime() <= this.options.now()) endSession(socket);
          else this.sessionOf.set(socket, { ...session, expiresAt });
        },
        () => undefined, // the database did not answer: the next heartbeat asks again
      )
      .finally(() => this.rechecking.delete(socket));
  }
}

function endSession(socket: WebSocket): void {
  socket.close(liveCloseCodes.sessionEnded, 'The session ended: sign in again');
}

function addTo(index: Map<number, Set<WebSocket>>, key: number, socket: WebSocket): void {
  let set = index.get(key);
  if (!set) index.set(key, (set = new Set()));
  set.add(socket);
}

function removeFrom(index: Map<number, Set<WebSocket>>, key: number, socket: WebSocket): void {
  const set = index.get(key);
  set?.delete(socket);
  if (set?.size === 0) index.delete(key);
}
