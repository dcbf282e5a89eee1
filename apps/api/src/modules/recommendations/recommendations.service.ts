import type { Recommendations } from '@mentorhub/contracts';
import type { Database } from '@mentorhub/db';
import type { Kysely } from 'kysely';
import { toCourseSummary } from '../courses/courses.service';
import { toMentorSummary } from '../mentors/mentors.service';
import * as recommendations from './recommendations.repository';

const because: Record<recommendations.InterestRank, string> = {
  [recommendations.interestRanks.booked]: 'you booked sessions on',
  [recommendations.interestRanks.enrolled]: 'you enrolled in courses on',
  [recommendations.interestRanks.teaches]: 'you teach',
};

/** "A", "A and B", "A, B and C", "A, B, C and 2 more". */
function listNames(names: string[]): string {
  const shown = names.slice(0, 3);
  const more = names.length - shown.length;
  if (more > 0) return `${shown.join(', ')} and ${more} more`;
  const last = shown.pop() ?? '';
  return shown.length > 0 ? `${shown.join(', ')} and ${last}` : last;
}

/** Names the shared tags of the strongest interest (booked before enrolled before taught); no tag: the fallback. */
function reasonFor(tags: recommendations.SharedTag[], fallback: string): string {
  const strongest = tags[0];
  if (!strongest) return fallback;
  const names = tags.filter((tag) => tag.rank === strongest.rank).map((tag) => tag.name);
  return `Because ${because[strongest.rank]} ${listNames(names)}`;
}

/** The first `limit` distinct rows: a mentor or course comes twice when it is both a match and a top pick. */
function firstDistinct<Row extends { id: number }>(rows: Row[], limit: number): Row[] {
  const picked = new Map<number, Row>();
  for (const row of rows) if (picked.size < limit && !picked.has(row.id)) picked.set(row.id, row);
  return [...picked.values()];
}

/** Mentors and courses for a user, each with its reason: two statements whatever the limit or the history. */
export async function getRecommendations(
  db: Kysely<Database>,
  userId: number,
  limit: number,
): Promise<Recommendations> {
  const [mentorRows, courseRows] = await Promise.all([
    recommendations.recommendedMentorsQuery(db, userId, limit).execute(),
    recommendations.recommendedCoursesQuery(db, userId, limit).execute(),
  ]);
  return {
    mentors: firstDistinct(mentorRows, limit).map((row) => ({
      mentor: toMentorSummary(row),
      reason: reasonFor(row.tags ?? [], 'Top rated'),
    })),
    courses: firstDistinct(courseRows, limit).map((row) => ({
      course: toCourseSummary(row),
      reason: reasonFor(row.tags ?? [], 'Popular'),
    })),
  };
}
