import type { Database } from '@mentorhub/db';
import { sql, type Kysely, type Transaction } from 'kysely';

type Db = Kysely<Database> | Transaction<Database>;

/** A user's stored preferences; undefined for a user who never changed any (the defaults apply). */
export function findByUserIds(db: Db, userIds: readonly number[]) {
  return db
    .selectFrom('notification_preferences')
    .select(['user_id', 'opted_out'])
    .where('user_id', 'in', userIds)
    .execute();
}

export function findByUserId(db: Db, userId: number) {
  return db
    .selectFrom('notification_preferences')
    .select(['opted_out', 'reminder_offset_minutes'])
    .where('user_id', '=', userId)
    .executeTakeFirst();
}

const textArray = (values: readonly string[]) => sql<string[]>`ARRAY[${sql.join(values)}]::text[]`;
const integerArray = (values: readonly number[]) => sql<number[]>`ARRAY[${sql.join(values)}]::integer[]`;

/** Replaces the user's preferences (one statement, so a user's first save and later saves are alike). */
export async function save(
  db: Db,
  userId: number,
  optedOut: readonly string[],
  reminderOffsetMinutes: readonly number[],
): Promise<void> {
  await db
    .insertInto('notification_preferences')
    .values({
      user_id: userId,
      opted_out: textArray(optedOut),
      reminder_offset_minutes: integerArray(reminderOffsetMinutes),
    })
    .onConflict((oc) =>
      oc.column('user_id').doUpdateSet((eb) => ({
        opted_out: eb.ref('excluded.opted_out'),
        reminder_offset_minutes: eb.ref('excluded.reminder_offset_minutes'),
        updated_at: sql<Date>`now()`,
      })),
    )
    .execute();
}

/**
 * Adds one "<group>.<channel>" to the user's switched-off pairs, keeping everything else (one statement); false
 * when there is no such user.
 */
export async function optOut(
  db: Db,
  userId: number,
  pair: string,
  defaultOffsetMinutes: readonly number[],
): Promise<boolean> {
  const result = await db
    .insertInto('notification_preferences')
    .columns(['user_id', 'opted_out', 'reminder_offset_minutes'])
    .expression((eb) =>
      eb
        .selectFrom('users')
        .select((select) => [
          select.ref('id').as('user_id'),
          textArray([pair]).as('opted_out'),
          integerArray(defaultOffsetMinutes).as('reminder_offset_minutes'),
        ])
        .where('id', '=', userId),
    )
    .onConflict((oc) =>
      oc.column('user_id').doUpdateSet({
        opted_out: sql<string[]>`CASE WHEN ${pair} = ANY (notification_preferences.opted_out)
          THEN notification_preferences.opted_out
          ELSE array_append(notification_preferences.opted_out, ${pair}::text) END`,
        updated_at: sql<Date>`now()`,
      }),
    )
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
}
