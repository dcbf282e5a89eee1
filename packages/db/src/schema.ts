import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

// Row types of the database, written to match the migrations (tests compare them with the live schema).
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** numeric columns arrive as strings so no precision is lost on the way. */
type Numeric = ColumnType<string, number | string | undefined, number | string>;
/** bigint: arrives as a string (exact beyond 2^53), written from a number or a string. */
type Bigint = ColumnType<string, number | string, number | string>;
type ReadOnly<T> = ColumnType<T, never, never>;

export type UserRole = 'mentee' | 'mentor' | 'admin';
export type MentorStatus = 'pending' | 'approved' | 'rejected' | 'suspended';
export type CourseStatus = 'draft' | 'published' | 'archived';
export type CourseLevel = 'beginner' | 'intermediate' | 'advanced';
export type BookingStatus =
  'requested' | 'confirmed' | 'declined' | 'expired' | 'completed' | 'cancelled' | 'no_show' | 'withdrawn';
export type MediaKind = 'avatar' | 'cover' | 'upload';
export type ReviewStatus = 'published' | 'hidden';

export interface UsersTable {
  id: Generated<number>;
  email: string;
  password_hash: string | null;
  name: string;
  bio: Generated<string>;
  role: Generated<UserRole>;
  timezone: Generated<string>;
  avatar_media_id: number | null;
  is_active: Generated<boolean>;
  /** Null until the user opens the link mailed at sign-up (or a reset link); such an account has no password. */
  email_verified_at: Date | null;
  /** A suspension is in force while this is later than now (for good: the year 9999); null: not suspended. */
  suspended_until: Date | null;
  /** Until when reliability strikes keep the account from booking (a mentee) or being booked (a mentor). */
  paused_until: Date | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface MediaTable {
  id: Generated<number>;
  owner_id: number | null;
  parent_id: number | null;
  kind: MediaKind;
  content_type: string;
  width: number;
  height: number;
  byte_size: number;
  data: Buffer;
  created_at: CreatedAt;
}

export interface SessionsTable {
  id: Generated<number>;
  user_id: number;
  token_hash: Buffer;
  user_agent: string | null;
  ip: string | null;
  created_at: CreatedAt;
  expires_at: Timestamp;
  revoked_at: Date | null;
  /** When the session was last used (moved at most once per interval); idle sessions end. */
  last_seen_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface MentorsTable {
  id: Generated<number>;
  user_id: number;
  headline: string;
  bio: Generated<string>;
  hourly_rate_cents: number;
  currency: Generated<string>;
  languages: Generated<string[]>;
  timezone: Generated<string>;
  years_experience: Generated<number>;
  session_minutes: Generated<number>;
  min_notice_minutes: Generated<number>;
  buffer_minutes: Generated<number>;
  status: Generated<MentorStatus>;
  is_active: Generated<boolean>;
  rating_avg: Numeric;
  rating_count: Generated<number>;
  sessions_completed: Generated<number>;
  /** The mentor's own video room for all sessions (https); null: each booking gets a generated room. */
  meeting_url: string | null;
  /** Percent of booking requests of the last 90 days answered (confirmed or declined); 0 without requests. */
  response_rate: Generated<number>;
  /** Booking requests the response rate counts (0: no history yet). */
  response_requests: Generated<number>;
  /** Median minutes from request to answer over the same requests; null without timed answers. */
  response_median_minutes: number | null;
  /** When the mentor last changed their availability (by the app's clock): a sign they are back. */
  availability_changed_at: Date | null;
  /** Set while the mentor is hidden from the directory for leaving requests unanswered: since when. */
  inactive_since: Date | null;
  search_vector: ReadOnly<string>;
  /** Maintained by triggers from mentor_expertise and expertise_tags; never written directly. */
  expertise: ReadOnly<{ slug: string; name: string }[]>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface ExpertiseTagsTable {
  id: Generated<number>;
  slug: string;
  name: string;
}

export interface MentorExpertiseTable {
  mentor_id: number;
  tag_id: number;
}

export interface CoursesTable {
  id: Generated<number>;
  instructor_id: number;
  slug: string;
  title: string;
  summary: Generated<string>;
  description: Generated<string>;
  level: CourseLevel;
  price_cents: Generated<number>;
  currency: Generated<string>;
  cover_media_id: number | null;
  status: Generated<CourseStatus>;
  is_active: Generated<boolean>;
  lessons_count: Generated<number>;
  duration_minutes: Generated<number>;
  enrollments_count: Generated<number>;
  search_vector: ReadOnly<string>;
  published_at: Date | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface LessonsTable {
  id: Generated<number>;
  course_id: number;
  position: number;
  title: string;
  content: Generated<string>;
  duration_minutes: Generated<number>;
  is_preview: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface EnrollmentsTable {
  id: Generated<number>;
  course_id: number;
  user_id: number;
  enrolled_at: CreatedAt;
  completed_at: Date | null;
}

export interface LessonProgressTable {
  enrollment_id: number;
  lesson_id: number;
  completed_at: CreatedAt;
}

export interface AvailabilityRulesTable {
  id: Generated<number>;
  mentor_id: number;
  weekday: number;
  start_minute: number;
  end_minute: number;
}

export interface AvailabilityOverridesTable {
  id: Generated<number>;
  mentor_id: number;
  /** 'YYYY-MM-DD': a calendar date has no timezone, so it never becomes a Date. */
  date: string;
  start_minute: number | null;
  end_minute: number | null;
  is_available: boolean;
}

export interface BookingsTable {
  id: Generated<number>;
  mentor_id: number;
  mentee_id: number;
  starts_at: Timestamp;
  ends_at: Timestamp;
  status: Generated<BookingStatus>;
  price_cents: number;
  currency: string;
  note: Generated<string>;
  cancelled_by: number | null;
  cancel_reason: string | null;
  /**
   * The booking's version and the iCalendar SEQUENCE of its event: incremented by every change of status or time,
   * and by every reschedule proposal made or closed.
   */
  sequence: Generated<number>;
  /** The generated video room of a booking whose mentor has no meeting URL of their own (random, stable). */
  meeting_room: Generated<string>;
  /** The open proposal to move the session (all three set, or none); its time is held like a booked one. */
  proposed_starts_at: Timestamp | null;
  proposed_ends_at: Timestamp | null;
  proposed_by: number | null;
  /** When the mentor confirmed or declined the request, by the app's clock. */
  answered_at: Date | null;
  /** A no-show: the party who did not come. */
  absent_user_id: number | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export type StrikeKind = 'no_show' | 'late_cancel';
export type DisputeStatus = 'open' | 'upheld' | 'voided';

export interface ReliabilityStrikesTable {
  id: Generated<number>;
  user_id: number;
  booking_id: number;
  kind: StrikeKind;
  given_at: Timestamp;
  /** Set when an admin voids the strike on a dispute: it no longer counts. */
  voided_at: Date | null;
}

export interface NoShowDisputesTable {
  id: Generated<number>;
  booking_id: number;
  strike_id: number;
  user_id: number;
  reason: string;
  status: Generated<DisputeStatus>;
  created_at: Timestamp;
  decided_by: number | null;
  decided_at: Date | null;
  decision_reason: string | null;
}

export interface IdempotencyKeysTable {
  user_id: number;
  key: string;
  request_hash: string;
  response_status: number | null;
  response_body: unknown;
  created_at: CreatedAt;
}

export interface ReviewsTable {
  id: Generated<number>;
  booking_id: number;
  mentor_id: number;
  author_id: number;
  rating: number;
  body: Generated<string>;
  status: Generated<ReviewStatus>;
  created_at: CreatedAt;
}

export interface NotificationsTable {
  id: Generated<number>;
  user_id: number;
  type: string;
  payload: ColumnType<unknown, string | undefined, string>;
  read_at: Date | null;
  created_at: CreatedAt;
}

export type OutboxChannel = 'email';
export type OutboxStatus = 'pending' | 'sent' | 'dead' | 'dropped';

export interface OutboxTable {
  id: Generated<number>;
  channel: OutboxChannel;
  idempotency_key: string;
  recipient_id: number;
  kind: string;
  payload: ColumnType<unknown, string, string>;
  status: Generated<OutboxStatus>;
  attempts: Generated<number>;
  /** When the row is next due: at once, after a retry's backoff, or when a claim's lease ends. */
  available_at: ColumnType<Date, Date | undefined, Date>;
  /** Set by each claim, so only the worker holding the latest claim can settle the row. */
  claim_token: string | null;
  last_error: string | null;
  created_at: CreatedAt;
  sent_at: Date | null;
  /** When a worker last claimed the row (its latest delivery attempt began). */
  last_attempt_at: Date | null;
  /** When the row left 'pending' (sent, dead or dropped); null exactly while it is pending. */
  settled_at: Date | null;
}

export type AccountTokenPurpose = 'verify_email' | 'reset_password' | 'change_email';

/** A link mailed for one purpose: only the token's SHA-256 is stored; it expires and is spent once. */
export interface AccountTokensTable {
  id: Generated<number>;
  user_id: number;
  purpose: AccountTokenPurpose;
  token_hash: Buffer;
  /** The address an email change confirms (change_email only). */
  new_email: string | null;
  created_at: CreatedAt;
  expires_at: Timestamp;
  used_at: Date | null;
}

/** A user's personal calendar feed: only the SHA-256 of its secret is stored. */
export interface CalendarFeedsTable {
  user_id: number;
  secret_hash: Buffer;
  /** When the current secret was issued (created or rotated). */
  issued_at: ColumnType<Date, Date | undefined, Date>;
}

export interface NotificationPreferencesTable {
  user_id: number;
  /** Switched-off "<group>.<channel>" pairs, e.g. "reminders.email". */
  opted_out: Generated<string[]>;
  reminder_offset_minutes: number[];
  updated_at: UpdatedAt;
}

/** One per mentee–mentor pair; a mentor can close it (no new messages). */
export interface ConversationsTable {
  id: Generated<number>;
  mentee_id: number;
  mentor_id: number;
  /** bigint: arrives as a string. */
  last_message_id: ColumnType<string | null, string | number | null | undefined, string | number | null>;
  closed_at: Date | null;
  closed_by: number | null;
  created_at: CreatedAt;
}

/** Plain text as sent; a moderator may hide one (it then reads as removed to both sides). */
export interface MessagesTable {
  id: ColumnType<string, never, never>;
  conversation_id: number;
  sender_id: number;
  body: string;
  created_at: CreatedAt;
  hidden_at: Date | null;
}

/** A participant's side of a conversation: read position and inbox sort key. */
export interface ConversationMembersTable {
  conversation_id: number;
  user_id: number;
  other_user_id: number;
  last_read_message_id: ColumnType<string, string | number | undefined, string | number>;
  last_activity_at: ColumnType<Date, Date | string | undefined, Date | string>;
  /** The last message id an unread-messages digest covered: later digests list only messages after it. */
  digested_message_id: ColumnType<string, string | number | undefined, string | number>;
  /**
   * When the oldest of the other party's messages after both read and digest positions arrived (null: none
   * waits); the digest job's work list.
   */
  undigested_since: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface UserBlocksTable {
  blocker_id: number;
  blocked_id: number;
  created_at: CreatedAt;
}

export type ReportableKind = 'review' | 'mentor' | 'course' | 'user' | 'message';
export type ModerationOutcome = 'dismissed' | 'hidden' | 'warned' | 'suspended' | 'reinstated';

/** The open reports of one item wait in its one open case until an admin decides it. */
export interface ModerationCasesTable {
  id: Generated<number>;
  item_kind: ReportableKind;
  item_id: Bigint;
  owner_id: number;
  status: Generated<'open' | 'closed'>;
  /** Null exactly while the case is open. */
  outcome: ModerationOutcome | null;
  opened_at: CreatedAt;
  decided_at: Date | null;
}

/** One user's report of one item (unique per reporter and item). */
export interface ReportsTable {
  id: Generated<number>;
  case_id: number;
  reporter_id: number;
  item_kind: ReportableKind;
  item_id: Bigint;
  reason: string;
  details: Generated<string>;
  created_at: CreatedAt;
}

/** Append-only: the database refuses UPDATE, DELETE and TRUNCATE. */
export interface AuditLogTable {
  id: Generated<number>;
  actor_id: number;
  action: string;
  subject_kind: string;
  subject_id: Bigint;
  reason: string;
  details: ColumnType<Record<string, unknown>, string | undefined, never>;
  created_at: CreatedAt;
}

export interface Database {
  users: UsersTable;
  media: MediaTable;
  sessions: SessionsTable;
  mentors: MentorsTable;
  expertise_tags: ExpertiseTagsTable;
  mentor_expertise: MentorExpertiseTable;
  courses: CoursesTable;
  lessons: LessonsTable;
  enrollments: EnrollmentsTable;
  lesson_progress: LessonProgressTable;
  availability_rules: AvailabilityRulesTable;
  availability_overrides: AvailabilityOverridesTable;
  bookings: BookingsTable;
  idempotency_keys: IdempotencyKeysTable;
  reviews: ReviewsTable;
  notifications: NotificationsTable;
  outbox: OutboxTable;
  account_tokens: AccountTokensTable;
  calendar_feeds: CalendarFeedsTable;
  notification_preferences: NotificationPreferencesTable;
  conversations: ConversationsTable;
  messages: MessagesTable;
  conversation_members: ConversationMembersTable;
  user_blocks: UserBlocksTable;
  moderation_cases: ModerationCasesTable;
  reports: ReportsTable;
  audit_log: AuditLogTable;
  reliability_strikes: ReliabilityStrikesTable;
  no_show_disputes: NoShowDisputesTable;
}

export type User = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type UserUpdate = Updateable<UsersTable>;
export type Mentor = Selectable<MentorsTable>;
export type Course = Selectable<CoursesTable>;
export type Lesson = Selectable<LessonsTable>;
