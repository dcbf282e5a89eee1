import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  dropIndexSet,
  indexNames,
  migrateDown,
  migrateToLatest,
  migrateUp,
  resetDatabase,
  restoreIndexSet,
} from '../src/index';
import { migrations } from '../src/migrations/index';
import { createTestDatabase, type TestDatabase } from '../src/testing';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase({ migrate: false });
});
afterAll(() => database.close());

/** Everything that makes up the schema, as sorted text: columns, constraints, indexes, triggers and functions. */
async function schemaSnapshot<DB>(db: Kysely<DB>): Promise<string[]> {
  const { rows } = await sql<{ item: string }>`
    SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type || ' null=' || is_nullable
           || ' default=' || coalesce(column_default, '') AS item
      FROM information_schema.columns WHERE table_schema = 'public' AND table_name NOT LIKE 'kysely_%'
    UNION ALL
    SELECT 'constraint ' || conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid)
      FROM pg_constraint WHERE connamespace = 'public'::regnamespace
    UNION ALL
    SELECT 'index ' || indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename NOT LIKE 'kysely_%'
    UNION ALL
    SELECT 'trigger ' || tgname || ' ' || pg_get_triggerdef(oid) FROM pg_trigger WHERE NOT tgisinternal
    UNION ALL
    SELECT 'function ' || proname FROM pg_proc WHERE pronamespace = 'public'::regnamespace
    ORDER BY 1`.execute(db);
  return rows.map((row) => row.item);
}

async function publicTables<DB>(db: Kysely<DB>): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`SELECT tablename AS name FROM pg_tables
    WHERE schemaname = 'public' AND tablename NOT LIKE 'kysely_%' ORDER BY 1`.execute(db);
  return rows.map((row) => row.name);
}

const migrationNames = Object.keys(migrations);

describe('migrations', () => {
  it('up → down → up leaves the same schema', async () => {
    const applied = await migrateToLatest(database.db);
    expect(applied.map((step) => `${step.name}:${step.status}`)).toEqual(
      migrationNames.map((name) => `${name}:Success`),
    );
    const first = await schemaSnapshot(database.db);
    expect(first.length).toBeGreaterThan(150);

    for (let step = 0; step < migrationNames.length; step += 1) await migrateDown(database.db);
    expect(await publicTables(database.db)).toEqual([]);

    await migrateToLatest(database.db);
    expect(await schemaSnapshot(database.db)).toEqual(first);
  });

  it('each step back removes something, and the steps forward restore each schema exactly', async () => {
    const snapshots = [await schemaSnapshot(database.db)];
    for (const name of [...migrationNames].reverse().slice(0, -1)) {
      const [step] = await migrateDown(database.db);
      expect(step).toMatchObject({ name, direction: 'Down', status: 'Success' });
      const without = await schemaSnapshot(database.db);
      expect(without, `${name} changes the schema`).not.toEqual(snapshots[0]);
      snapshots.unshift(without);
    }
    for (const expected of snapshots.slice(1)) {
      await migrateUp(database.db);
      expect(await schemaSnapshot(database.db)).toEqual(expected);
    }
  });

  it('dropping the index set removes exactly its indexes, and restoring it gives back the same schema', async () => {
    const latest = await schemaSnapshot(database.db);
    await dropIndexSet(database.db);
    const withoutIndexes = await schemaSnapshot(database.db);
    const removed = latest.filter((item) => !withoutIndexes.includes(item));
    expect(removed).toHaveLength(indexNames.length);
    for (const name of indexNames) expect(removed.some((item) => item.includes(` ${name} ON `))).toBe(true);
    expect(withoutIndexes.filter((item) => !latest.includes(item))).toEqual([]);
    await restoreIndexSet(database.db);
    expect(await schemaSnapshot(database.db)).toEqual(latest);
  });

  it('runs concurrent migrations one after the other, and leaves no lock held (also through a pooler)', async () => {
    const pending = (await migrateDown(database.db)).map((step) => step.name);
    // Two processes starting at once: one applies what is pending, the other then finds nothing to do.
    const [first, second] = await Promise.all([migrateToLatest(database.db), migrateToLatest(database.db)]);
    expect([...first, ...second].map((step) => `${step.name}:${step.status}`)).toEqual(
      pending.map((name) => `${name}:Success`),
    );
    // A session-level lock taken through a transaction pooler would outlive the run on some server connection.
    const { rows } = await sql<{ held: number }>`SELECT count(*)::int AS held FROM pg_locks
      WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`.execute(
      database.db,
    );
    expect(rows[0]?.held).toBe(0);
  });

  it('a run with a failing migration leaves the schema as it was, with the real error', async () => {
    const latest = await schemaSnapshot(database.db);
    const undone: string[] = [];
    while (!undone.includes('0010_outbox_ops'))
      undone.push(...(await migrateDown(database.db)).map((step) => step.name));
    // 0011_calendar_feed creates this table: with it already there, that step fails after 0010 succeeded.
    await sql`CREATE TABLE calendar_feeds (id int)`.execute(database.db);
    const before = await schemaSnapshot(database.db);
    await expect(migrateToLatest(database.db)).rejects.toThrow('relation "calendar_feeds" already exists');
    expect(await schemaSnapshot(database.db)).toEqual(before);
    const { rows } = await sql<{ name: string }>`SELECT name FROM kysely_migration`.execute(database.db);
    expect(rows.map((row) => row.name)).not.toContain('0010_outbox_ops');

    await sql`DROP TABLE calendar_feeds`.execute(database.db);
    await migrateToLatest(database.db);
    expect(await schemaSnapshot(database.db)).toEqual(latest);
  });

  it('reset leaves an empty, current schema', async () => {
    await sql`INSERT INTO users (email, name) VALUES ('a@example.com', 'A')`.execute(database.db);
    await resetDatabase(database.db);
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM users`.execute(database.db);
    expect(rows[0]?.n).toBe(0);
    expect(await publicTables(database.db)).toContain('bookings');
  });
});

describe('constraints that keep data honest', () => {
  it('refuses overlapping live bookings of one mentor but allows them once one is cancelled', async () => {
    const db = database.db;
    await sql`INSERT INTO users (email, name, role) VALUES ('m@example.com', 'Mentor', 'mentor'), ('e@example.com', 'Mentee', 'mentee')`.execute(
      db,
    );
    await sql`INSERT INTO mentors (user_id, headline, hourly_rate_cents) SELECT id, 'Coach', 5000 FROM users WHERE email = 'm@example.com'`.execute(
      db,
    );
    const insert = (start: string, end: string, status = 'requested') =>
      sql`INSERT INTO bookings (mentor_id, mentee_id, starts_at, ends_at, status, price_cents, currency)
        SELECT m.id, u.id, ${start}::timestamptz, ${end}::timestamptz, ${status}, 5000, 'USD'
        FROM mentors m, users u WHERE u.email = 'e@example.com'`.execute(db);

    await insert('2030-01-01T10:00Z', '2030-01-01T11:00Z');
    await expect(insert('2030-01-01T10:30Z', '2030-01-01T11:30Z')).rejects.toMatchObject({ code: '23P01' });
    await insert('2030-01-01T11:00Z', '2030-01-01T12:00Z'); // back to back is fine: ranges are [start, end)
    await sql`UPDATE bookings SET status = 'cancelled' WHERE starts_at = '2030-01-01T10:00Z'`.execute(db);
    await insert('2030-01-01T10:00Z', '2030-01-01T11:00Z');
  });

  it('keeps mentors.expertise equal to the mentor_expertise rows, through inserts, deletes and tag renames', async () => {
    const db = database.db;
    const expertiseOf = async () =>
      (
        await sql<{ expertise: unknown }>`SELECT expertise FROM mentors m JOIN users u ON u.id = m.user_id
        WHERE u.email = 'm@example.com'`.execute(db)
      ).rows[0]?.expertise;
    await sql`INSERT INTO expertise_tags (slug, name) VALUES ('rust', 'Rust'), ('go', 'Go'), ('sql', 'SQL')`.execute(
      db,
    );
    await sql`INSERT INTO mentor_expertise (mentor_id, tag_id) SELECT m.id, t.id FROM mentors m, expertise_tags t
      WHERE t.slug IN ('rust', 'go')`.execute(db);
    expect(await expertiseOf()).toEqual([
      { slug: 'go', name: 'Go' },
      { slug: 'rust', name: 'Rust' },
    ]);
    await sql`DELETE FROM mentor_expertise WHERE tag_id = (SELECT id FROM expertise_tags WHERE slug = 'go')`.execute(
      db,
    );
    await sql`UPDATE expertise_tags SET name = 'Rust (systems)' WHERE slug = 'rust'`.execute(db);
    expect(await expertiseOf()).toEqual([{ slug: 'rust', name: 'Rust (systems)' }]);
  });

  it('refuses a duplicate email and a second mentor profile for one user', async () => {
    const db = database.db;
    await expect(
      sql`INSERT INTO users (email, name) VALUES ('m@example.com', 'Again')`.execute(db),
    ).rejects.toMatchObject({
      code: '23505',
    });
    await expect(
      sql`INSERT INTO mentors (user_id, headline, hourly_rate_cents) SELECT id, 'Twice', 1 FROM users WHERE email = 'm@example.com'`.execute(
        db,
      ),
    ).rejects.toMatchObject({ code: '23505' });
  });
});
