// Apart from MentorCard, so the client code that warms the next page's avatars does not bundle the card (and the
// image component it renders).

/** The avatar's size on a card, in CSS pixels (the next page's avatars are warmed at this size). */
export const AVATAR_SIZE = 64;
