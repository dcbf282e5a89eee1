import { CardSection } from '@/components/ui/CardSection';
import { CourseCard } from '@/features/courses/CourseCard';
import { MentorCard } from '@/features/mentors/MentorCard';
import { publicApi } from '@/lib/api/server';

export default async function HomePage() {
  const api = publicApi();
  const [mentors, courses] = await Promise.all([
    api.mentors.list({ sort: 'rating', limit: 6 }),
    api.courses.list({ sort: 'popular', limit: 6 }),
  ]);
  return (
    <>
      <section className="hero" aria-labelledby="hero-heading">
        <h1 id="hero-heading">Learn from people who have done it</h1>
        <p className="lead">
          Book a 1:1 session with an experienced mentor in your timezone, or follow a course at your own pace.
        </p>
        <form
          method="get"
          action="/mentors"
          role="search"
          aria-label="Search mentors"
          className="hero-search"
        >
          <label htmlFor="hero-q" className="visually-hidden">
            Search mentors by skill or name
          </label>
          <input
            id="hero-q"
            name="q"
            type="search"
            placeholder="Try “React”, “system design”…"
            maxLength={100}
          />
          <button type="submit" className="button">
            Search
          </button>
        </form>
      </section>
      <CardSection
        id="mentors"
        title="Featured mentors"
        more={{ href: '/mentors', label: 'All mentors' }}
        emptyTitle="No mentors yet"
        items={mentors.items}
      >
        {(mentor) => <MentorCard key={mentor.id} mentor={mentor} />}
      </CardSection>
      <CardSection
        id="courses"
        title="Popular courses"
        more={{ href: '/courses', label: 'All courses' }}
        emptyTitle="No courses yet"
        items={courses.items}
      >
        {(course) => <CourseCard key={course.id} course={course} />}
      </CardSection>
    </>
  );
}
