import { z } from 'zod';
import { idParamSchema, integerParamSchema, wholeNumberSchema } from './scalars';
import { singleLine } from './text';

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

export const idParamsSchema = z.strictObject({ id: idParamSchema });

/** An opaque keyset cursor from a previous page's `nextCursor`. */
export const cursorSchema = z
  .string()
  .max(512, { error: 'is too long' })
  .regex(/^[A-Za-z0-9_-]+$/, { error: 'is not a cursor returned by this API' });

export const limitSchema = integerParamSchema(1, MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE);

/** Free-text search: trimmed, 1–100 characters, no control characters. */
export const searchTextSchema = singleLine(100);

/** The largest price the API accepts, in cents: the same bound for prices set and prices filtered on. */
export const MAX_PRICE_CENTS = 10_000_000;

/** A price in a JSON body, in cents. */
export const centsSchema = wholeNumberSchema(0, MAX_PRICE_CENTS);

/** A price bound in the query string, in cents. */
export const centsParamSchema = integerParamSchema(0, MAX_PRICE_CENTS);

export const moneySchema = z.object({
  amountCents: z.number().int(),
  currency: z.string().length(3),
});

export type Money = z.infer<typeof moneySchema>;

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
  minPriceCents: centsParamSchema.optional(),
  maxPriceCents: centsParamSchema.optional(),
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
