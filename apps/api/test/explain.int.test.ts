import { demoSeedOptions, seedDatabase } from '@mentorhub/db/seed';
import { createTestDatabase, type TestDatabase } from '@mentorhub/db/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { explainHotQuery, tableSizes } from '../src/infra/profiler/explain';
import { hotQueries } from '../src/modules/hot-queries';

// Enough rows that PostgreSQL's planner prefers an index wherever one fits; smaller tables are scanned whole
// by design, since reading a few pages beats walking an index.
const LARGE_TABLE_ROWS = 2_000;

let database: TestDatabase;
let sizes: Map<string, number>;
beforeAll(async () => {
  database = await createTestDatabase();
  await seedDatabase(database.db, {
    ...demoSeedOptions,
    users: 12_000,
    mentors: 6_000,
    courses: 3_000,
    enrollments: 4_000,
    bookings: 20_000,
  });
  sizes = await tableSizes(database.db);
}, 300_000);
afterAll(() => database.close());

describe('hot queries under EXPLAIN (ANALYZE, BUFFERS)', () => {
  it('covers every public list and detail endpoint, and the background sweep', () => {
    const routes = new Set(hotQueries.map((query) => query.name.split(' (')[0]?.split('?')[0]));
    expect([...routes].sort()).toEqual(
      [
        'GET /api/courses',
        'GET /api/courses/:id',
        'GET /api/courses/:slug',
        'GET /api/conversations/:id/messages',
        'GET /api/lessons/:id',
        'GET /api/me/bookings',
        'GET /api/me/conversations',
        'GET /api/me/courses',
        'GET /api/me/enrollments',
        'GET /api/me/recommendations',
        'GET /api/mentors',
        'GET /api/mentors/:id',
        'GET /api/mentors/:id/availability',
        'GET /api/mentors/:id/reviews',
        'GET /api/users/:id',
        'Booking request expiry sweep',
        'Unread-message digest job',
      ].sort(),
    );
  });

  it.each(hotQueries.map((query) => [query.name, query] as const))(
    '%s uses an index and no large sequential scan',
    async (_, hotQuery) => {
      expect(sizes.get('mentors')).toBeGreaterThanOrEqual(LARGE_TABLE_ROWS);
      const report = await explainHotQuery(database.db, hotQuery, sizes, LARGE_TABLE_ROWS);
      expect(report.largeSeqScans, report.text).toEqual([]);
      expect(report.indexesUsed.length, report.text).toBeGreaterThan(0);
    },
  );

  it('profiles the sweep, a write, without changing anything', async () => {
    const sweep = hotQueries.find((query) => query.name.startsWith('Booking request expiry sweep'));
    if (!sweep) throw new Error('hot query missing');
    // One stale request (a past session never answered) for the sweep to find.
    const { rows } = await sql<{ id: number }>`UPDATE bookings SET status = 'requested'
      WHERE id = (SELECT min(id) FROM bookings WHERE status = 'completed') RETURNING id`.execute(database.db);
    const id = rows[0]?.id;
    try {
      const report = await explainHotQuery(database.db, sweep, sizes, LARGE_TABLE_ROWS);
      // It did update the stale request, through the partial index of active bookings…
      expect(report.text).toMatch(/^→ ModifyTable on bookings \(rows=1 /);
      expect(report.indexesUsed).toContain('bookings_no_overlap');
      // …and the update was rolled back.
      const after = await sql<{ status: string }>`SELECT status FROM bookings WHERE id = ${id}`.execute(
        database.db,
      );
      expect(after.rows[0]?.status).toBe('requested');
    } finally {
      await sql`UPDATE bookings SET status = 'completed' WHERE id = ${id}`.execute(database.db);
    }
  });

  it('walks only the members whose digest wait has begun, through the partial index', async () => {
    const digest = hotQueries.find((query) => query.name.startsWith('Unread-message digest job'));
    if (!digest) throw new Error('hot query missing');
    // The seeded conversations make a large member table: a few of them get a message waiting for a digest.
    expect(sizes.get('conversation_members')).toBeGreaterThanOrEqual(LARGE_TABLE_ROWS);
    await sql`UPDATE conversation_members SET undigested_since = now() - interval '1 hour'
      WHERE conversation_id % 500 = 0`.execute(database.db);
    await sql`ANALYZE conversation_members`.execute(database.db);
    try {
      const report = await explainHotQuery(
        database.db,
        digest,
        await tableSizes(database.db),
        LARGE_TABLE_ROWS,
      );
      expect(report.largeSeqScans, report.text).toEqual([]);
      expect(report.indexesUsed, report.text).toContain('conversation_members_digest_due_idx');
    } finally {
      await sql`UPDATE conversation_members SET undigested_since = NULL`.execute(database.db);
      await sql`ANALYZE conversation_members`.execute(database.db);
    }
  });

  it('flags a sequential scan when the index set is dropped', async () => {
    const { dropIndexSet, restoreIndexSet } = await import('@mentorhub/db');
    await dropIndexSet(database.db);
    try {
      const byRating = hotQueries.find((query) => query.name.startsWith('GET /api/mentors (first page'));
      if (!byRating) throw new Error('hot query missing');
      const report = await explainHotQuery(database.db, byRating, sizes, LARGE_TABLE_ROWS);
      expect(report.largeSeqScans, report.text).toContain('mentors');
    } finally {
      await restoreIndexSet(database.db);
    }
  });
});
