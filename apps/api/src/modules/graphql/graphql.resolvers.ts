import type { Database } from '@mentorhub/db';
import {
  courseDetailSchema,
  courseKeyParamsSchema,
  courseListQuerySchema,
  coursePageSchema,
  expertiseListSchema,
  idParamsSchema,
  mentorDetailSchema,
  mentorListQuerySchema,
  mentorPageSchema,
  reviewListQuerySchema,
  reviewPageSchema,
  type MentorDetail,
} from '@mentorhub/contracts';
import type { IResolvers, MercuriusContext } from 'mercurius';
import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { ResponseCache } from '../../infra/cache/index';
import { AppError } from '../../infra/errors/app-error';
import { cachedValue } from '../../infra/http/cached-reply';
import { coursesCache } from '../courses/courses.cache';
import { getCourse, listCourses } from '../courses/courses.service';
import { mentorsCache } from '../mentors/mentors.cache';
import { listExpertise, getMentor, listMentors } from '../mentors/mentors.service';
import { reviewsCache } from '../reviews/reviews.cache';
import { listReviews } from '../reviews/reviews.service';

declare module 'mercurius' {
  // What every resolver gets: the route passes it to reply.graphql.
  interface MercuriusContext {
    db: Kysely<Database>;
    cache: ResponseCache;
  }
}

export type GraphqlContext = Pick<MercuriusContext, 'db' | 'cache'>;

type Args = Record<string, unknown>;

/**
 * Arguments go through the REST endpoint's own schema (GraphQL checks only their types): the same rules, the same
 * cache keys. A refusal is a VALIDATION_FAILED error whose details name the argument.
 */
function parseArgs<S extends z.ZodType>(schema: S, args: Args): z.output<S> {
  const defined = Object.fromEntries(Object.entries(args).filter(([, value]) => value != null));
  const parsed = schema.safeParse(defined);
  if (parsed.success) return parsed.data;
  throw new AppError(
    'VALIDATION_FAILED',
    'The arguments are invalid',
    parsed.error.issues.map((issue) => ({
      path: ['args', ...issue.path.map((key) => argumentNameOf[String(key)] ?? String(key))].join('.'),
      message: issue.message,
    })),
  );
}

/** GraphQL's paging arguments as the REST query's, and back for error details. */
const paging = ({ first, after, ...rest }: Args): Args => ({ ...rest, limit: first, cursor: after });
const argumentNameOf: Record<string, string> = { limit: 'first', cursor: 'after', idOrSlug: 'slugOrId' };

const mentorList = (ctx: GraphqlContext, args: Args) => {
  const { expertise, ...rest } = paging(args);
  const query = parseArgs(mentorListQuerySchema, {
    ...rest,
    ...(Array.isArray(expertise) && { expertise: expertise.join(',') }),
  });
  return cachedValue(ctx.cache, mentorsCache.list(query), mentorPageSchema, () => listMentors(ctx.db, query));
};

const courseList = (ctx: GraphqlContext, args: Args) => {
  const query = parseArgs(courseListQuerySchema, paging(args));
  return cachedValue(ctx.cache, coursesCache.list(query), coursePageSchema, () => listCourses(ctx.db, query));
};

export const graphqlResolvers: IResolvers = {
  Query: {
    mentors: (_root, args: Args, ctx) => mentorList(ctx, args),
    mentor: (_root, args: Args, ctx) => {
      const { id } = parseArgs(idParamsSchema, { id: String(args.id) });
      return cachedValue(ctx.cache, mentorsCache.detail(id), mentorDetailSchema, () => getMentor(ctx.db, id));
    },
    expertise: async (_root, _args, ctx) =>
      (
        await cachedValue(ctx.cache, mentorsCache.expertise(), expertiseListSchema, () =>
          listExpertise(ctx.db),
        )
      ).items,
    courses: (_root, args: Args, ctx) => courseList(ctx, args),
    course: (_root, args: Args, ctx) => {
      const { idOrSlug } = parseArgs(courseKeyParamsSchema, { idOrSlug: args.slugOrId });
      return cachedValue(ctx.cache, coursesCache.detail(idOrSlug), courseDetailSchema, () =>
        getCourse(ctx.db, idOrSlug),
      );
    },
  },
  Mentor: {
    reviews: (mentor: MentorDetail, args: Args, ctx) => {
      const query = parseArgs(reviewListQuerySchema, paging(args));
      return cachedValue(ctx.cache, reviewsCache.page(mentor.id, query), reviewPageSchema, () =>
        listReviews(ctx.db, mentor.id, query),
      );
    },
    courses: (mentor: MentorDetail, args: Args, ctx) =>
      courseList(ctx, { ...args, instructorId: mentor.user.id }),
  },
  Rating: {
    distribution: (rating: { distribution?: MentorDetail['rating']['distribution'] }) =>
      rating.distribution ? ([1, 2, 3, 4, 5] as const).map((stars) => rating.distribution?.[stars]) : null,
  },
};
