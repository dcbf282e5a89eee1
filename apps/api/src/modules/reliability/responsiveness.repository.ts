import type { Database } from '@mentorhub/db';
import { sql, type Kysely, type Transaction } from 'kysely';

const ANSWERED = sql`b.status IN ('confirmed', 'declined', 'completed', 'cancelled', 'no_show')`;

/**
 * Recomputes the responsiveness of the given mentors (or of every approved one) over the requests made after
 * `since`, in one statement: the response rate (answered / answered or expired, rounded down), the median minutes to answer,
 * and whether the directory hides the mentor. A mentor is hidden when a request expired unanswered at or before
 * `inactiveBefore` and they have neither answered a request nor changed their availability since it was made
 * (`inactive_since` is that request's time). Only rows that change are written; they are answered, with whether
 * their visibility changed.
 *
 * A request's start is never before it was made, so `starts_at > since` lets the scan walk
 * bookings_mentor_id_idx (mentor_id, starts_at) before `created_at` narrows it.
 */
export function refreshResponsiveness(
  db: Kysely<Database> | Transaction<Database>,
  window: { since: Date; inactiveBefore: Date | null; now: Date; staleBefore: Date },
  mentorIds?: readonly number[],
) {
  const which =
    mentorIds === undefined ? sql`mm.status = 'approved'` : sql`mm.id IN (${sql.join(mentorIds)})`;
  const inactiveBefore = window.inactiveBefore;
  // Expired, whether or not the expiry sweep has stored it yet (as booking-lifecycle's isStaleRequest says).
  const unanswered = sql`(b.status = 'expired' OR (b.status = 'requested'
    AND (b.created_at <= ${window.staleBefore} OR b.starts_at <= ${window.now})))`;
  // Requests still open and ones the mentee withdrew unanswered are not counted.
  const counted = sql`(${ANSWERED} OR ${unanswered})`;
  return sql<{ id: number; user_id: number; visibility_changed: boolean }>`
    UPDATE mentors AS m
    SET response_requests = s.requests, response_rate = s.rate, response_median_minutes = s.median,
        inactive_since = s.inactive_since
    FROM (
      SELECT mm.id, mm.inactive_since AS was_inactive_since, a.requests,
             CASE WHEN a.requests = 0 THEN 0 ELSE floor(100.0 * a.answered / a.requests)::int END AS rate,
             round(a.median_minutes)::int AS median,
             ${
               inactiveBefore === null
                 ? sql`NULL::timestamptz`
                 : sql`CASE WHEN i.first_ignored <= ${inactiveBefore} THEN i.first_ignored END`
             } AS inactive_since
      FROM mentors mm
      CROSS JOIN LATERAL (
        SELECT count(*) FILTER (WHERE ${counted})::int AS requests,
               count(*) FILTER (WHERE ${ANSWERED})::int AS answered,
               percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM b.answered_at - b.created_at) / 60)
                 FILTER (WHERE b.answered_at IS NOT NULL) AS median_minutes,
               max(b.answered_at) AS last_answer
        FROM bookings b
        WHERE b.mentor_id = mm.id AND b.starts_at > ${window.since} AND b.created_at > ${window.since}
      ) a
      CROSS JOIN LATERAL (
        SELECT min(b.created_at) AS first_ignored
        FROM bookings b
        WHERE b.mentor_id = mm.id AND ${unanswered} AND b.starts_at > ${window.since}
          AND b.created_at > greatest(${window.since}, a.last_answer, mm.availability_changed_at)
      ) i
      WHERE ${which}
    ) s
    WHERE m.id = s.id
      AND (m.response_requests, m.response_rate, m.response_median_minutes, m.inactive_since)
          IS DISTINCT FROM (s.requests, s.rate, s.median, s.inactive_since)
    RETURNING m.id, m.user_id, (s.was_inactive_since IS NULL) <> (m.inactive_since IS NULL) AS visibility_changed`.execute(
    db,
  );
}

/** Records that the mentor changed their availability (by the app's clock): a sign they are back. */
export function markAvailabilityChanged(trx: Transaction<Database>, mentorId: number, at: Date) {
  return trx.updateTable('mentors').set({ availability_changed_at: at }).where('id', '=', mentorId).execute();
}
