import { errorCodes } from '@mentorhub/contracts';
import type { LightMyRequestResponse } from 'fastify';
import { sql, type Kysely } from 'kysely';

/** Text that only a server's insides write: stack frames, source paths, SQL and driver messages, JS errors. */
const leakPatterns = [
  /\n\s+at [\w.<>$]+ \(/,
  /\bat (?:async )?[\w.<>$]+ \((?:file:|node:|\/)/,
  /(?:\/[\w.@-]+){2,}\.(?:[cm]?js|ts)\b/,
  /node_modules/,
  /\b(?:SELECT|INSERT INTO|UPDATE|DELETE FROM)\b[^"]{0,80}\b(?:FROM|VALUES|SET|WHERE)\b/,
  /violates (?:unique|foreign key|check|not-null) constraint/,
  /syntax error at or near/,
  /out of range for type/,
  /invalid input syntax for type/,
  /duplicate key value/,
  /Cannot read propert(?:y|ies) of/,
  /is not (?:a function|iterable)/,
  /\b(?:TypeError|RangeError|ReferenceError|SyntaxError):/,
];

/** What is wrong with a response, or null. `sent` is the request text: input echoed back is no leak. */
export function responseProblem(response: LightMyRequestResponse, sent: string): string | null {
  if (response.statusCode >= 500) return `answered ${response.statusCode}`;
  for (const pattern of leakPatterns) {
    const match = pattern.exec(response.body);
    if (match && !sent.includes(match[0])) return `leaks internal text: ${JSON.stringify(match[0])}`;
  }
  if (response.statusCode >= 400) {
    let body: unknown;
    try {
      body = response.json();
    } catch {
      return 'an error answer that is not JSON';
    }
    const error = (body as { error?: { code?: unknown; message?: unknown; details?: unknown } } | null)
      ?.error;
    const shaped =
      error !== undefined &&
      Object.keys(body as object).length === 1 &&
      (errorCodes as readonly unknown[]).includes(error.code) &&
      typeof error.message === 'string' &&
      Array.isArray(error.details);
    if (!shaped) return `an error answer not in the one error shape: ${response.body.slice(0, 200)}`;
  }
  return null;
}

/**
 * A cheap, exact "did anything change" check. Every transaction that writes (even one rolled back) takes a
 * transaction id, so an unchanged next-id proves nothing was written; only when it moved (other databases on a
 * shared server take ids too) are the tables' contents hashed and compared.
 */
export class DatabaseFingerprint {
  private known: { nextXid: string; contents: string } | null = null;

  constructor(private readonly db: Kysely<never>) {}

  private async nextXid(): Promise<string> {
    const { rows } = await sql<{
      xid: string;
    }>`SELECT pg_snapshot_xmax(pg_current_snapshot())::text AS xid`.execute(this.db);
    return rows[0]?.xid ?? '';
  }

  private async contents(): Promise<string> {
    const { rows: tables } = await sql<{ name: string }>`
      SELECT table_name AS name FROM information_schema.tables
      WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`.execute(this.db);
    const hashes = tables.map(
      ({ name }) =>
        sql`SELECT ${name}::text AS name, md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS hash
            FROM ${sql.table(name)} t`,
    );
    const { rows } = await sql<{ digest: string }>`
      SELECT md5(string_agg(name || ':' || hash, ',' ORDER BY name)) AS digest
      FROM (${sql.join(hashes, sql` UNION ALL `)}) AS tables`.execute(this.db);
    return rows[0]?.digest ?? '';
  }

  /** Takes the state before a request (hashing only if something was written since the last look). */
  async before(): Promise<void> {
    const nextXid = await this.nextXid();
    if (this.known?.nextXid !== nextXid) this.known = { nextXid, contents: await this.contents() };
  }

  /** Whether the database differs from what `before` saw. */
  async changed(): Promise<boolean> {
    const previous = this.known;
    const nextXid = await this.nextXid();
    if (previous?.nextXid === nextXid) return false;
    const contents = await this.contents();
    this.known = { nextXid, contents };
    return previous?.contents !== contents;
  }
}

export interface SentRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string | Buffer;
}

const shellQuote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

/** The request as a reader replays it: every part, and a curl line against a local API. */
export function replay(request: SentRequest): string {
  const body =
    request.body === undefined
      ? undefined
      : Buffer.isBuffer(request.body)
        ? { base64: request.body.toString('base64') }
        : request.body;
  const curl = [
    'curl -i -X',
    request.method,
    shellQuote(`http://localhost:4000${request.url}`),
    ...Object.entries(request.headers).map(([name, value]) => `-H ${shellQuote(`${name}: ${value}`)}`),
    ...(request.body === undefined
      ? []
      : Buffer.isBuffer(request.body)
        ? [`--data-binary @<(echo ${request.body.toString('base64')} | base64 -d)`]
        : [`--data-binary ${shellQuote(request.body)}`]),
  ].join(' ');
  return `${JSON.stringify({ method: request.method, url: request.url, headers: request.headers, body }, null, 2)}\n${curl}`;
}
