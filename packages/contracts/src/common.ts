import { z } from 'zod';
import { singleLine } from './text';

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

/** Database ids: positive 32-bit integers, given as decimal digits in paths and queries. */
export const idSchema = z.coerce
  .number({ error: 'must be a number' })
  .int({ error: 'must be a whole number' })
  .min(1, { error: 'must be at least 1' })
  .max(2_147_483_647, { error: 'is out of range' });

/** A path id: digits only, so "1e3" or "0x10" never alias another row. */
export const pathIdSchema = z
  .string()
  .regex(/^\d{1,10}$/, { error: 'must be a numeric id' })
  .transform(Number)
  .pipe(z.number().min(1, { error: 'must be at least 1' }).max(2_147_483_647, { error: 'is out of range' }));

export const idParamsSchema = z.strictObject({ id: pathIdSchema });

/** An opaque keyset cursor from a previous page's `nextCursor`. */
export const cursorSchema = z
  .string()
  .max(512, { error: 'is too long' })
  .regex(/^[A-Za-z0-9_-]+$/, { error: 'is not a cursor returned by this API' });

export const limitSchema = z.coerce
  .number({ error: 'must be a number' })
  .int({ error: 'must be a whole number' })
  .min(1, { error: 'must be at least 1' })
  .max(MAX_PAGE_SIZE, { error: `must be at most ${MAX_PAGE_SIZE}` })
  .default(DEFAULT_PAGE_SIZE);

/** Free-text search: trimmed, 1–100 characters, no control characters. */
export const searchTextSchema = singleLine(100);

export const centsSchema = z.coerce
  .number({ error: 'must be a number of cents' })
  .int({ error: 'must be a whole number of cents' })
  .min(0, { error: 'must not be negative' })
  .max(10_000_000, { error: 'is out of range' });

export const moneySchema = z.object({
  amountCents: z.number().int(),
  currency: z.string().length(3),
});

/** One page of a keyset-paginated list. `nextCursor` is null on the last page. */
export function pageSchema<Item extends z.ZodType>(item: Item) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}

export interface Page<Item> {
  items: Item[];
  nextCursor: string | null;
}

/** The price bounds every priced list accepts, with the rule that binds them (`minPriceCents ≤ maxPriceCents`). */
export const priceRangeFields = {
  minPriceCents: centsSchema.optional(),
  maxPriceCents: centsSchema.optional(),
};

export function priceRangeIsOrdered(q: {
  minPriceCents?: number | undefined;
  maxPriceCents?: number | undefined;
}) {
  return q.minPriceCents === undefined || q.maxPriceCents === undefined || q.minPriceCents <= q.maxPriceCents;
}

export const priceRangeOrderError = {
  error: 'must not be greater than maxPriceCents',
  path: ['minPriceCents'],
};
