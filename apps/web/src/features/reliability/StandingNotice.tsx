import { formatDateTime } from '@/lib/format';
import { disputeNoShow } from './actions';
import { disputableNoShows, myStanding } from './data';

const kindLabel = { no_show: 'Reported no-show', late_cancel: 'Late cancellation' } as const;

/**
 * Why the reader has strikes, whether they are paused and until when, and how to dispute a reported no-show; a
 * mentor hidden from the directory for leaving requests unanswered is told how to come back. Nothing when all is
 * well.
 */
export async function StandingNotice({ timezone }: { timezone: string }) {
  const standing = await myStanding();
  if (!standing || (standing.strikes.length === 0 && !standing.hiddenSince)) return null;
  const { rules } = standing;
  const disputable = disputableNoShows(standing, new Date());
  return (
    <section id="standing" className="notice" aria-labelledby="standing-heading">
      <h2 id="standing-heading">Your reliability</h2>
      {standing.pausedUntil ? (
        <p>
          <strong>You cannot book or be booked until {formatDateTime(standing.pausedUntil, timezone)}</strong>
          : {rules.strikesToPause} strikes within {rules.strikeWindowDays} days pause an account for{' '}
          {rules.pauseDays} days.
        </p>
      ) : null}
      {standing.hiddenSince ? (
        <p>
          Your profile is hidden from the mentor directory: requests to you have gone unanswered since{' '}
          {formatDateTime(standing.hiddenSince, timezone)}. Answer a request or update your availability to be
          listed again.
        </p>
      ) : null}
      {standing.strikes.length > 0 ? (
        <>
          <p>
            {standing.strikes.length} strike{standing.strikes.length === 1 ? '' : 's'} in effect. A strike
            counts for {rules.strikeExpiryDays} days; a reported no-show can be disputed within{' '}
            {rules.disputeWindowDays} days.
          </p>
          <ul>
            {standing.strikes.map((strike) => (
              <li key={strike.id}>
                {kindLabel[strike.kind]} on {formatDateTime(strike.givenAt, timezone)}, counts until{' '}
                {formatDateTime(strike.expiresAt, timezone)}
                {strike.dispute ? ` · dispute ${strike.dispute.status}` : null}
                {disputable.has(strike.bookingId) ? (
                  <form action={disputeNoShow} className="stack">
                    <input type="hidden" name="bookingId" value={strike.bookingId} />
                    <label htmlFor={`dispute-${String(strike.id)}`}>Why the report is wrong</label>
                    <textarea
                      id={`dispute-${String(strike.id)}`}
                      name="reason"
                      required
                      maxLength={2000}
                      rows={2}
                    />
                    <button type="submit" className="button">
                      Dispute
                    </button>
                  </form>
                ) : null}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}
