import { LRUCache } from 'lru-cache';
import type { RateLimiter } from '../../infra/auth/rate-limiter';
import { RateLimitedError } from '../../infra/errors/app-error';

/** The window of each client's GraphQL cost budget. */
const COST_WINDOW_SECONDS = 60;

/** The most refused clients one process remembers (the least recently seen go first): a flood stays bounded. */
const MAX_REFUSED_CLIENTS = 10_000;

/**
 * Each client's GraphQL cost per minute, charged only for queries that reached the database: a query answered
 * from the cache costs the budget nothing, as a cached REST read does. A query is charged after it ran, so the one
 * that spends the budget is still answered; its client's next queries are refused here, in process, with no Redis
 * round trip, until the window ends. With several instances, each learns of a refusal from its own first charge
 * over the budget.
 */
export class CostBudget {
  /** Until when (by the app's clock) each refused client stays refused. */
  private readonly refusedUntil = new LRUCache<string, number>({ max: MAX_REFUSED_CLIENTS });

  constructor(
    private readonly limiter: RateLimiter,
    private readonly costPerMinute: number,
    private readonly clock: () => number,
  ) {}

  /** Throws 429 with the time left while this process knows the client's budget is spent. */
  refuseIfSpent(clientAddress: string): void {
    const until = this.refusedUntil.get(clientAddress);
    if (until === undefined) return;
    const leftMs = until - this.clock();
    if (leftMs > 0) throw new RateLimitedError(Math.ceil(leftMs / 1000));
    this.refusedUntil.delete(clientAddress);
  }

  /** Charges a query that ran to its client; a charge beyond the budget refuses the client's next queries. */
  async charge(clientAddress: string, cost: number): Promise<void> {
    const result = await this.limiter.hit(
      `graphql:cost:${clientAddress}`,
      this.costPerMinute,
      COST_WINDOW_SECONDS,
      cost,
    );
    if (!result.allowed) this.refusedUntil.set(clientAddress, this.clock() + result.retryAfterSeconds * 1000);
  }
}
