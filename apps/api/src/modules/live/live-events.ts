import { randomUUID } from 'node:crypto';
import type { Database } from '@mentorhub/db';
import type { FastifyBaseLogger } from 'fastify';
import type { Kysely, Transaction } from 'kysely';
import type { Metrics } from '../../infra/metrics/metrics';
import { subscribeOnEveryConnect, type RedisConnections } from '../../infra/redis';
import { LiveHub, type LiveDelivery, type LiveHubOptions } from './live-hub';

export type { LiveDelivery } from './live-hub';

/** What one instance tells the others: events to deliver, sessions whose sockets must close, or "re-read". */
interface LiveMessage {
  origin: string;
  deliveries?: LiveDelivery[];
  endedSessions?: number[];
  resync?: true;
}

/**
 * Sends committed changes to the sockets of the users concerned: at once to this instance's sockets, and with
 * Redis, over the `<prefix>live` channel to every other instance (which skip their own messages). Revoked sessions
 * travel the same way, so a sign-out closes that session's sockets on every instance. A Redis failure never fails
 * the write that caused the message: it is logged and counted, and local sockets still get it. Events sent while
 * an instance was cut off from Redis are lost to the others, so once it is back every socket is told to re-read.
 */
export class LiveEvents {
  readonly hub: LiveHub;
  private readonly instanceId = randomUUID();
  private readonly channel: string;
  private subscribed = false;
  private everSubscribed = false;
  /** One warning per outage, like the cache's, not one per write. */
  private publishFailing = false;

  constructor(
    options: LiveHubOptions & { prefix: string },
    private readonly redis: RedisConnections | undefined,
    private readonly metrics: Metrics,
    private readonly log: FastifyBaseLogger,
  ) {
    this.hub = new LiveHub(options, metrics);
    this.channel = `${options.prefix}live`;
    if (redis) this.listen(redis);
  }

  /** True while this instance hears the other instances' events (always, without Redis). */
  get fannedOut(): boolean {
    return this.redis === undefined || this.subscribed;
  }

  /** Call only after the change committed (see `withLiveEvents`). */
  publish(deliveries: readonly LiveDelivery[]): void {
    if (deliveries.length === 0) return;
    this.hub.deliver(deliveries);
    this.broadcast({ deliveries: [...deliveries] });
  }

  /** Call once these sessions were revoked: their sockets close with 4401, here and on the other instances. */
  endSessions(sessionIds: readonly number[]): void {
    if (sessionIds.length === 0) return;
    this.hub.endSessions(sessionIds);
    this.broadcast({ endedSessions: [...sessionIds] });
  }

  close(): Promise<void> {
    return this.hub.close();
  }

  private broadcast(content: Omit<LiveMessage, 'origin'>): void {
    if (!this.redis) return;
    const message: LiveMessage = { origin: this.instanceId, ...content };
    this.redis.client.publish(this.channel, JSON.stringify(message)).then(
      () => {
        this.publishFailing = false;
      },
      (error: unknown) => {
        this.metrics.livePublishErrors.inc();
        if (!this.publishFailing)
          this.log.warn({ err: error }, 'Live events not published to Redis: other instances miss them');
        this.publishFailing = true;
      },
    );
  }

  private listen({ subscriber }: RedisConnections): void {
    subscriber.on('message', (channel: string, raw: string) => {
      if (channel === this.channel) this.receive(raw);
    });
    subscriber.on('close', () => {
      this.subscribed = false;
    });
    subscribeOnEveryConnect(subscriber, () => subscriber.subscribe(this.channel), {
      subscribed: () => {
        this.subscribed = true;
        if (this.everSubscribed) this.resync();
        this.everSubscribed = true;
      },
      failed: (error) => {
        this.log.warn(
          { err: error },
          'Live events: subscribing to Redis failed; reconnecting to subscribe again',
        );
      },
    });
  }

  /**
   * Back after an outage: events from or to this instance may have been missed, here and on the others. The other
   * instances are told through the publishing connection, which reconnects on its own and may come back after the
   * subscriber: a publish before it is ready would be refused (no offline queue), and they would never re-read.
   */
  private resync(): void {
    this.hub.deliverToAll({ type: 'resync' });
    const publisher = this.redis?.client;
    if (!publisher || publisher.status === 'ready') this.broadcast({ resync: true });
    else
      publisher.once('ready', () => {
        this.broadcast({ resync: true });
      });
  }

  private receive(raw: string): void {
    let message: LiveMessage;
    try {
      message = JSON.parse(raw) as LiveMessage;
    } catch {
      return;
    }
    if (message.origin === this.instanceId) return;
    if (Array.isArray(message.deliveries)) this.hub.deliver(message.deliveries);
    if (Array.isArray(message.endedSessions)) this.hub.endSessions(message.endedSessions);
    if (message.resync === true) this.hub.deliverToAll({ type: 'resync' });
  }
}

/**
 * Runs `work` in one transaction and publishes the events it queued only once the transaction committed: a
 * rolled-back or refused change is never announced, and nobody hears of a change before they could read it.
 */
export async function withLiveEvents<T>(
  db: Kysely<Database>,
  live: LiveEvents,
  work: (trx: Transaction<Database>, outbox: LiveDelivery[]) => Promise<T>,
): Promise<T> {
  const outbox: LiveDelivery[] = [];
  const result = await db.transaction().execute((trx) => work(trx, outbox));
  live.publish(outbox);
  return result;
}
