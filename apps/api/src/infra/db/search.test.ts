import { describe, expect, it } from 'vitest';
import { toPrefixTsQuery } from './search';

describe('toPrefixTsQuery', () => {
  it('matches every word by prefix', () => {
    expect(toPrefixTsQuery('Type Scr')).toBe('type:* & scr:*');
  });

  it('drops tsquery operators and punctuation so the query is always valid', () => {
    expect(toPrefixTsQuery("o'brien & (go | !rust):*")).toBe('o:* & brien:* & go:* & rust:*');
    expect(toPrefixTsQuery('!!! ---')).toBeNull();
  });

  it('keeps letters of any script', () => {
    expect(toPrefixTsQuery('Müller Кирилл')).toBe('müller:* & кирилл:*');
  });
});
