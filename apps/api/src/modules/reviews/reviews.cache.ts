export const reviewsTag = (mentorId: number): string => `reviews:${mentorId}`;
