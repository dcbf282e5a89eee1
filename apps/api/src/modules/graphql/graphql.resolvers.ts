import type { MentorDetail, Notification, SessionUser } from '@mentorhub/contracts';
import type { IResolvers, MercuriusContext } from 'mercurius';
import type { SessionPrincipal } from '../../infra/auth/session';
import { cachedValue, type ReadContext } from '../../infra/http/cached-reply';
import { sessionUser } from '../auth/auth.service';
import type { BookingContext } from '../bookings/bookings.service';
import { listMyBookings } from '../bookings/bookings.service';
import { courseListRead, courseRead } from '../courses/courses.reads';
import { listEnrollments } from '../learning/learning.service';
import { expertiseRead, mentorListRead, mentorRead } from '../mentors/mentors.reads';
import { listConversations } from '../messaging/messaging.service';
import { listNotifications } from '../notifications/notifications.service';
import { recommendationsRead } from '../recommendations/recommendations.reads';
import { reviewListRead } from '../reviews/reviews.reads';
import {
  bookingsArgsSchema,
  courseArgsSchema,
  coursesArgsSchema,
  mentorArgsSchema,
  mentorsArgsSchema,
  notificationsArgsSchema,
  pageArgsSchema,
  parseArgs,
  recommendationsArgsSchema,
} from './graphql.args';

declare module 'mercurius' {
  // What every resolver gets: the route passes it to reply.graphql.
  interface MercuriusContext extends ReadContext {
    bookings: BookingContext;
    /** The signed-in user, looked up on first use (public queries never pay for it). */
    principal: () => Promise<SessionPrincipal | null>;
    /** The client address and the operation it runs: the cost limit charges the query to that client. */
    clientAddress: string;
    operationName: string | undefined;
    /** What the query costs, set once it is validated: charged to the client if it reaches the database. */
    queryCost: number;
  }
}

export type GraphqlContext = Pick<
  MercuriusContext,
  keyof ReadContext | 'bookings' | 'principal' | 'clientAddress' | 'operationName' | 'queryCost'
>;

/** `me` as its fields' resolvers get it: the session user, and the session they act for. */
type Me = SessionUser & { principal: SessionPrincipal };

type Args = Record<string, unknown>;

const courseList = (ctx: GraphqlContext, args: Args) =>
  cachedValue(ctx, courseListRead, parseArgs(coursesArgsSchema, args));

export const graphqlResolvers: IResolvers = {
  Query: {
    mentors: (_root, args: Args, ctx) => cachedValue(ctx, mentorListRead, parseArgs(mentorsArgsSchema, args)),
    mentor: (_root, args: Args, ctx) => cachedValue(ctx, mentorRead, parseArgs(mentorArgsSchema, args).id),
    expertise: async (_root, _args, ctx) => (await cachedValue(ctx, expertiseRead, undefined)).items,
    courses: (_root, args: Args, ctx) => courseList(ctx, args),
    me: async (_root, _args, ctx): Promise<Me | null> => {
      const principal = await ctx.principal();
      return principal ? { ...(await sessionUser(ctx, principal.userId)), principal } : null;
    },
    course: (_root, args: Args, ctx) =>
      cachedValue(ctx, courseRead, parseArgs(courseArgsSchema, args).slugOrId),
  },
  Me: {
    bookings: (me: Me, args: Args, ctx) =>
      listMyBookings(ctx.bookings, me.principal, parseArgs(bookingsArgsSchema, args)),
    enrollments: (me: Me, args: Args, ctx) =>
      listEnrollments(ctx.db, me.principal, parseArgs(pageArgsSchema, args)),
    notifications: (me: Me, args: Args, ctx) =>
      listNotifications(ctx.db, me.id, parseArgs(notificationsArgsSchema, args)),
    conversations: (me: Me, args: Args, ctx) =>
      listConversations(ctx.db, me.id, parseArgs(pageArgsSchema, args)),
    recommendations: (me: Me, args: Args, ctx) =>
      cachedValue(ctx, recommendationsRead, {
        userId: me.id,
        query: parseArgs(recommendationsArgsSchema, args),
      }),
  },
  NotificationPayload: {
    resolveType: (payload: Notification['payload']) =>
      'reviewId' in payload ? 'ReviewNotificationPayload' : 'BookingNotificationPayload',
  },
  Mentor: {
    reviews: (mentor: MentorDetail, args: Args, ctx) =>
      cachedValue(ctx, reviewListRead, { mentorId: mentor.id, query: parseArgs(pageArgsSchema, args) }),
    courses: (mentor: MentorDetail, args: Args, ctx) =>
      courseList(ctx, { ...args, instructorId: mentor.user.id }),
  },
  Rating: {
    distribution: (rating: { distribution?: MentorDetail['rating']['distribution'] }) =>
      rating.distribution ? ([1, 2, 3, 4, 5] as const).map((stars) => rating.distribution?.[stars]) : null,
  },
};
