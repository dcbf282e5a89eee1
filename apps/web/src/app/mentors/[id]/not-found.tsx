import Link from 'next/link';

export default function MentorNotFound() {
  return (
    <div className="empty-state">
      <h1>Mentor not found</h1>
      <p>This mentor doesn’t exist or is no longer listed.</p>
      <p>
        <Link href="/mentors">Browse all mentors</Link>
      </p>
    </div>
  );
}
