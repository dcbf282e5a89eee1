import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema';
import { avatarSvg, AVATAR_SIZE, COVER_HEIGHT, COVER_WIDTH, coverSvg } from './images';
import type { ProgressReporter } from './progress';
import { Random } from './random';
import { TableWriter, type ColumnSpec } from './table-writer';
import * as words from './vocabulary';

export interface SeedOptions {
  users: number;
  mentors: number;
  courses: number;
  /** Total lessons; each course gets 5–30 in order. Absent: a random 5–30 per course. */
  lessons?: number | undefined;
  enrollments: number;
  bookings: number;
  seed: number;
  /** Every generated time lies before this instant, so the data set is identical on every run. */
  anchor: Date;
}

export const demoSeedOptions: SeedOptions = {
  users: 400,
  mentors: 80,
  courses: 120,
  enrollments: 600,
  bookings: 800,
  seed: 42,
  anchor: new Date('2026-01-01T00:00:00Z'),
};

export interface SeedSummary {
  rows: Record<string, number>;
  seconds: number;
}

const DAY_MS = 86_400_000;
const MIN_LESSONS = 5;
const MAX_LESSONS = 30;
/** The share of mentee–mentor pairs with a booking that also wrote to each other. */
const CONVERSATION_SHARE = 0.4;
const MAX_MESSAGES = 12;
/** The share of participants who read their thread to its end; the others have unread messages. */
const READ_TO_END = 0.7;
const MINUTE_MS = 60_000;

/** The rows a run will write, for the progress bar's total (lesson progress and reviews are estimates). */
export function plannedRows(options: SeedOptions): number {
  const lessonsPerCourse =
    options.lessons && options.courses ? options.lessons / options.courses : (MIN_LESSONS + MAX_LESSONS) / 2;
  const perMentor = 1 /* avatar */ + 1 /* mentor */ + 3.5 /* expertise */ + 4; /* weekly rules */
  return Math.round(
    words.expertise.length +
      options.users +
      options.mentors * perMentor +
      options.courses * (2 + lessonsPerCourse) +
      options.enrollments * (1 + lessonsPerCourse / 2) +
      options.bookings * 1.48 +
      options.bookings * CONVERSATION_SHARE * (3 + MAX_MESSAGES / 2),
  );
}

function validate(options: SeedOptions): void {
  const counts = ['users', 'mentors', 'courses', 'enrollments', 'bookings'] as const;
  for (const key of counts) {
    if (!Number.isInteger(options[key]) || options[key] < 0)
      throw new Error(`--${key} must be a whole number ≥ 0`);
  }
  if (options.users < 2) throw new Error('--users must be at least 2 (one admin and one member)');
  if (options.mentors >= options.users) throw new Error('--mentors must be fewer than --users');
  if (options.courses > 0 && options.mentors === 0)
    throw new Error('courses need at least one mentor as instructor');
  if (options.bookings > 0 && (options.mentors === 0 || options.users - options.mentors < 2)) {
    throw new Error('bookings need at least one mentor and one mentee');
  }
  if (options.lessons !== undefined && options.courses > 0) {
    const perCourse = options.lessons / options.courses;
    if (perCourse < MIN_LESSONS || perCourse > MAX_LESSONS) {
      throw new Error(`--lessons must give ${MIN_LESSONS}–${MAX_LESSONS} lessons per course`);
    }
  }
}

/** Lesson counts per course (5–30 each) that add up to `total` when one is asked for. */
function lessonCounts(random: Random, courses: number, total: number | undefined): Int32Array {
  const counts = new Int32Array(courses);
  if (total === undefined) {
    for (let i = 0; i < courses; i++) counts[i] = random.int(MIN_LESSONS, MAX_LESSONS);
    return counts;
  }
  const average = total / courses;
  const spread = Math.min(average - MIN_LESSONS, MAX_LESSONS - average);
  let sum = 0;
  for (let i = 0; i < courses; i++) {
    counts[i] = Math.round(average - spread + random.next() * 2 * spread);
    sum += counts[i] ?? 0;
  }
  // Nudge counts one by one, within bounds, until the total is exact.
  for (let i = 0; sum !== total; i = (i + 1) % courses) {
    const count = counts[i] ?? 0;
    if (sum < total && count < MAX_LESSONS) {
      counts[i] = count + 1;
      sum += 1;
    } else if (sum > total && count > MIN_LESSONS) {
      counts[i] = count - 1;
      sum -= 1;
    }
  }
  return counts;
}

function asciiSlug(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

function paragraph(random: Random, topic: string, sentences: number): string {
  return Array.from({ length: sentences }, () => random.pick(words.sentences).replaceAll('{t}', topic)).join(
    ' ',
  );
}

const column = (name: string, type: string, transform?: string): ColumnSpec =>
  transform ? { name, type, transform } : { name, type };

/** What every step of the generator shares. Steps run in a fixed order: they draw from one random stream. */
interface SeedRun {
  db: Kysely<unknown>;
  options: SeedOptions;
  random: Random;
  /** `options.anchor` in milliseconds: every generated time lies before it. */
  anchor: number;
  /** A batched writer for `table`, counted in the run's summary and progress. */
  writer: (table: string, columns: ColumnSpec[], dependsOn?: TableWriter[]) => TableWriter;
}

const iso = (ms: number): string => new Date(ms).toISOString();

async function seedExpertiseTags({ writer }: SeedRun): Promise<void> {
  const tags = writer('expertise_tags', [
    column('id', 'int4'),
    column('slug', 'text'),
    column('name', 'text'),
  ]);
  for (const [index, [slug, name]] of words.expertise.entries()) await tags.add(index + 1, slug, name);
  await tags.flush();
}

interface SeededUsers {
  /** Indexed by user id. */
  names: string[];
  /** Creation time of each user, indexed by id. */
  created: Float64Array;
}

/** Users: ids 1..mentors are mentors, the last user is the admin, the rest are mentees. */
async function seedUsers({ options, random, anchor, writer }: SeedRun): Promise<SeededUsers> {
  const adminId = options.users;
  const names: string[] = [];
  const created = new Float64Array(options.users + 1);
  const users = writer('users', [
    column('id', 'int4'),
    column('email', 'text'),
    column('name', 'text'),
    column('bio', 'text'),
    column('role', 'text'),
    column('timezone', 'text'),
    column('email_verified_at', 'timestamptz'),
    column('created_at', 'timestamptz'),
    column('updated_at', 'timestamptz'),
  ]);
  for (let id = 1; id <= options.users; id++) {
    const first = random.pick(words.firstNames);
    const last = random.pick(words.lastNames);
    const name = `${first} ${last}`;
    names[id] = name;
    const at = anchor - random.int(30, 730) * DAY_MS - random.int(0, DAY_MS - 1);
    created[id] = at;
    const role = id === adminId ? 'admin' : id <= options.mentors ? 'mentor' : 'mentee';
    const email =
      id === adminId ? 'admin@mentorhub.example' : `${asciiSlug(first)}.${asciiSlug(last)}.${id}@example.com`;
    const bio = random.chance(0.6) ? paragraph(random, random.pick(words.expertise)[1], 2) : '';
    const timezone = random.pick(words.timezones);
    // Seeded users are verified, as if each had opened the link mailed at sign-up.
    await users.add(id, email, name, bio, role, timezone, iso(at), iso(at), iso(at));
  }
  await users.flush();
  return { names, created };
}

/** The media table, written by the avatar step and then the course step (covers), ids in that order. */
interface MediaWriter {
  writer: TableWriter;
  lastId: number;
}

/** One generated SVG avatar per mentor, set as their user's avatar. */
async function seedAvatars(
  { db, options, anchor, writer }: SeedRun,
  users: SeededUsers,
): Promise<MediaWriter> {
  const media: MediaWriter = {
    writer: writer('media', [
      column('id', 'int4'),
      column('owner_id', 'int4'),
      column('kind', 'text'),
      column('content_type', 'text'),
      column('width', 'int4'),
      column('height', 'int4'),
      column('byte_size', 'int4'),
      column('data', 'text', "convert_to(v, 'UTF8')"),
      column('created_at', 'timestamptz'),
    ]),
    lastId: 0,
  };
  for (let id = 1; id <= options.mentors; id++) {
    const svg = avatarSvg(users.names[id] ?? '', id);
    await media.writer.add(
      ++media.lastId,
      id,
      'avatar',
      'image/svg+xml',
      AVATAR_SIZE,
      AVATAR_SIZE,
      Buffer.byteLength(svg),
      svg,
      iso(users.created[id] ?? anchor),
    );
  }
  await media.writer.flush();
  await sql`UPDATE users SET avatar_media_id = id WHERE id <= ${options.mentors}`.execute(db);
  return media;
}

interface SeededMentors {
  /** Hourly rate in cents, indexed by mentor id. */
  rate: Int32Array;
  /** The name of the mentor's first expertise tag, indexed by mentor id. */
  topic: string[];
}

/** Mentors (mentor i is user i), each with 2–5 expertise tags and weekly availability rules. */
async function seedMentors(
  { options, random, anchor, writer }: SeedRun,
  users: SeededUsers,
): Promise<SeededMentors> {
  const rate = new Int32Array(options.mentors + 1);
  const topic: string[] = [];
  const mentors = writer('mentors', [
    column('id', 'int4'),
    column('user_id', 'int4'),
    column('headline', 'text'),
    column('bio', 'text'),
    column('hourly_rate_cents', 'int4'),
    column('languages', 'text', "string_to_array(v, ',')"),
    column('timezone', 'text'),
    column('years_experience', 'int2'),
    column('session_minutes', 'int2'),
    column('status', 'text'),
    column('created_at', 'timestamptz'),
    column('updated_at', 'timestamptz'),
  ]);
  const mentorExpertise = writer(
    'mentor_expertise',
    [column('mentor_id', 'int4'), column('tag_id', 'int4')],
    [mentors],
  );
  const rules = writer(
    'availability_rules',
    [
      column('mentor_id', 'int4'),
      column('weekday', 'int2'),
      column('start_minute', 'int2'),
      column('end_minute', 'int2'),
    ],
    [mentors],
  );
  for (let id = 1; id <= options.mentors; id++) {
    const tagIds = random.sample(
      words.expertise.map((_, index) => index + 1),
      random.int(2, 5),
    );
    const mentorTopic = words.expertise[(tagIds[0] ?? 1) - 1]?.[1] ?? 'software';
    topic[id] = mentorTopic;
    rate[id] = random.int(20, 300) * 500;
    const spoken = ['en', ...random.sample(words.languages.slice(1), random.int(0, 2))];
    const created = (users.created[id] ?? anchor) + random.int(0, 20) * DAY_MS;
    const status = random.chance(0.95) ? 'approved' : 'pending';
    const headline = `${random.pick(words.roles)} at ${random.pick(words.companies)} · ${mentorTopic}`;
    await mentors.add(
      id,
      id,
      headline,
      paragraph(random, mentorTopic, random.int(3, 6)),
      rate[id],
      spoken.join(','),
      random.pick(words.timezones),
      random.int(2, 25),
      random.pick([30, 45, 60, 60, 60, 90]),
      status,
      iso(created),
      iso(created),
    );
    for (const tagId of tagIds) await mentorExpertise.add(id, tagId);
    // Weekdays with a morning or an afternoon block, in the mentor's own timezone.
    const startHour = random.pick([8, 9, 10, 13, 14]);
    for (let weekday = 1; weekday <= 5; weekday++) {
      if (random.chance(0.8))
        await rules.add(id, weekday, startHour * 60, (startHour + random.int(3, 5)) * 60);
    }
  }
  await mentors.flush();
  await mentorExpertise.flush();
  await rules.flush();
  return { rate, topic };
}

interface SeededCourses {
  /** Lessons of course i at index i − 1. */
  lessonsPerCourse: Int32Array;
  /** Ids of the published courses. */
  published: number[];
  /** Id of each course's first lesson (its lessons have consecutive ids), indexed by course id. */
  firstLessonId: Int32Array;
}

/** Courses by mentors, each with a generated cover and its ordered lessons. */
async function seedCourses(
  { options, random, anchor, writer }: SeedRun,
  users: SeededUsers,
  mentors: SeededMentors,
  media: MediaWriter,
): Promise<SeededCourses> {
  const lessonsPerCourse = lessonCounts(random, options.courses, options.lessons);
  const published: number[] = [];
  const firstLessonId = new Int32Array(options.courses + 1);
  const courses = writer(
    'courses',
    [
      column('id', 'int4'),
      column('instructor_id', 'int4'),
      column('slug', 'text'),
      column('title', 'text'),
      column('summary', 'text'),
      column('description', 'text'),
      column('level', 'text'),
      column('price_cents', 'int4'),
      column('cover_media_id', 'int4'),
      column('status', 'text'),
      column('lessons_count', 'int4'),
      column('duration_minutes', 'int4'),
      column('published_at', 'timestamptz'),
      column('created_at', 'timestamptz'),
      column('updated_at', 'timestamptz'),
    ],
    [media.writer],
  );
  const lessons = writer(
    'lessons',
    [
      column('id', 'int4'),
      column('course_id', 'int4'),
      column('position', 'int4'),
      column('title', 'text'),
      column('content', 'text'),
      column('duration_minutes', 'int4'),
      column('is_preview', 'bool'),
      column('created_at', 'timestamptz'),
      column('updated_at', 'timestamptz'),
    ],
    [courses],
  );
  let lessonId = 0;
  for (let id = 1; id <= options.courses; id++) {
    const instructor = random.int(1, options.mentors);
    const topic = random.chance(0.7)
      ? (mentors.topic[instructor] ?? 'Software')
      : random.pick(words.expertise)[1];
    const title = random.pick(words.courseTitleTemplates).replaceAll('{t}', topic);
    const created = (users.created[instructor] ?? anchor) + random.int(20, 60) * DAY_MS;
    const isPublished = random.chance(0.9);
    if (isPublished) published.push(id);
    const minutes = Array.from({ length: lessonsPerCourse[id - 1] ?? MIN_LESSONS }, () => random.int(5, 45));
    const cover = coverSvg(title, id);
    await media.writer.add(
      ++media.lastId,
      instructor,
      'cover',
      'image/svg+xml',
      COVER_WIDTH,
      COVER_HEIGHT,
      Buffer.byteLength(cover),
      cover,
      iso(created),
    );
    await courses.add(
      id,
      instructor,
      `${asciiSlug(title)}-${id}`,
      title,
      paragraph(random, topic, 1),
      paragraph(random, topic, 5),
      random.pick(['beginner', 'intermediate', 'advanced']),
      random.chance(0.2) ? 0 : random.int(10, 200) * 100,
      media.lastId,
      isPublished ? 'published' : 'draft',
      minutes.length,
      minutes.reduce((sum, m) => sum + m, 0),
      isPublished ? iso(created) : null,
      iso(created),
      iso(created),
    );
    firstLessonId[id] = lessonId + 1;
    for (const [index, duration] of minutes.entries()) {
      const lessonTitle = random.pick(words.lessonTitleTemplates).replaceAll('{t}', topic);
      await lessons.add(
        ++lessonId,
        id,
        index + 1,
        `${index + 1}. ${lessonTitle}`,
        paragraph(random, topic, random.int(2, 4)),
        duration,
        index < 2,
        iso(created),
        iso(created),
      );
    }
  }
  await media.writer.flush();
  await courses.flush();
  await lessons.flush();
  return { lessonsPerCourse, published, firstLessonId };
}

/** Mentee ids: after the mentors, before the admin. */
const menteeRange = (options: SeedOptions) => ({ from: options.mentors + 1, to: options.users - 1 });

/** Enrollments (distinct published course × mentee) with progress through the first lessons. */
async function seedEnrollments(
  { options, random, anchor, writer }: SeedRun,
  courses: SeededCourses,
): Promise<void> {
  const mentees = menteeRange(options);
  const enrolled = new Set<number>();
  const enrollments = writer('enrollments', [
    column('id', 'int4'),
    column('course_id', 'int4'),
    column('user_id', 'int4'),
    column('enrolled_at', 'timestamptz'),
    column('completed_at', 'timestamptz'),
  ]);
  const progressRows = writer(
    'lesson_progress',
    [column('enrollment_id', 'int4'), column('lesson_id', 'int4'), column('completed_at', 'timestamptz')],
    [enrollments],
  );
  let enrollmentId = 0;
  const maxEnrollments = Math.min(
    options.enrollments,
    courses.published.length * (mentees.to - mentees.from + 1),
  );
  while (enrollmentId < maxEnrollments) {
    const courseId = random.pick(courses.published);
    const userId = random.int(mentees.from, mentees.to);
    const key = courseId * (options.users + 1) + userId;
    if (enrolled.has(key)) continue;
    enrolled.add(key);
    const at = anchor - random.int(1, 300) * DAY_MS;
    const count = courses.lessonsPerCourse[courseId - 1] ?? 0;
    const completedLessons = random.int(0, count);
    const finished = completedLessons === count;
    await enrollments.add(
      ++enrollmentId,
      courseId,
      userId,
      iso(at),
      finished ? iso(at + count * DAY_MS) : null,
    );
    for (let position = 0; position < completedLessons; position++) {
      await progressRows.add(
        enrollmentId,
        (courses.firstLessonId[courseId] ?? 0) + position,
        iso(at + position * DAY_MS),
      );
    }
  }
  await enrollments.flush();
  await progressRows.flush();
}

/** A mentee–mentor pair with at least one booking, and when its first booking request was made. */
interface BookedPair {
  menteeId: number;
  mentorId: number;
  firstRequestedAt: number;
}

/**
 * Past bookings, a day or more apart per mentor so none overlap, and reviews of most completed ones. Returns the
 * booked pairs in the order of their first booking.
 */
async function seedBookings(
  { options, random, anchor, writer }: SeedRun,
  mentors: SeededMentors,
): Promise<BookedPair[]> {
  const mentees = menteeRange(options);
  const bookings = writer('bookings', [
    column('id', 'int4'),
    column('mentor_id', 'int4'),
    column('mentee_id', 'int4'),
    column('starts_at', 'timestamptz'),
    column('ends_at', 'timestamptz'),
    column('status', 'text'),
    column('price_cents', 'int4'),
    column('currency', 'text'),
    column('note', 'text'),
    column('meeting_room', 'uuid'),
    column('created_at', 'timestamptz'),
    column('updated_at', 'timestamptz'),
  ]);
  const reviews = writer(
    'reviews',
    [
      column('id', 'int4'),
      column('booking_id', 'int4'),
      column('mentor_id', 'int4'),
      column('author_id', 'int4'),
      column('rating', 'int2'),
      column('body', 'text'),
      column('created_at', 'timestamptz'),
    ],
    [bookings],
  );
  const bookingsPerMentor = new Int32Array(options.mentors + 1);
  const pairs = new Map<number, BookedPair>();
  let reviewId = 0;
  for (let id = 1; id <= options.bookings; id++) {
    const mentorId = random.int(1, options.mentors);
    const menteeId = random.int(mentees.from, mentees.to);
    const slot = (bookingsPerMentor[mentorId] = (bookingsPerMentor[mentorId] ?? 0) + 1);
    const startsAt = anchor - slot * DAY_MS - random.int(1, 10) * 3_600_000;
    const endsAt = startsAt + 3_600_000;
    const roll = random.next();
    const status = roll < 0.8 ? 'completed' : roll < 0.9 ? 'cancelled' : roll < 0.95 ? 'no_show' : 'declined';
    const created = startsAt - random.int(1, 14) * DAY_MS;
    const pairKey = menteeId * (options.mentors + 1) + mentorId;
    const pair = pairs.get(pairKey);
    if (!pair) pairs.set(pairKey, { menteeId, mentorId, firstRequestedAt: created });
    else pair.firstRequestedAt = Math.min(pair.firstRequestedAt, created);
    const topic = mentors.topic[mentorId];
    await bookings.add(
      id,
      mentorId,
      menteeId,
      iso(startsAt),
      iso(endsAt),
      status,
      mentors.rate[mentorId] ?? 0,
      'USD',
      random.chance(0.5) ? `Would love to talk about ${topic ?? 'my career'}.` : '',
      seededRoom(id),
      iso(created),
      iso(endsAt),
    );
    if (status === 'completed' && random.chance(0.6)) {
      const body = random.pick(words.reviewBodies).replaceAll('{t}', topic ?? 'the topic');
      await reviews.add(
        ++reviewId,
        id,
        mentorId,
        menteeId,
        random.rating(),
        body,
        iso(endsAt + random.int(1, 48) * 3_600_000),
      );
    }
  }
  await bookings.flush();
  await reviews.flush();
  return [...pairs.values()];
}

/**
 * Conversations of a share of the booked pairs (a booking request opens the pair's conversation), each with a few
 * messages from both sides and both read positions: a participant has read their thread to its end, or up to their
 * own last message (sending reads everything before it), which leaves the other side's later messages unread.
 */
async function seedConversations(
  { random, writer }: SeedRun,
  pairs: BookedPair[],
  mentors: SeededMentors,
): Promise<void> {
  const conversations = writer('conversations', [
    column('id', 'int4'),
    column('mentee_id', 'int4'),
    column('mentor_id', 'int4'),
    column('created_at', 'timestamptz'),
  ]);
  const messages = writer(
    'messages',
    [
      column('id', 'int8'),
      column('conversation_id', 'int4'),
      column('sender_id', 'int4'),
      column('body', 'text'),
      column('created_at', 'timestamptz'),
    ],
    [conversations],
  );
  const members = writer(
    'conversation_members',
    [
      column('conversation_id', 'int4'),
      column('user_id', 'int4'),
      column('other_user_id', 'int4'),
      column('last_read_message_id', 'int8'),
      column('last_activity_at', 'timestamptz'),
    ],
    [conversations],
  );
  let conversationId = 0;
  let messageId = 0;
  for (const { menteeId, mentorId, firstRequestedAt } of pairs) {
    if (!random.chance(CONVERSATION_SHARE)) continue;
    const id = ++conversationId;
    // Mentor i is user i.
    const mentorUserId = mentorId;
    const topic = mentors.topic[mentorId] ?? 'the topic';
    await conversations.add(id, menteeId, mentorId, iso(firstRequestedAt));
    // Each side's last message id; the mentee, who booked, writes first.
    const lastSentBy = new Map([
      [menteeId, 0],
      [mentorUserId, 0],
    ]);
    let sender = menteeId;
    // The first request is two days or more before the anchor: all messages, at most 3 hours apart, precede it.
    let at = firstRequestedAt;
    for (let count = random.int(1, MAX_MESSAGES); count > 0; count--) {
      at += random.int(1, 180) * MINUTE_MS;
      const body = random.pick(words.messageBodies).replaceAll('{t}', topic);
      await messages.add(++messageId, id, sender, body, iso(at));
      lastSentBy.set(sender, messageId);
      if (random.chance(0.6)) sender = sender === menteeId ? mentorUserId : menteeId;
    }
    for (const [userId, otherUserId] of [
      [menteeId, mentorUserId],
      [mentorUserId, menteeId],
    ] as const) {
      const readUpTo = random.chance(READ_TO_END) ? messageId : (lastSentBy.get(userId) ?? 0);
      await members.add(id, userId, otherUserId, readUpTo, iso(at));
    }
  }
  await conversations.flush();
  await messages.flush();
  await members.flush();
}

/** Denormalized counters, computed from the rows themselves so they always agree. */
async function updateCounters(db: Kysely<unknown>): Promise<void> {
  await sql`UPDATE mentors m SET rating_avg = r.avg, rating_count = r.n
    FROM (SELECT mentor_id, round(avg(rating), 2) AS avg, count(*)::int AS n FROM reviews GROUP BY mentor_id) r
    WHERE r.mentor_id = m.id`.execute(db);
  await sql`UPDATE mentors m SET sessions_completed = b.n
    FROM (SELECT mentor_id, count(*)::int AS n FROM bookings WHERE status = 'completed' GROUP BY mentor_id) b
    WHERE b.mentor_id = m.id`.execute(db);
  await sql`UPDATE courses c SET enrollments_count = e.n
    FROM (SELECT course_id, count(*)::int AS n FROM enrollments GROUP BY course_id) e
    WHERE e.course_id = c.id`.execute(db);
  await sql`UPDATE conversations c SET last_message_id = m.id
    FROM (SELECT conversation_id, max(id) AS id FROM messages GROUP BY conversation_id) m
    WHERE m.conversation_id = c.id`.execute(db);
}

/** Identity sequences continue after the generated ids. */
async function continueSequences(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'users',
    'media',
    'mentors',
    'expertise_tags',
    'courses',
    'lessons',
    'enrollments',
    'bookings',
    'reviews',
    'availability_rules',
    'conversations',
    'messages',
  ]) {
    await sql`SELECT setval(pg_get_serial_sequence(${table}, 'id'), greatest(1, (SELECT coalesce(max(id), 0) FROM ${sql.table(table)})))`.execute(
      db,
    );
  }
}

/**
 * Writes a complete, realistic data set into an empty, migrated database: users, mentors with expertise and
 * availability, courses with ordered lessons, enrollments with progress, past bookings and their reviews, and
 * conversations of booked pairs with their messages and read positions.
 * Ids are assigned here (1..n per table), so every foreign key is known without reading anything back.
 */
export async function seedDatabase(
  database: Kysely<Database>,
  options: SeedOptions,
  progress?: ProgressReporter,
): Promise<SeedSummary> {
  validate(options);
  const started = performance.now();
  const db = database as unknown as Kysely<unknown>;
  const existing = await sql<{ n: number }>`SELECT count(*)::int AS n FROM users`.execute(db);
  if ((existing.rows[0]?.n ?? 0) > 0) throw new Error('the database already has users: run db:reset first');

  const writers: Record<string, TableWriter> = {};
  const run: SeedRun = {
    db,
    options,
    random: new Random(options.seed),
    anchor: options.anchor.getTime(),
    writer: (table, columns, dependsOn = []) =>
      (writers[table] = new TableWriter(
        db,
        table,
        columns,
        (rows) => progress?.advance(rows, table),
        dependsOn,
      )),
  };
  await seedExpertiseTags(run);
  const users = await seedUsers(run);
  const media = await seedAvatars(run, users);
  const mentors = await seedMentors(run, users);
  const courses = await seedCourses(run, users, mentors, media);
  await seedEnrollments(run, courses);
  const bookedPairs = await seedBookings(run, mentors);
  await seedConversations(run, bookedPairs, mentors);
  await updateCounters(db);
  await continueSequences(db);
  // Fresh statistics and visibility maps now, so autovacuum does not kick in later under load.
  await sql`VACUUM (ANALYZE)`.execute(db);
  progress?.done();

  const rows = Object.fromEntries(
    Object.entries(writers).map(([table, tableWriter]) => [table, tableWriter.written]),
  );
  return { rows, seconds: (performance.now() - started) / 1000 };
}

/** A generated booking's video room: derived from its id, so a seed stays the same rows run after run. */
function seededRoom(bookingId: number): string {
  return `00000000-0000-4000-8000-${bookingId.toString(16).padStart(12, '0')}`;
}
