import type { Kysely } from 'kysely';
import { runStatements } from './run-statements';

// The seed's index set as one reversible step, so "before" and "after" can be measured by rolling it back.
// Sort-key indexes are partial on what the public lists show, and end in id so keyset pagination is an index walk.
const indexes: ReadonlyArray<readonly [name: string, definition: string]> = [
  // Unique keys
  ['users_email_key', 'UNIQUE INDEX users_email_key ON users (email)'],
  ['mentors_user_id_key', 'UNIQUE INDEX mentors_user_id_key ON mentors (user_id)'],
  // Composite filters
  ['mentors_status_active_idx', 'INDEX mentors_status_active_idx ON mentors (status, is_active)'],
  ['courses_status_active_idx', 'INDEX courses_status_active_idx ON courses (status, is_active)'],
  // Foreign keys (the rest are the leading column of a primary key, unique key or the index below)
  [
    'courses_instructor_id_idx',
    'INDEX courses_instructor_id_idx ON courses (instructor_id, created_at DESC)',
  ],
  ['courses_cover_media_id_idx', 'INDEX courses_cover_media_id_idx ON courses (cover_media_id)'],
  ['users_avatar_media_id_idx', 'INDEX users_avatar_media_id_idx ON users (avatar_media_id)'],
  ['media_owner_id_idx', 'INDEX media_owner_id_idx ON media (owner_id)'],
  ['media_parent_id_idx', 'INDEX media_parent_id_idx ON media (parent_id)'],
  ['sessions_user_id_idx', 'INDEX sessions_user_id_idx ON sessions (user_id)'],
  [
    'mentor_expertise_tag_id_idx',
    'INDEX mentor_expertise_tag_id_idx ON mentor_expertise (tag_id, mentor_id)',
  ],
  ['enrollments_user_id_idx', 'INDEX enrollments_user_id_idx ON enrollments (user_id, enrolled_at DESC)'],
  ['lesson_progress_lesson_id_idx', 'INDEX lesson_progress_lesson_id_idx ON lesson_progress (lesson_id)'],
  [
    'availability_rules_mentor_id_idx',
    'INDEX availability_rules_mentor_id_idx ON availability_rules (mentor_id)',
  ],
  [
    'availability_overrides_mentor_date_idx',
    'INDEX availability_overrides_mentor_date_idx ON availability_overrides (mentor_id, date)',
  ],
  ['bookings_mentor_id_idx', 'INDEX bookings_mentor_id_idx ON bookings (mentor_id, starts_at DESC)'],
  ['bookings_mentee_id_idx', 'INDEX bookings_mentee_id_idx ON bookings (mentee_id, starts_at DESC)'],
  ['bookings_cancelled_by_idx', 'INDEX bookings_cancelled_by_idx ON bookings (cancelled_by)'],
  ['reviews_mentor_id_idx', 'INDEX reviews_mentor_id_idx ON reviews (mentor_id, created_at DESC, id DESC)'],
  ['reviews_author_id_idx', 'INDEX reviews_author_id_idx ON reviews (author_id)'],
  [
    'notifications_user_id_idx',
    'INDEX notifications_user_id_idx ON notifications (user_id, created_at DESC)',
  ],
  // Sort keys of the public lists
  ['users_created_at_idx', 'INDEX users_created_at_idx ON users (created_at DESC)'],
  [
    'mentors_rating_idx',
    `INDEX mentors_rating_idx ON mentors (rating_avg DESC, id DESC) WHERE status = 'approved' AND is_active`,
  ],
  [
    'mentors_price_idx',
    `INDEX mentors_price_idx ON mentors (hourly_rate_cents, id) WHERE status = 'approved' AND is_active`,
  ],
  [
    'mentors_created_at_idx',
    `INDEX mentors_created_at_idx ON mentors (created_at DESC, id DESC) WHERE status = 'approved' AND is_active`,
  ],
  [
    'courses_created_at_idx',
    `INDEX courses_created_at_idx ON courses (created_at DESC, id DESC) WHERE status = 'published' AND is_active`,
  ],
  [
    'courses_popular_idx',
    `INDEX courses_popular_idx ON courses (enrollments_count DESC, id DESC) WHERE status = 'published' AND is_active`,
  ],
  [
    'courses_price_idx',
    `INDEX courses_price_idx ON courses (price_cents, id) WHERE status = 'published' AND is_active`,
  ],
  // Search
  ['mentors_search_idx', 'INDEX mentors_search_idx ON mentors USING gin (search_vector)'],
  ['mentors_languages_idx', 'INDEX mentors_languages_idx ON mentors USING gin (languages)'],
  ['courses_search_idx', 'INDEX courses_search_idx ON courses USING gin (search_vector)'],
];

export const indexNames = indexes.map(([name]) => name);

export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    indexes.map(([, definition]) => `CREATE ${definition}`),
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    indexes.map(([name]) => `DROP INDEX ${name}`),
  );
}
