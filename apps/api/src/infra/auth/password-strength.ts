import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary } from '@zxcvbn-ts/language-common';
import { invalidField } from '../errors/app-error';

/**
 * zxcvbn's score runs 0–4 by estimated guesses (under 10³, 10⁶, 10⁸, 10¹⁰, more). Below 2 a password is one of
 * the most common passwords of breach corpora (the list of @zxcvbn-ts/language-common), a small variation of one
 * (case, l33t, a digit or symbol added), the account's own name or email, or a repeat, sequence or keyboard walk:
 * what an online guesser tries first.
 */
const MIN_SCORE = 2;

/** Words an attacker adds to the list for this site. */
const SITE_WORDS = ['mentorhub', 'mentor', 'mentee'];

// Built on first use: ranking the dictionaries takes a moment that only sign-up and password change should pay.
let estimator: ZxcvbnFactory | undefined;

/**
 * Refuses a password that common-password lists or simple patterns would guess (NIST SP 800-63B: check against
 * known-bad values instead of imposing composition rules). Kept on the server, so clients never download the list.
 */
export function assertPasswordNotGuessable(
  password: string,
  field: string,
  personal: readonly string[] = [],
): void {
  estimator ??= new ZxcvbnFactory({ dictionary, graphs: adjacencyGraphs });
  // Whole values and their words, so "gracehopper" counts as made of the name "Grace Hopper".
  const words = personal.flatMap((value) => [value, ...value.split(/[^\p{L}\p{N}]+/u)]);
  const { score } = estimator.check(password, [...SITE_WORDS, ...words.filter((word) => word.length >= 3)]);
  if (score < MIN_SCORE)
    throw invalidField(field, 'is too easy to guess: it is, or is close to, a commonly used password');
}
