import type { Config } from '../../config/config';

const DAY_MS = 24 * 3_600_000;

/** The written reliability rules, from configuration (README: NO_SHOW_GRACE_MINUTES and the rows after it). */
export interface ReliabilityPolicy {
  noShowGraceMs: number;
  lateCancelMs: number;
  strikeExpiryMs: number;
  /** 0: strikes never pause an account. */
  strikesToPause: number;
  strikeWindowMs: number;
  pauseMs: number;
  disputeWindowMs: number;
}

export function reliabilityPolicyOf(config: Config): ReliabilityPolicy {
  return {
    noShowGraceMs: config.NO_SHOW_GRACE_MINUTES * 60_000,
    lateCancelMs: config.LATE_CANCEL_HOURS * 3_600_000,
    strikeExpiryMs: config.STRIKE_EXPIRY_DAYS * DAY_MS,
    strikesToPause: config.STRIKES_TO_PAUSE,
    strikeWindowMs: config.STRIKE_WINDOW_DAYS * DAY_MS,
    pauseMs: config.PAUSE_DAYS * DAY_MS,
    disputeWindowMs: config.DISPUTE_WINDOW_DAYS * DAY_MS,
  };
}

/** A strike that counts (not voided), by the instant it was given. */
export interface CountedStrike {
  givenAt: number;
}

/** A strike counts from the instant it is given until exactly `strikeExpiryMs` later. */
export function inEffect(strike: CountedStrike, policy: ReliabilityPolicy, now: number): boolean {
  return strike.givenAt <= now && now < strike.givenAt + policy.strikeExpiryMs;
}

/** Cancelling a confirmed session that starts sooner than the late window is a late cancellation. */
export function isLateCancellation(startsAt: number, policy: ReliabilityPolicy, now: number): boolean {
  return startsAt - now < policy.lateCancelMs;
}

/**
 * Until when the strikes pause the account (null: never paused by them). A strike is the one that triggers a
 * pause when, counting it, `strikesToPause` strikes fall in the window that ends at it (window start excluded) and
 * are still in effect there; the pause runs from that strike for `pauseMs`. The latest such pause wins, so a
 * voided strike can only shorten or lift it.
 */
export function pausedUntil(strikes: readonly CountedStrike[], policy: ReliabilityPolicy): number | null {
  if (policy.strikesToPause === 0) return null;
  let until: number | null = null;
  for (const trigger of strikes) {
    const counted = strikes.filter(
      (strike) =>
        strike.givenAt > trigger.givenAt - policy.strikeWindowMs && inEffect(strike, policy, trigger.givenAt),
    ).length;
    if (counted >= policy.strikesToPause) until = Math.max(until ?? 0, trigger.givenAt + policy.pauseMs);
  }
  return until;
}

/** How far back strikes can matter to a pause that is still running at `now`. */
export function pauseLookbackMs(policy: ReliabilityPolicy): number {
  return Math.max(policy.strikeWindowMs, policy.strikeExpiryMs) + policy.pauseMs;
}
