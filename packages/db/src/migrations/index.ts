import type { Migration, MigrationProvider } from 'kysely';
import * as schema from './0001_schema';
import * as indexes from './0002_indexes';
import * as sessionLastSeen from './0003_session_last_seen';
import * as outbox from './0004_outbox';
import * as outboxDropped from './0005_outbox_dropped';
import * as bookingCalendar from './0006_booking_calendar';
import * as accounts from './0007_accounts';
import * as bookingChanges from './0008_booking_changes';
import * as preferencesReminders from './0009_preferences_reminders';
import * as outboxOps from './0010_outbox_ops';
import * as calendarFeed from './0011_calendar_feed';
import * as conversations from './0012_conversations';
import * as moderation from './0013_moderation';
import * as reliability from './0014_reliability';
import * as messageDigest from './0015_message_digest';
import * as itemIdBigint from './0016_item_id_bigint';
import * as compactExpertise from './0017_compact_expertise';

// A static list, not a folder scan, so migrations ship inside bundles and run the same everywhere.
export const migrations: Record<string, Migration> = {
  '0001_schema': schema,
  '0002_indexes': indexes,
  '0003_session_last_seen': sessionLastSeen,
  '0004_outbox': outbox,
  '0005_outbox_dropped': outboxDropped,
  '0006_booking_calendar': bookingCalendar,
  '0007_accounts': accounts,
  '0008_booking_changes': bookingChanges,
  '0009_preferences_reminders': preferencesReminders,
  '0010_outbox_ops': outboxOps,
  '0011_calendar_feed': calendarFeed,
  '0012_conversations': conversations,
  '0013_moderation': moderation,
  '0014_reliability': reliability,
  '0015_message_digest': messageDigest,
  '0016_item_id_bigint': itemIdBigint,
  '0017_compact_expertise': compactExpertise,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: () => Promise.resolve(migrations),
};
