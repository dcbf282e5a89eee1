import Link from 'next/link';

/** Server-rendered like the web app's pages, with a search box to type in and a link Next prefetches. */
export default function BarePage() {
  return (
    <main>
      <h1>Bare Next.js page</h1>
      <p>One server-rendered page with a link and a GET form, and no client component of its own.</p>
      <form action="/" method="get" role="search">
        <label htmlFor="q">Search</label> <input id="q" name="q" type="search" />{' '}
        <button type="submit">Search</button>
      </form>
      <p>
        <Link href="/other">Another page</Link>
      </p>
    </main>
  );
}
