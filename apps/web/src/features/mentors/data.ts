import type { ExpertiseTag, MentorSummary } from '@mentorhub/contracts';
import { publicApi } from '@/lib/api/server';

/** Expertise tags and languages offered in the filters: those of the listed mentors (one cached API read). */
export async function mentorFacets(): Promise<{ expertise: ExpertiseTag[]; languages: string[] }> {
  const page = await publicApi().mentors.list({ limit: 100, sort: 'rating' });
  return facetsOf(page.items);
}

export function facetsOf(mentors: readonly MentorSummary[]) {
  const tags = new Map<string, ExpertiseTag>();
  const languages = new Set<string>();
  for (const mentor of mentors) {
    for (const tag of mentor.expertise) tags.set(tag.slug, tag);
    for (const language of mentor.languages) languages.add(language);
  }
  return {
    expertise: [...tags.values()].sort((a, b) => a.name.localeCompare(b.name)),
    languages: [...languages].sort(),
  };
}
