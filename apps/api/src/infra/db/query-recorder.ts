import { AsyncLocalStorage } from 'node:async_hooks';

export interface RecordedQuery {
  sql: string;
  durationMs: number;
  /** The read replica serves cache-miss loads when one is configured; everything else runs on the primary. */
  server: 'primary' | 'replica';
}

/** Every statement one request ran, in order: the basis of query counts, N+1 detection and Server-Timing. */
export class QueryLog {
  readonly queries: RecordedQuery[] = [];

  get count(): number {
    return this.queries.length;
  }

  /** Statements sent to the read replica. */
  get replicaCount(): number {
    return this.queries.filter((query) => query.server === 'replica').length;
  }

  get totalMs(): number {
    return this.queries.reduce((sum, query) => sum + query.durationMs, 0);
  }
}

const storage = new AsyncLocalStorage<QueryLog>();

/** Runs `fn` with a fresh query log that every statement issued inside it (however deep) is recorded into. */
export function withQueryLog<T>(log: QueryLog, fn: () => T): T {
  return storage.run(log, fn);
}

export function currentQueryLog(): QueryLog | undefined {
  return storage.getStore();
}
