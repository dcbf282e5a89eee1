import type { BookingStatus } from '@mentorhub/contracts';

export interface MeetingPlace {
  status: BookingStatus;
  /** The mentor's own video room (`mentors.meeting_url`), used for all their sessions. */
  mentorMeetingUrl: string | null;
  /** The booking's generated room id (`bookings.meeting_room`). */
  meetingRoom: string;
}

/**
 * Where the two parties meet: the mentor's own room, else a room of the booking's own under `MEETING_BASE_URL`.
 * Only a confirmed session has one: a request may still be declined, and a session that ended or was called off
 * needs no room. Callers show it only to the booking's parties.
 */
export function meetingUrlOf(place: MeetingPlace, meetingBaseUrl: string): string | null {
  if (place.status !== 'confirmed') return null;
  return place.mentorMeetingUrl ?? `${meetingBaseUrl}/mentorhub-${place.meetingRoom}`;
}
