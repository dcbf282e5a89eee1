// The GraphQL schema: the public catalogue and, signed in, your own data; read-only, shaped like the REST DTOs
// (same field names), so every resolver can return what the REST services return. Lists carry no nested lists: a field that needs another
// query exists only on a single object (mentor, course), so no query shape can cost a statement per list item.

// A detail type repeats its summary's fields and adds its own, as the zod DTOs extend theirs.
const mentorSummaryFields = /* GraphQL */ `
    id: Int!
    headline: String!
    hourlyRate: Money!
    languages: [String!]!
    timezone: String!
    yearsExperience: Int!
    rating: Rating!
    expertise: [ExpertiseTag!]!
    user: UserSummary!
    responsiveness: Responsiveness!
    "Reliability strikes keep the mentor from being booked until then; null: bookable."
    pausedUntil: String
    createdAt: String!
`;

const courseSummaryFields = /* GraphQL */ `
    id: Int!
    slug: String!
    title: String!
    summary: String!
    level: CourseLevel!
    price: Money!
    coverUrl: String
    cover: ResponsiveImage
    lessonsCount: Int!
    durationMinutes: Int!
    enrollmentsCount: Int!
    publishedAt: String
    instructor: UserSummary!
`;

export const graphqlSchema = /* GraphQL */ `
  "Mentors and courses of MentorHub, answered from the same cache as the REST API."
  type Query {
    "Listed mentors, filtered and sorted like GET /api/mentors; 'after' is the previous page's nextCursor."
    mentors(
      q: String
      "A mentor must have all of these expertise slugs (up to 5)."
      expertise: [String!]
      language: String
      minRating: Float
      "Percent: only mentors who answered at least this share of requests in the last 90 days."
      minResponseRate: Int
      minPriceCents: Int
      maxPriceCents: Int
      sort: MentorSort = rating
      first: Int = 20
      after: String
    ): MentorPage!
    "A listed mentor's profile, or null with a NOT_FOUND error."
    mentor(id: Int!): Mentor
    "Every expertise tag with its number of listed mentors, most common first."
    expertise: [ExpertiseCount!]!
    "Published courses, filtered and sorted like GET /api/courses."
    courses(
      q: String
      level: CourseLevel
      "The instructor's user id."
      instructorId: Int
      minPriceCents: Int
      maxPriceCents: Int
      sort: CourseSort = newest
      first: Int = 20
      after: String
    ): CoursePage!
    "A published course by slug or id, or null with a NOT_FOUND error."
    course(slugOrId: String!): Course
    "You, signed in with the session cookie; null when signed out."
    me: Me
  }

  enum UserRole {
    mentee
    mentor
    admin
  }

  enum BookingRole {
    mentee
    mentor
  }

  enum BookingStatus {
    requested
    confirmed
    declined
    expired
    completed
    cancelled
    no_show
    withdrawn
  }

  "The signed-in user, with what the dashboard shows."
  type Me {
    id: Int!
    email: String!
    name: String!
    role: UserRole!
    timezone: String!
    avatarUrl: String
    mentorId: Int
    "Your sessions as mentee (default) or as mentor, latest first, like GET /api/me/bookings."
    bookings(as: BookingRole = mentee, status: BookingStatus, first: Int = 20, after: String): BookingPage!
    "Your courses with your progress, newest first."
    enrollments(first: Int = 20, after: String): EnrollmentPage!
    "Mentors and courses for you, each with why it was picked."
    recommendations(limit: Int = 6): Recommendations!
    "Your notifications, newest first (only the unread ones with unread: true), with the unread count."
    notifications(unread: Boolean, first: Int = 20, after: String): NotificationPage!
    "Your conversations, most recent activity first, with the unread total, like GET /api/me/conversations."
    conversations(first: Int = 20, after: String): ConversationPage!
  }

  "A message: plain text as sent (render it as text); a message a moderator hid has body null and removed true."
  type Message {
    id: Float!
    conversationId: Int!
    senderId: Int!
    body: String
    removed: Boolean!
    createdAt: String!
  }

  type Conversation {
    id: Int!
    mentorId: Int!
    "mentee or mentor: your side of the conversation."
    role: String!
    otherParty: UserSummary!
    lastMessage: Message
    unreadCount: Int!
    otherPartyLastReadId: Float!
    closedAt: String
    blocked: Boolean!
    blockedByMe: Boolean!
    createdAt: String!
  }

  type ConversationPage {
    items: [Conversation!]!
    nextCursor: String
    unreadCount: Int!
  }

  "Something happened to one of your bookings, done by the other party (or its request expired)."
  type BookingNotificationPayload {
    bookingId: Int!
    startsAt: String!
    otherPartyName: String!
    "A move: the time the session left."
    previousStartsAt: String
    "A proposal made, declined or withdrawn: the time it proposed."
    proposedStartsAt: String
  }

  "A mentee reviewed a session with you."
  type ReviewNotificationPayload {
    bookingId: Int!
    reviewId: Int!
    rating: Int!
  }

  union NotificationPayload = BookingNotificationPayload | ReviewNotificationPayload

  type Notification {
    id: Int!
    "booking.requested, booking.confirmed, booking.declined, booking.cancelled, booking.completed, booking.no_show, booking.expired, booking.withdrawn, booking.reschedule_proposed, booking.rescheduled, booking.reschedule_declined, booking.reschedule_withdrawn or review.created."
    type: String!
    payload: NotificationPayload!
    readAt: String
    createdAt: String!
  }

  type NotificationPage {
    items: [Notification!]!
    nextCursor: String
    unreadCount: Int!
  }

  type BookingMentor {
    id: Int!
    user: UserSummary!
  }

  type Booking {
    id: Int!
    status: BookingStatus!
    startsAt: String!
    endsAt: String!
    price: Money!
    note: String!
    mentor: BookingMentor!
    mentee: UserSummary!
    cancelReason: String
    "Where the two parties meet, while the session is confirmed (null otherwise)."
    meetingUrl: String
    "What you can do next: confirm, decline, cancel, complete, no-show, withdraw (POST /api/bookings/:id/<action>), reschedule, accept-reschedule, decline-reschedule, withdraw-reschedule."
    actions: [String!]!
    "The booking's version: reschedule requests carry it."
    sequence: Int!
    reviewed: Boolean!
    createdAt: String!
  }

  type BookingPage {
    items: [Booking!]!
    nextCursor: String
  }

  type CourseProgress {
    completedLessons: Int!
    totalLessons: Int!
    percent: Int!
  }

  type Enrollment {
    id: Int!
    course: CourseSummary!
    progress: CourseProgress!
    enrolledAt: String!
    completedAt: String
  }

  type EnrollmentPage {
    items: [Enrollment!]!
    nextCursor: String
  }

  type RecommendedMentor {
    mentor: MentorSummary!
    reason: String!
  }

  type RecommendedCourse {
    course: CourseSummary!
    reason: String!
  }

  type Recommendations {
    mentors: [RecommendedMentor!]!
    courses: [RecommendedCourse!]!
  }

  enum MentorSort {
    rating
    price
    price_desc
    newest
    responsive
  }

  "Over the last 90 days; null without requests (or timed answers) yet."
  type Responsiveness {
    "Percent of booking requests answered (expired ones count as unanswered)."
    rate: Int
    medianMinutes: Int
  }

  enum CourseSort {
    newest
    popular
    price
    price_desc
  }

  enum CourseLevel {
    beginner
    intermediate
    advanced
  }

  type Money {
    amountCents: Int!
    currency: String!
  }

  type ImageSource {
    type: String!
    srcSet: String!
  }

  "An image with AVIF and WebP renditions for <picture>."
  type ResponsiveImage {
    src: String!
    width: Int!
    height: Int!
    sources: [ImageSource!]!
  }

  type UserSummary {
    id: Int!
    name: String!
    avatarUrl: String
    avatar: ResponsiveImage
  }

  type ExpertiseTag {
    slug: String!
    name: String!
  }

  type ExpertiseCount {
    slug: String!
    name: String!
    mentorCount: Int!
  }

  type Rating {
    average: Float!
    count: Int!
    "Review counts for 1 to 5 stars (index 0 is 1 star); on a single mentor only."
    distribution: [Int!]
  }

  "A mentor as lists show them."
  type MentorSummary {
    ${mentorSummaryFields}
  }

  type MentorPage {
    items: [MentorSummary!]!
    nextCursor: String
  }

  "A mentor's full profile, with their reviews and courses."
  type Mentor {
    ${mentorSummaryFields}
    bio: String!
    sessionMinutes: Int!
    sessionsCompleted: Int!
    "Newest first."
    reviews(first: Int = 5, after: String): ReviewPage!
    "Their published courses, newest first."
    courses(first: Int = 5, after: String): CoursePage!
  }

  type Review {
    id: Int!
    bookingId: Int!
    rating: Int!
    body: String!
    author: UserSummary!
    createdAt: String!
  }

  type ReviewPage {
    items: [Review!]!
    nextCursor: String
  }

  "A course as lists show them."
  type CourseSummary {
    ${courseSummaryFields}
  }

  type CoursePage {
    items: [CourseSummary!]!
    nextCursor: String
  }

  type LessonOutline {
    id: Int!
    position: Int!
    title: String!
    durationMinutes: Int!
    isPreview: Boolean!
  }

  "A published course with its syllabus."
  type Course {
    ${courseSummaryFields}
    description: String!
    lessons: [LessonOutline!]!
  }
`;
