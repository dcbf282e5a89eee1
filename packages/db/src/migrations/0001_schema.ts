import type { Kysely } from 'kysely';
import { runStatements } from './run-statements';

// Frozen in time: later schema changes are new migrations, never edits here.
// Times are timestamptz(3) in UTC (millisecond precision keeps keyset cursors exact in JavaScript);
// money is integer cents with an ISO currency code.

const upStatements = [
  `CREATE EXTENSION IF NOT EXISTS btree_gist`,
  `CREATE EXTENSION IF NOT EXISTS pg_trgm`,

  `CREATE TABLE users (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email text NOT NULL CHECK (email = lower(email) AND length(email) <= 254),
    password_hash text,
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
    bio text NOT NULL DEFAULT '' CHECK (length(bio) <= 4000),
    role text NOT NULL DEFAULT 'mentee' CHECK (role IN ('mentee', 'mentor', 'admin')),
    timezone text NOT NULL DEFAULT 'UTC',
    avatar_media_id integer,
    is_active boolean NOT NULL DEFAULT true,
    created_at timestamptz(3) NOT NULL DEFAULT now(),
    updated_at timestamptz(3) NOT NULL DEFAULT now()
  )`,

  `CREATE TABLE media (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    owner_id integer REFERENCES users (id) ON DELETE SET NULL,
    parent_id integer REFERENCES media (id) ON DELETE CASCADE,
    kind text NOT NULL CHECK (kind IN ('avatar', 'cover', 'upload')),
    content_type text NOT NULL CHECK (content_type IN ('image/svg+xml', 'image/webp', 'image/avif', 'image/png', 'image/jpeg')),
    width integer NOT NULL CHECK (width > 0),
    height integer NOT NULL CHECK (height > 0),
    byte_size integer NOT NULL CHECK (byte_size >= 0),
    data bytea NOT NULL,
    created_at timestamptz(3) NOT NULL DEFAULT now()
  )`,
  `ALTER TABLE users ADD CONSTRAINT users_avatar_media_id_fkey
    FOREIGN KEY (avatar_media_id) REFERENCES media (id) ON DELETE SET NULL`,

  `CREATE TABLE sessions (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash bytea NOT NULL UNIQUE,
    user_agent text,
    ip inet,
    created_at timestamptz(3) NOT NULL DEFAULT now(),
    expires_at timestamptz(3) NOT NULL,
    revoked_at timestamptz(3)
  )`,

  `CREATE TABLE mentors (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    headline text NOT NULL CHECK (length(headline) BETWEEN 1 AND 160),
    bio text NOT NULL DEFAULT '' CHECK (length(bio) <= 8000),
    hourly_rate_cents integer NOT NULL CHECK (hourly_rate_cents BETWEEN 0 AND 10000000),
    currency char(3) NOT NULL DEFAULT 'USD',
    languages text[] NOT NULL DEFAULT '{}',
    timezone text NOT NULL DEFAULT 'UTC',
    years_experience smallint NOT NULL DEFAULT 0 CHECK (years_experience BETWEEN 0 AND 80),
    session_minutes smallint NOT NULL DEFAULT 60 CHECK (session_minutes BETWEEN 15 AND 240),
    min_notice_minutes integer NOT NULL DEFAULT 720 CHECK (min_notice_minutes >= 0),
    buffer_minutes smallint NOT NULL DEFAULT 0 CHECK (buffer_minutes BETWEEN 0 AND 240),
    status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected', 'suspended')),
    is_active boolean NOT NULL DEFAULT true,
    rating_avg numeric(3, 2) NOT NULL DEFAULT 0 CHECK (rating_avg BETWEEN 0 AND 5),
    rating_count integer NOT NULL DEFAULT 0 CHECK (rating_count >= 0),
    sessions_completed integer NOT NULL DEFAULT 0 CHECK (sessions_completed >= 0),
    search_vector tsvector NOT NULL DEFAULT ''::tsvector,
    expertise jsonb NOT NULL DEFAULT '[]',
    created_at timestamptz(3) NOT NULL DEFAULT now(),
    updated_at timestamptz(3) NOT NULL DEFAULT now()
  )`,

  // The searchable text spans two tables (the mentor's name lives on users), so triggers keep it current.
  `CREATE FUNCTION mentors_search_vector_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    NEW.search_vector :=
      setweight(to_tsvector('simple', coalesce((SELECT name FROM users WHERE id = NEW.user_id), '')), 'A') ||
      setweight(to_tsvector('simple', NEW.headline), 'B') ||
      setweight(to_tsvector('simple', NEW.bio), 'C');
    RETURN NEW;
  END $$`,
  `CREATE TRIGGER mentors_search_vector_refresh BEFORE INSERT OR UPDATE OF user_id, headline, bio ON mentors
    FOR EACH ROW EXECUTE FUNCTION mentors_search_vector_refresh()`,
  `CREATE FUNCTION users_name_to_mentor_search() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    UPDATE mentors SET headline = headline WHERE user_id = NEW.id;
    RETURN NULL;
  END $$`,
  `CREATE TRIGGER users_name_to_mentor_search AFTER UPDATE OF name ON users
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name) EXECUTE FUNCTION users_name_to_mentor_search()`,

  `CREATE TABLE expertise_tags (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    name text NOT NULL
  )`,
  `CREATE TABLE mentor_expertise (
    mentor_id integer NOT NULL REFERENCES mentors (id) ON DELETE CASCADE,
    tag_id integer NOT NULL REFERENCES expertise_tags (id) ON DELETE CASCADE,
    PRIMARY KEY (mentor_id, tag_id)
  )`,

  // mentors.expertise mirrors mentor_expertise ⋈ expertise_tags as [{slug, name}] ordered by name, kept current by
  // statement-level triggers: lists read one column instead of running a join per listed mentor (half the
  // database time of a mentor list page, measured).
  `CREATE FUNCTION mentors_expertise_refresh(mentor_ids integer[]) RETURNS void LANGUAGE sql AS $$
    UPDATE mentors m SET expertise = coalesce((
      SELECT jsonb_agg(jsonb_build_object('slug', t.slug, 'name', t.name) ORDER BY t.name, t.slug)
      FROM mentor_expertise me JOIN expertise_tags t ON t.id = me.tag_id WHERE me.mentor_id = m.id), '[]')
    WHERE m.id = ANY (mentor_ids)
  $$`,
  `CREATE FUNCTION mentor_expertise_changed() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
      PERFORM mentors_expertise_refresh(ARRAY(SELECT DISTINCT mentor_id FROM changed_rows));
    END IF;
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
      PERFORM mentors_expertise_refresh(ARRAY(SELECT DISTINCT mentor_id FROM removed_rows));
    END IF;
    RETURN NULL;
  END $$`,
  `CREATE TRIGGER mentor_expertise_inserted AFTER INSERT ON mentor_expertise
    REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION mentor_expertise_changed()`,
  `CREATE TRIGGER mentor_expertise_updated AFTER UPDATE ON mentor_expertise
    REFERENCING NEW TABLE AS changed_rows OLD TABLE AS removed_rows FOR EACH STATEMENT EXECUTE FUNCTION mentor_expertise_changed()`,
  `CREATE TRIGGER mentor_expertise_deleted AFTER DELETE ON mentor_expertise
    REFERENCING OLD TABLE AS removed_rows FOR EACH STATEMENT EXECUTE FUNCTION mentor_expertise_changed()`,
  `CREATE FUNCTION expertise_tags_renamed() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    PERFORM mentors_expertise_refresh(ARRAY(SELECT mentor_id FROM mentor_expertise WHERE tag_id = NEW.id));
    RETURN NULL;
  END $$`,
  `CREATE TRIGGER expertise_tags_renamed AFTER UPDATE OF slug, name ON expertise_tags
    FOR EACH ROW EXECUTE FUNCTION expertise_tags_renamed()`,

  `CREATE TABLE courses (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    instructor_id integer NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
    slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(slug) <= 120),
    title text NOT NULL CHECK (length(title) BETWEEN 1 AND 160),
    summary text NOT NULL DEFAULT '' CHECK (length(summary) <= 500),
    description text NOT NULL DEFAULT '' CHECK (length(description) <= 20000),
    level text NOT NULL CHECK (level IN ('beginner', 'intermediate', 'advanced')),
    price_cents integer NOT NULL DEFAULT 0 CHECK (price_cents BETWEEN 0 AND 10000000),
    currency char(3) NOT NULL DEFAULT 'USD',
    cover_media_id integer REFERENCES media (id) ON DELETE SET NULL,
    status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'archived')),
    is_active boolean NOT NULL DEFAULT true,
    lessons_count integer NOT NULL DEFAULT 0 CHECK (lessons_count >= 0),
    duration_minutes integer NOT NULL DEFAULT 0 CHECK (duration_minutes >= 0),
    enrollments_count integer NOT NULL DEFAULT 0 CHECK (enrollments_count >= 0),
    search_vector tsvector GENERATED ALWAYS AS (
      setweight(to_tsvector('simple', title), 'A') || setweight(to_tsvector('simple', summary), 'B')
    ) STORED,
    published_at timestamptz(3),
    created_at timestamptz(3) NOT NULL DEFAULT now(),
    updated_at timestamptz(3) NOT NULL DEFAULT now()
  )`,

  // Deferrable so a reorder can permute positions in one statement.
  `CREATE TABLE lessons (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    course_id integer NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    position integer NOT NULL CHECK (position >= 1),
    title text NOT NULL CHECK (length(title) BETWEEN 1 AND 160),
    content text NOT NULL DEFAULT '',
    duration_minutes integer NOT NULL DEFAULT 0 CHECK (duration_minutes >= 0),
    is_preview boolean NOT NULL DEFAULT false,
    created_at timestamptz(3) NOT NULL DEFAULT now(),
    updated_at timestamptz(3) NOT NULL DEFAULT now(),
    CONSTRAINT lessons_course_position_key UNIQUE (course_id, position) DEFERRABLE INITIALLY IMMEDIATE
  )`,

  `CREATE TABLE enrollments (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    course_id integer NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    enrolled_at timestamptz(3) NOT NULL DEFAULT now(),
    completed_at timestamptz(3),
    CONSTRAINT enrollments_course_user_key UNIQUE (course_id, user_id)
  )`,
  `CREATE TABLE lesson_progress (
    enrollment_id integer NOT NULL REFERENCES enrollments (id) ON DELETE CASCADE,
    lesson_id integer NOT NULL REFERENCES lessons (id) ON DELETE CASCADE,
    completed_at timestamptz(3) NOT NULL DEFAULT now(),
    PRIMARY KEY (enrollment_id, lesson_id)
  )`,

  // Weekly rules are wall-clock minutes in the mentor's timezone; slots are computed per date, so DST is handled
  // when a local time is turned into an instant, never stored pre-shifted.
  `CREATE TABLE availability_rules (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    mentor_id integer NOT NULL REFERENCES mentors (id) ON DELETE CASCADE,
    weekday smallint NOT NULL CHECK (weekday BETWEEN 0 AND 6),
    start_minute smallint NOT NULL CHECK (start_minute BETWEEN 0 AND 1439),
    end_minute smallint NOT NULL CHECK (end_minute BETWEEN 1 AND 1440),
    CHECK (end_minute > start_minute)
  )`,
  `CREATE TABLE availability_overrides (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    mentor_id integer NOT NULL REFERENCES mentors (id) ON DELETE CASCADE,
    date date NOT NULL,
    start_minute smallint CHECK (start_minute BETWEEN 0 AND 1439),
    end_minute smallint CHECK (end_minute BETWEEN 1 AND 1440),
    is_available boolean NOT NULL,
    CHECK ((start_minute IS NULL) = (end_minute IS NULL)),
    CHECK (start_minute IS NULL OR end_minute > start_minute)
  )`,

  // No double booking, ever: PostgreSQL refuses overlapping live bookings of one mentor.
  `CREATE TABLE bookings (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    mentor_id integer NOT NULL REFERENCES mentors (id) ON DELETE RESTRICT,
    mentee_id integer NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
    starts_at timestamptz(3) NOT NULL,
    ends_at timestamptz(3) NOT NULL,
    status text NOT NULL DEFAULT 'requested'
      CHECK (status IN ('requested', 'confirmed', 'declined', 'expired', 'completed', 'cancelled', 'no_show')),
    price_cents integer NOT NULL CHECK (price_cents >= 0),
    currency char(3) NOT NULL,
    note text NOT NULL DEFAULT '' CHECK (length(note) <= 2000),
    cancelled_by integer REFERENCES users (id) ON DELETE SET NULL,
    cancel_reason text,
    created_at timestamptz(3) NOT NULL DEFAULT now(),
    updated_at timestamptz(3) NOT NULL DEFAULT now(),
    CHECK (ends_at > starts_at),
    CONSTRAINT bookings_no_overlap EXCLUDE USING gist (
      mentor_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&
    ) WHERE (status IN ('requested', 'confirmed'))
  )`,
  `CREATE TABLE idempotency_keys (
    user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    key text NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
    request_hash text NOT NULL,
    response_status smallint,
    response_body jsonb,
    created_at timestamptz(3) NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, key)
  )`,

  `CREATE TABLE reviews (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    booking_id integer NOT NULL REFERENCES bookings (id) ON DELETE CASCADE,
    mentor_id integer NOT NULL REFERENCES mentors (id) ON DELETE CASCADE,
    author_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    rating smallint NOT NULL CHECK (rating BETWEEN 1 AND 5),
    body text NOT NULL DEFAULT '' CHECK (length(body) <= 4000),
    status text NOT NULL DEFAULT 'published' CHECK (status IN ('published', 'hidden')),
    created_at timestamptz(3) NOT NULL DEFAULT now(),
    CONSTRAINT reviews_booking_id_key UNIQUE (booking_id)
  )`,

  `CREATE TABLE notifications (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    type text NOT NULL,
    payload jsonb NOT NULL DEFAULT '{}',
    read_at timestamptz(3),
    created_at timestamptz(3) NOT NULL DEFAULT now()
  )`,
];

const downStatements = [
  `DROP TABLE notifications`,
  `DROP TABLE reviews`,
  `DROP TABLE idempotency_keys`,
  `DROP TABLE bookings`,
  `DROP TABLE availability_overrides`,
  `DROP TABLE availability_rules`,
  `DROP TABLE lesson_progress`,
  `DROP TABLE enrollments`,
  `DROP TABLE lessons`,
  `DROP TABLE courses`,
  `DROP TABLE mentor_expertise`,
  `DROP FUNCTION mentor_expertise_changed()`,
  `DROP TABLE expertise_tags`,
  `DROP FUNCTION expertise_tags_renamed()`,
  `DROP FUNCTION mentors_expertise_refresh(integer[])`,
  `DROP TRIGGER users_name_to_mentor_search ON users`,
  `DROP FUNCTION users_name_to_mentor_search()`,
  `DROP TABLE mentors`,
  `DROP FUNCTION mentors_search_vector_refresh()`,
  `DROP TABLE sessions`,
  `ALTER TABLE users DROP CONSTRAINT users_avatar_media_id_fkey`,
  `DROP TABLE media`,
  `DROP TABLE users`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, upStatements);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, downStatements);
}
