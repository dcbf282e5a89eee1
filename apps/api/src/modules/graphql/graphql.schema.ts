// The GraphQL schema: the public catalogue, read-only, shaped like the REST DTOs (same field names), so every
// resolver can return what the cached REST services return. Lists carry no nested lists: a field that needs another
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
  }

  enum MentorSort {
    rating
    price
    price_desc
    newest
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
