import type { ExpertiseList, MentorSummary } from '@mentorhub/contracts';
import { publicApi } from '@/lib/api/server';

/**
 * The filters' options: every expertise that listed mentors have (counted by the API, most common first), and the
 * languages of the best-rated listed mentors (two cached API reads, in parallel).
 */
export async function mentorFacets(): Promise<{
  expertise: ExpertiseList['items'];
  languages: string[];
}> {
  const client = publicApi();
  const [tags, page] = await Promise.all([
    client.mentors.expertise(),
    client.mentors.list({ limit: 100, sort: 'rating' }),
  ]);
  return {
    expertise: tags.items.filter((tag) => tag.mentorCount > 0),
    languages: languagesOf(page.items),
  };
}

export function languagesOf(mentors: readonly MentorSummary[]): string[] {
  return [...new Set(mentors.flatMap((mentor) => mentor.languages))].sort();
}
