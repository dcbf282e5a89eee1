import type { SeedOptions } from '@mentorhub/db/seed';

type DataSet = Pick<SeedOptions, 'users' | 'mentors' | 'courses' | 'lessons' | 'enrollments' | 'bookings'>;

/** How big and how long: `full` for the published report, `quick` as a smoke run (CI, ~3 minutes). */
export interface BenchProfile {
  name: 'full' | 'quick';
  data: DataSet;
  /** Lesson counts of the growth curve; the largest is `data` itself. */
  growthLessons: number[];
  connections: number;
  warmupSeconds: number;
  durationSeconds: number;
  /** A/B rounds against the bare server, each of this length. */
  ratioRounds: number;
  ratioSeconds: number;
  /** The page of the deep cursor walk compared with page 1. */
  deepPage: number;
}

const fullData: DataSet = {
  users: 100_000,
  mentors: 20_000,
  courses: 50_000,
  lessons: 1_000_000,
  enrollments: 100_000,
  bookings: 200_000,
};

export const profiles: Record<BenchProfile['name'], BenchProfile> = {
  full: {
    name: 'full',
    data: fullData,
    growthLessons: [10_000, 100_000, 1_000_000],
    connections: 50,
    warmupSeconds: 3,
    durationSeconds: 10,
    ratioRounds: 3,
    ratioSeconds: 5,
    deepPage: 1000,
  },
  quick: {
    name: 'quick',
    data: {
      users: 4_000,
      mentors: 800,
      courses: 2_000,
      lessons: 40_000,
      enrollments: 4_000,
      bookings: 8_000,
    },
    growthLessons: [4_000, 40_000],
    connections: 20,
    warmupSeconds: 1,
    durationSeconds: 2,
    ratioRounds: 3,
    ratioSeconds: 1,
    deepPage: 50,
  },
};

/** The same data set shape scaled to `lessons` lessons (growth curve points). */
export function scaledData(data: DataSet, lessons: number): DataSet {
  const factor = lessons / (data.lessons ?? lessons);
  const scale = (n: number, min: number) => Math.max(min, Math.round(n * factor));
  return {
    users: scale(data.users, 50),
    mentors: scale(data.mentors, 10),
    courses: scale(data.courses, 2),
    lessons,
    enrollments: scale(data.enrollments, 10),
    bookings: scale(data.bookings, 10),
  };
}
