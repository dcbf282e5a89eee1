import { z } from 'zod';
import { httpsUrlSchema } from './scalars';

/** A feed secret: 32 random bytes, base64url (43 characters). */
const FEED_SECRET = /^[A-Za-z0-9_-]{43}$/;

/** `GET /api/calendar/:file`: the feed's secret with the `.ics` every calendar app expects at the end. */
export const calendarFeedParamsSchema = z.strictObject({
  file: z
    .string()
    .max(60)
    .regex(new RegExp(`${FEED_SECRET.source.slice(0, -1)}\\.ics$`), {
      error: 'must be the feed file name, <secret>.ics',
    })
    .transform((file) => file.slice(0, -'.ics'.length))
    .describe('The secret of a calendar feed followed by .ics'),
});

/** Whether I have a calendar feed (never its secret: that is shown once, when it is created or rotated). */
export const calendarFeedStatusSchema = z
  .object({ exists: z.boolean(), issuedAt: z.iso.datetime().nullable() })
  .meta({ id: 'CalendarFeedStatus' });

/** A newly issued feed: its URL, shown this once; the previous URL no longer works. */
export const calendarFeedIssuedSchema = z
  .object({ url: z.string(), issuedAt: z.iso.datetime() })
  .meta({ id: 'CalendarFeedIssued' });

/** A mentor's default video room; null: MentorHub generates a room for each booking. */
export const meetingRoomSchema = z.object({ meetingUrl: z.string().nullable() }).meta({ id: 'MeetingRoom' });

/** The room a mentor sets (an https URL), or null to let MentorHub generate one per booking. */
export const meetingUrlInputSchema = httpsUrlSchema.nullable();

export type CalendarFeedStatus = z.infer<typeof calendarFeedStatusSchema>;
export type CalendarFeedIssued = z.infer<typeof calendarFeedIssuedSchema>;
export type MeetingRoom = z.infer<typeof meetingRoomSchema>;
