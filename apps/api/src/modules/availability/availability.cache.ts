/** Carried by every cached availability of a mentor: settings, rules, overrides and bookings all change it. */
export const availabilityTag = (mentorId: number): string => `availability:${mentorId}`;
