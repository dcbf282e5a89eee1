import Link from 'next/link';

export default function CourseNotFound() {
  return (
    <div className="empty-state">
      <h1>Course not found</h1>
      <p>This course doesn’t exist or isn’t published.</p>
      <p>
        <Link href="/courses">Browse all courses</Link>
      </p>
    </div>
  );
}
