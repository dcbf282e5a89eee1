import type { RecordedQuery } from '../db/query-recorder';

export interface RepeatedStatement {
  shape: string;
  count: number;
}

/** A statement's shape: placeholders and literal lists collapsed, so `IN ($1, $2)` and `IN ($1)` compare equal. */
export function statementShape(sql: string): string {
  return sql
    .replace(/\$\d+(\s*,\s*\$\d+)*/g, '?')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Shapes that ran at least `threshold` times in one request: the signature of a query per row (N+1). */
export function findRepeatedStatements(
  queries: readonly RecordedQuery[],
  threshold: number,
): RepeatedStatement[] {
  // Fewer statements than the threshold cannot repeat one that often: most requests end here, shaping nothing.
  if (queries.length < threshold) return [];
  const counts = new Map<string, number>();
  for (const query of queries) {
    const shape = statementShape(query.sql);
    counts.set(shape, (counts.get(shape) ?? 0) + 1);
  }
  return [...counts].filter(([, count]) => count >= threshold).map(([shape, count]) => ({ shape, count }));
}
