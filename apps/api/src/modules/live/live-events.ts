import { randomUUID } from 'node:crypto';
import type { Database } from '@mentorhub/db';
import type { FastifyBaseLogger } from 'fastify';
import type { Kysely, Transaction } from 'kysely';
import type { Metrics } from '../../infra/metrics/metrics';
import type { RedisConnections } from '../../infra/redis';
import { LiveHub, type LiveDelivery, type LiveHubOptions } from './live-hub';

export type { LiveDelivery } from './live-hub';

interface LiveMessage {
  origin: string;
  deliveries: LiveDelivery[];
}

/**
 * Sends committed changes to the sockets of the users concerned: at once to this instance's sockets, and with
 * Redis, over the `<prefix>live` channel to every other instance (which skip their own messages). A Redis failure
 * never fails the write that caused the event: it is logged and counted, and local sockets still get it.
 */
export class LiveEvents {
  readonly hub: LiveHub;
  private readonly instanceId = randomUUID();
  private readonly channel: string;
  private subscribed = false;
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
    if (!this.redis) return;
    const message: LiveMessage = { origin: this.instanceId, deliveries: [...deliveries] };
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

  close(): Promise<void> {
    return this.hub.close();
  }

  private listen({ subscriber }: RedisConnections): void {
    subscriber.on('message', (channel: string, raw: string) => {
      if (channel === this.channel) this.receive(raw);
    });
    subscriber.on('close', () => {
      this.subscribed = false;
    });
    // The connection does not resubscribe by itself (autoResubscribe is off): subscribe on every (re)connect.
    subscriber.on('ready', () => {
      subscriber.subscribe(this.channel).then(
        () => {
          this.subscribed = true;
        },
        (error: unknown) => {
          this.log.warn({ err: error }, 'Live events: subscribing to Redis failed; retried on reconnect');
        },
      );
    });
  }

  private receive(raw: string): void {
    let message: LiveMessage;
    try {
      message = JSON.parse(raw) as LiveMessage;
    } catch {
      return;
    }
    if (message.origin === this.instanceId || !Array.isArray(message.deliveries)) return;
    this.hub.deliver(message.deliveries);
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
