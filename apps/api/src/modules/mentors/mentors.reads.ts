import {
  expertiseListSchema,
  mentorDetailSchema,
  mentorPageSchema,
  type ExpertiseList,
  type MentorDetail,
  type MentorListQuery,
  type MentorSummary,
  type Page,
} from '@mentorhub/contracts';
import { queryKey } from '../../infra/cache/keys';
import type { CachedRead } from '../../infra/http/cached-reply';
import { hasFreeText } from '../../infra/http/expensive-reads';
import { MENTOR_LISTS_TAG } from './mentors.cache';
import { getMentor, listExpertise, listMentors } from './mentors.service';

export const mentorListRead: CachedRead<MentorListQuery, Page<MentorSummary>> = {
  key: (query) => queryKey('mentors', query),
  policy: { ttlSeconds: 60, staleSeconds: 30 },
  schema: mentorPageSchema,
  loadSerialized: listMentors,
  expensive: hasFreeText,
};

/** Counts change exactly when lists do (approval, expertise edits), so the list tag invalidates them. */
export const expertiseRead: CachedRead<void, ExpertiseList> = {
  key: () => 'expertise',
  policy: { ttlSeconds: 300, staleSeconds: 60 },
  tags: () => [MENTOR_LISTS_TAG],
  schema: expertiseListSchema,
  load: listExpertise,
};

export const mentorRead: CachedRead<number, MentorDetail> = {
  key: (id) => `mentors:${id}`,
  policy: { ttlSeconds: 300, staleSeconds: 60 },
  schema: mentorDetailSchema,
  loadSerialized: getMentor,
};
