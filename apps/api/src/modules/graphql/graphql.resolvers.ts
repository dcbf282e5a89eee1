import type { Database } from '@mentorhub/db';
import {
  courseDetailSchema,
  courseKeySchema,
  courseListQuerySchema,
  coursePageSchema,
  expertiseListSchema,
  idParamsSchema,
  mentorDetailSchema,
  mentorListQuerySchema,
  mentorPageSchema,
  reviewListQuerySchema,
  reviewPageSchema,
  enrollmentListQuerySchema,
  myBookingsQuerySchema,
  notificationListQuerySchema,
  recommendationsQuerySchema,
  recommendationsSchema,
  type MentorDetail,
  type Notification,
  type SessionUser,
} from '@mentorhub/contracts';
import type { IResolvers, MercuriusContext } from 'mercurius';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { SessionPrincipal } from '../../infra/auth/session';
import type { ResponseCache } from '../../infra/cache/index';
import { AppError } from '../../infra/errors/app-error';
import { cachedValue } from '../../infra/http/cached-reply';
import { sessionUser } from '../auth/auth.service';
import type { BookingContext } from '../bookings/bookings.service';
import { listMyBookings } from '../bookings/bookings.service';
import { coursesCache } from '../courses/courses.cache';
import { getCourse, listCourses } from '../courses/courses.service';
import { mentorsCache } from '../mentors/mentors.cache';
import { listExpertise, getMentor, listMentors } from '../mentors/mentors.service';
import { listEnrollments } from '../learning/learning.service';
import { listNotifications } from '../notifications/notifications.service';
import { recommendationsCache } from '../recommendations/recommendations.cache';
import { getRecommendations } from '../recommendations/recommendations.service';
import { reviewsCache } from '../reviews/reviews.cache';
import { listReviews } from '../reviews/reviews.service';

declare module 'mercurius' {
  // What every resolver gets: the route passes it to reply.graphql.
  interface MercuriusContext {
    db: Kysely<Database>;
    cache: ResponseCache;
    bookings: BookingContext;
    /** The signed-in user, looked up on first use (public queries never pay for it). */
    principal: () => Promise<SessionPrincipal | null>;
    /** The client address and the operation it runs: the cost limit charges the query to that client. */
    clientAddress: string;
    operationName: string | undefined;
  }
}

export type GraphqlContext = Pick<
  MercuriusContext,
  'db' | 'cache' | 'bookings' | 'principal' | 'clientAddress' | 'operationName'
>;

/** `me` as its fields' resolvers get it: the session user, and the session they act for. */
type Me = SessionUser & { principal: SessionPrincipal };

type Args = Record<string, unknown>;

/**
 * Arguments go through the REST endpoint's own schema (GraphQL checks only their types): the same rules, the same
 * cache keys. Numbers and booleans are handed over as the query string would carry them, so they meet the same
 * parsing rule and bounds. A refusal is a VALIDATION_FAILED error whose details name the argument.
 */
function parseArgs<S extends z.ZodType>(schema: S, args: Args): z.output<S> {
  const defined = Object.fromEntries(
    Object.entries(args)
      .filter(([, value]) => value != null)
      .map(([name, value]) => [
        name,
        typeof value === 'number' || typeof value === 'boolean' ? String(value) : value,
      ]),
  );
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
const argumentNameOf: Record<string, string> = { limit: 'first', cursor: 'after' };

/** The course query's one argument, checked like the REST route's path parameter. */
const courseKeyArgsSchema = z.strictObject({ slugOrId: courseKeySchema });

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
      const { id } = parseArgs(idParamsSchema, { id: args.id });
      return cachedValue(ctx.cache, mentorsCache.detail(id), mentorDetailSchema, () => getMentor(ctx.db, id));
    },
    expertise: async (_root, _args, ctx) =>
      (
        await cachedValue(ctx.cache, mentorsCache.expertise(), expertiseListSchema, () =>
          listExpertise(ctx.db),
        )
      ).items,
    courses: (_root, args: Args, ctx) => courseList(ctx, args),
    me: async (_root, _args, ctx): Promise<Me | null> => {
      const principal = await ctx.principal();
      return principal ? { ...(await sessionUser(ctx, principal.userId)), principal } : null;
    },
    course: (_root, args: Args, ctx) => {
      const { slugOrId: idOrSlug } = parseArgs(courseKeyArgsSchema, args);
      return cachedValue(ctx.cache, coursesCache.detail(idOrSlug), courseDetailSchema, () =>
        getCourse(ctx.db, idOrSlug),
      );
    },
  },
  Me: {
    bookings: (me: Me, args: Args, ctx) =>
      listMyBookings(ctx.bookings, me.principal, parseArgs(myBookingsQuerySchema, paging(args))),
    enrollments: (me: Me, args: Args, ctx) =>
      listEnrollments(ctx.db, me.principal, parseArgs(enrollmentListQuerySchema, paging(args))),
    notifications: (me: Me, args: Args, ctx) => {
      const query = parseArgs(notificationListQuerySchema, paging(args));
      return listNotifications(ctx.db, me.id, query);
    },
    recommendations: (me: Me, args: Args, ctx) => {
      const query = parseArgs(recommendationsQuerySchema, args);
      return cachedValue(ctx.cache, recommendationsCache.forUser(me.id, query), recommendationsSchema, () =>
        getRecommendations(ctx.db, me.id, query.limit),
      );
    },
  },
  NotificationPayload: {
    resolveType: (payload: Notification['payload']) =>
      'reviewId' in payload ? 'ReviewNotificationPayload' : 'BookingNotificationPayload',
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
