import { sql, type Kysely } from 'kysely';

export interface ColumnSpec {
  name: string;
  /** PostgreSQL type of the values sent, e.g. 'int4', 'text', 'timestamptz'. */
  type: string;
  /** SQL applied to the unnested value `v` before it is stored, e.g. "string_to_array(v, ',')". */
  transform?: string;
}

/**
 * Buffers rows column by column and writes each batch as one `INSERT … SELECT FROM unnest(…)`:
 * one statement and one round trip per batch, the same on PGlite and PostgreSQL, with ids chosen by the
 * generator (OVERRIDING SYSTEM VALUE) so related rows can be written without reading ids back.
 */
export class TableWriter {
  private readonly buffers: unknown[][];
  private pending = 0;
  written = 0;

  constructor(
    private readonly db: Kysely<unknown>,
    private readonly table: string,
    private readonly columns: readonly ColumnSpec[],
    private readonly onFlush: (rows: number) => void,
    /** Writers whose rows these reference: flushed first, so foreign keys always find their target. */
    private readonly dependsOn: readonly TableWriter[] = [],
    private readonly batchSize = 5_000,
  ) {
    this.buffers = columns.map(() => []);
  }

  async add(...values: unknown[]): Promise<void> {
    values.forEach((value, index) => this.buffers[index]?.push(value));
    this.pending += 1;
    if (this.pending >= this.batchSize) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.pending === 0) return;
    for (const dependency of this.dependsOn) await dependency.flush();
    const names = this.columns.map((column) => column.name);
    const aliases = this.columns.map((_, index) => `c${index}`);
    const selected = this.columns.map((column, index) =>
      column.transform ? column.transform.replaceAll(/\bv\b/g, `c${index}`) : `c${index}`,
    );
    const unnestArgs = this.columns.map(
      (column, index) => sql`${this.buffers[index]}::${sql.raw(column.type)}[]`,
    );
    await sql`INSERT INTO ${sql.table(this.table)} (${sql.raw(names.join(', '))}) OVERRIDING SYSTEM VALUE
      SELECT ${sql.raw(selected.join(', '))} FROM unnest(${sql.join(unnestArgs)}) AS r(${sql.raw(aliases.join(', '))})`.execute(
      this.db,
    );
    this.written += this.pending;
    this.onFlush(this.pending);
    this.pending = 0;
    for (const buffer of this.buffers) buffer.length = 0;
  }
}
