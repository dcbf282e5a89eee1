import { describe, expect, it } from 'vitest';
import { mentorListQuerySchema } from './mentors';

describe('mentorListQuerySchema', () => {
  it('coerces query-string values and fills defaults', () => {
    expect(mentorListQuerySchema.parse({ minPriceCents: '1000', expertise: 'go,rust,go' })).toEqual({
      minPriceCents: 1000,
      expertise: ['go', 'rust'],
      sort: 'rating',
      limit: 20,
    });
  });

  it('rejects unknown parameters and inverted price ranges', () => {
    expect(mentorListQuerySchema.safeParse({ page: '2' }).success).toBe(false);
    const inverted = mentorListQuerySchema.safeParse({ minPriceCents: '500', maxPriceCents: '100' });
    expect(inverted.error?.issues[0]?.path).toEqual(['minPriceCents']);
  });

  it('requires search text to contain no control characters', () => {
    expect(mentorListQuerySchema.safeParse({ q: 'a\u0000b' }).success).toBe(false);
    expect(mentorListQuerySchema.parse({ q: '  react  ' }).q).toBe('react');
  });
});
