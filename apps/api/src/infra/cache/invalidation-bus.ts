import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

interface PendingAcks {
  received: number;
  /** Known once PUBLISH answers how many subscribers got the message. */
  expected: number | undefined;
  resolve: () => void;
}

interface InvalidationMessage {
  id: string;
  origin: string;
  tags: string[];
}

/**
 * Fans tag invalidations out to every API instance over Redis pub/sub. The publisher waits until every other
 * subscribed instance acknowledges that it dropped its L1 copies (bounded by `ackTimeoutMs`), so once a write
 * returns, no instance serves what it replaced.
 */
export class InvalidationBus {
  readonly instanceId = randomUUID();
  private readonly channel: string;
  private readonly ackChannel: string;
  private readonly waiting = new Map<string, PendingAcks>();

  constructor(
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
    private readonly prefix: string,
    private readonly onRemoteInvalidation: (tags: string[]) => void,
    private readonly ackTimeoutMs: number,
  ) {
    this.channel = `${prefix}invalidate`;
    this.ackChannel = `${prefix}ack:${this.instanceId}`;
    subscriber.on('message', (channel: string, message: string) => {
      if (channel === this.channel) this.receive(message);
      else if (channel === this.ackChannel) this.acknowledged(message);
    });
  }

  /** Subscribes (again, after a reconnect); resolves once messages will be delivered. */
  async subscribe(): Promise<void> {
    await this.subscriber.subscribe(this.channel, this.ackChannel);
  }

  /** Publishes and waits for the other instances' acknowledgements; false if some did not answer in time. */
  async publish(tags: string[]): Promise<boolean> {
    const message: InvalidationMessage = { id: randomUUID(), origin: this.instanceId, tags };
    let resolve: () => void = () => undefined;
    const allAcknowledged = new Promise<void>((done) => (resolve = done));
    const pending: PendingAcks = { received: 0, expected: undefined, resolve };
    this.waiting.set(message.id, pending);
    let timer: NodeJS.Timeout | undefined;
    try {
      const receivers = await this.publisher.publish(this.channel, JSON.stringify(message));
      pending.expected = receivers - 1; // every subscriber but this instance answers
      this.settleIfComplete(pending);
      const timedOut = new Promise<boolean>(
        (done) =>
          (timer = setTimeout(() => {
            done(false);
          }, this.ackTimeoutMs)),
      );
      return await Promise.race([allAcknowledged.then(() => true), timedOut]);
    } finally {
      clearTimeout(timer);
      this.waiting.delete(message.id);
    }
  }

  private receive(raw: string): void {
    let message: InvalidationMessage;
    try {
      message = JSON.parse(raw) as InvalidationMessage;
    } catch {
      return;
    }
    if (message.origin === this.instanceId || !Array.isArray(message.tags)) return;
    this.onRemoteInvalidation(message.tags);
    this.publisher.publish(`${this.prefix}ack:${message.origin}`, message.id).catch(() => {
      // The publisher times out and carries on; nothing to do here.
    });
  }

  private acknowledged(id: string): void {
    const pending = this.waiting.get(id);
    if (!pending) return;
    pending.received += 1;
    this.settleIfComplete(pending);
  }

  private settleIfComplete(pending: PendingAcks): void {
    if (pending.expected !== undefined && pending.received >= pending.expected) pending.resolve();
  }
}
