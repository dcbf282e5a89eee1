import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/schema';
import { demoSeedOptions, seedDatabase, type SeedOptions } from '../src/seed/index';
import { createTestDatabase, type TestDatabase } from '../src/testing';

const options: SeedOptions = {
  ...demoSeedOptions,
  users: 300,
  mentors: 40,
  courses: 60,
  lessons: 900,
  enrollments: 400,
  bookings: 500,
};

/** `fingerprint` of a database seeded with `options`, recorded when the generator last changed its output on purpose. */
const RECORDED: Record<string, string> = {
  availability_rules: '33283d940aa7a20b7325b7048a456348',
  bookings: '79d3734153c08a4200533b6c1fb7bc3c',
  conversation_members: '4c261683906fbd14c27e346b153d626b',
  conversations: '651f4c3972aaab7c5a04423ecc19b5e1',
  courses: '97045d1b7f69b2c6dbf075a5d13092d5',
  enrollments: '834624a54ad834eed8483fe1fc804d27',
  lesson_progress: '56b9e46d68e93492cc8344741966d6f3',
  lessons: 'f8d063b3f4ef9f39a2427371443ee8f0',
  media: '96a04c20876cc8522350ae1ef8403366',
  mentor_expertise: '5d2e52cae8489726099ea4f2f204958f',
  mentors: 'fc6118701767a0eb8d61fb9cc443a433',
  messages: 'dbecf1e336d0e5c74c1ce1f9ae333a0e',
  reviews: '14317790a621a3c4656ac3c5bfd7ca70',
  users: 'bf96c8b75bcdec32e9d9963da3430f01',
};

let first: TestDatabase;
let second: TestDatabase;
beforeAll(async () => {
  [first, second] = await Promise.all([createTestDatabase(), createTestDatabase()]);
  await seedDatabase(first.db, options);
  await seedDatabase(second.db, options);
});
afterAll(async () => {
  await Promise.all([first.close(), second.close()]);
});

async function one<T>(db: Kysely<Database>, query: ReturnType<typeof sql<T>>): Promise<T> {
  const { rows } = await query.execute(db);
  if (!rows[0]) throw new Error('no row');
  return rows[0];
}

/** A fingerprint of every row of every seeded table, timestamps written in UTC whatever the server's zone. */
async function fingerprint(database: Kysely<Database>): Promise<Record<string, string>> {
  return database.transaction().execute(async (db) => {
    await sql`SET LOCAL TimeZone = 'UTC'`.execute(db);
    return tableDigests(db);
  });
}

async function tableDigests(db: Kysely<Database>): Promise<Record<string, string>> {
  const tables = [
    'users',
    'mentors',
    'mentor_expertise',
    'courses',
    'lessons',
    'enrollments',
    'lesson_progress',
    'bookings',
    'reviews',
    'media',
    'availability_rules',
    'conversations',
    'messages',
    'conversation_members',
  ];
  const result: Record<string, string> = {};
  for (const table of tables) {
    const row = await one(
      db,
      sql<{
        digest: string;
      }>`SELECT md5(string_agg(t::text, '|' ORDER BY t::text)) AS digest FROM ${sql.table(table)} t`,
    );
    result[table] = row.digest;
  }
  return result;
}

describe('seed generator', () => {
  it('writes the rows it has always written for these options (the generator can change shape, not output)', async () => {
    expect(await fingerprint(first.db)).toEqual(RECORDED);
  });

  it('writes exactly the requested counts', async () => {
    const counts = await one(
      first.db,
      sql<Record<string, number>>`SELECT
      (SELECT count(*)::int FROM users) AS users, (SELECT count(*)::int FROM mentors) AS mentors,
      (SELECT count(*)::int FROM courses) AS courses, (SELECT count(*)::int FROM lessons) AS lessons,
      (SELECT count(*)::int FROM enrollments) AS enrollments, (SELECT count(*)::int FROM bookings) AS bookings`,
    );
    expect(counts).toEqual({
      users: 300,
      mentors: 40,
      courses: 60,
      lessons: 900,
      enrollments: 400,
      bookings: 500,
    });
  });

  it('is deterministic: the same options give identical rows', async () => {
    expect(await fingerprint(first.db)).toEqual(await fingerprint(second.db));
  });

  it('orders lessons 1..n in every course, 5 to 30 of them, matching the course counters', async () => {
    const bad = await one(
      first.db,
      sql<{ n: number }>`SELECT count(*)::int AS n FROM (
      SELECT c.id FROM courses c JOIN lessons l ON l.course_id = c.id GROUP BY c.id, c.lessons_count, c.duration_minutes
      HAVING count(*) <> c.lessons_count OR count(*) NOT BETWEEN 5 AND 30 OR max(l.position) <> count(*)
        OR sum(l.duration_minutes) <> c.duration_minutes) broken`,
    );
    expect(bad.n).toBe(0);
  });

  it('keeps denormalized counters equal to the rows they count', async () => {
    const ratings = await one(
      first.db,
      sql<{ n: number }>`SELECT count(*)::int AS n FROM mentors m
      LEFT JOIN (SELECT mentor_id, round(avg(rating), 2) AS avg, count(*) AS n FROM reviews GROUP BY mentor_id) r ON r.mentor_id = m.id
      WHERE m.rating_count <> coalesce(r.n, 0) OR m.rating_avg <> coalesce(r.avg, 0)`,
    );
    expect(ratings.n).toBe(0);
    const enrollments = await one(
      first.db,
      sql<{ n: number }>`SELECT count(*)::int AS n FROM courses c
      WHERE c.enrollments_count <> (SELECT count(*) FROM enrollments e WHERE e.course_id = c.id)`,
    );
    expect(enrollments.n).toBe(0);
  });

  it('puts bookings and reviews in the past, reviews only on completed bookings by their mentee', async () => {
    const future = await one(
      first.db,
      sql<{
        n: number;
      }>`SELECT count(*)::int AS n FROM bookings WHERE ends_at > ${options.anchor.toISOString()}::timestamptz`,
    );
    expect(future.n).toBe(0);
    const wrong = await one(
      first.db,
      sql<{ n: number }>`SELECT count(*)::int AS n FROM reviews r JOIN bookings b ON b.id = r.booking_id
      WHERE b.status <> 'completed' OR b.mentee_id <> r.author_id OR b.mentor_id <> r.mentor_id`,
    );
    expect(wrong.n).toBe(0);
  });

  it('opens conversations of booked pairs only, with read positions inside their thread and some unread', async () => {
    const conversations = await one(
      first.db,
      sql<{ unbooked: number; wrong_last: number; members: number; total: number }>`SELECT
      (SELECT count(*)::int FROM conversations c WHERE NOT EXISTS (SELECT FROM bookings b
        WHERE b.mentee_id = c.mentee_id AND b.mentor_id = c.mentor_id)) AS unbooked,
      (SELECT count(*)::int FROM conversations c
        WHERE c.last_message_id IS DISTINCT FROM (SELECT max(id) FROM messages m WHERE m.conversation_id = c.id)
      ) AS wrong_last,
      (SELECT count(*)::int FROM conversation_members) AS members,
      (SELECT count(*)::int FROM conversations) AS total`,
    );
    expect(conversations.total).toBeGreaterThan(0);
    expect(conversations).toMatchObject({ unbooked: 0, wrong_last: 0, members: conversations.total * 2 });
    const reads = await one(
      first.db,
      sql<{ outside: number; unread: number; future: number }>`SELECT
      count(*) FILTER (WHERE cm.last_read_message_id > c.last_message_id
        OR cm.last_activity_at <> (SELECT created_at FROM messages WHERE id = c.last_message_id))::int AS outside,
      count(*) FILTER (WHERE EXISTS (SELECT FROM messages m WHERE m.conversation_id = c.id
        AND m.id > cm.last_read_message_id AND m.sender_id <> cm.user_id))::int AS unread,
      (SELECT count(*)::int FROM messages WHERE created_at > ${options.anchor.toISOString()}::timestamptz) AS future
      FROM conversation_members cm JOIN conversations c ON c.id = cm.conversation_id`,
    );
    expect(reads).toMatchObject({ outside: 0, future: 0 });
    expect(reads.unread).toBeGreaterThan(0);
  });

  it('continues identity sequences after the generated ids', async () => {
    const { id } = await one(
      first.db,
      sql<{ id: number }>`INSERT INTO users (email, name) VALUES ('new@example.com', 'New') RETURNING id`,
    );
    expect(id).toBe(301);
  });

  it('refuses to seed a database that already has users', async () => {
    await expect(seedDatabase(second.db, options)).rejects.toThrow(/already has users/);
  });

  it('rejects impossible options before writing anything', async () => {
    const empty = await createTestDatabase();
    try {
      await expect(seedDatabase(empty.db, { ...options, mentors: 300 })).rejects.toThrow(/--mentors/);
      await expect(seedDatabase(empty.db, { ...options, lessons: 10 })).rejects.toThrow(/--lessons/);
      const users = await one(empty.db, sql<{ n: number }>`SELECT count(*)::int AS n FROM users`);
      expect(users.n).toBe(0);
    } finally {
      await empty.close();
    }
  });
});
