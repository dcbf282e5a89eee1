/** Every cached response that shows this person (name, avatar) carries this tag. */
export const userTag = (userId: number): string => `user:${userId}`;
