import Link from 'next/link';

export default function NotFound() {
  return (
    <div className="empty-state">
      <h1>Page not found</h1>
      <p>There is nothing at this address.</p>
      <p>
        <Link href="/">Go to the home page</Link> or <Link href="/mentors">find a mentor</Link>.
      </p>
    </div>
  );
}
