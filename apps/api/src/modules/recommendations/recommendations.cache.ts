/** Dropped by whatever changes the user's interests or exclusions: a booking, an enrollment, their own expertise. */
export const recommendationsTag = (userId: number): string => `recommendations:${userId}`;
