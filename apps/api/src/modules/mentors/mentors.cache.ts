/** Any change to which mentors are listed, or in what order (price, rating, approval), touches every list page. */
export const MENTOR_LISTS_TAG = 'mentors:lists';
export const mentorTag = (mentorId: number): string => `mentor:${mentorId}`;
