import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { SequencedRequest } from './load';
export interface Scenario {
  id: string;
  label: string;
  path: string;
  kind: 'list' | 'detail' | 'mixed';
  /** A read/write sequence instead of one GET (the mixed and messaging scenarios). */
  requests?: SequencedRequest[];
}

/** Whether the scenario changes data, so the replica has something to replay (GraphQL POSTs only read). */
export function writes(scenario: Scenario): boolean {
  return scenario.kind === 'mixed';
}

interface Page {
  items: { id: number; slug?: string; user?: { id: number; name: string }; expertise?: { slug: string }[] }[];
  nextCursor: string | null;
}

async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

/** The path of page `page` of a list, found by walking the cursors from page 1. */
export async function pathOfPage(baseUrl: string, listPath: string, page: number): Promise<string> {
  let path = listPath;
  for (let current = 1; current < page; current++) {
    const { nextCursor } = await getJson<Page>(`${baseUrl}${path}`);
    if (!nextCursor) throw new Error(`${listPath} has fewer than ${page} pages`);
    path = `${listPath}${listPath.includes('?') ? '&' : '?'}cursor=${nextCursor}`;
  }
  return path;
}

/** The UTC date `days` from today, `YYYY-MM-DD`. */
function isoDate(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * Turns the scenario list into concrete URLs, picking real ids, slugs, names and cursors from the data.
 * `deepMentorPage` adds the deep cursor page scenario (the growth runs on small data sets leave it out).
 */
export async function resolveScenarios(baseUrl: string, deepMentorPage?: number): Promise<Scenario[]> {
  const mentors = await getJson<Page>(`${baseUrl}/api/mentors?limit=20`);
  const courses = await getJson<Page>(`${baseUrl}/api/courses?limit=20`);
  const mentor = mentors.items[10] ?? mentors.items[0];
  const course = courses.items[5] ?? courses.items[0];
  if (!mentor?.user || !course?.slug) throw new Error('the bench database has no listed mentors or courses');
  const tag = mentor.expertise?.[0]?.slug ?? 'typescript';
  const namePrefix = (mentor.user.name.split(' ').at(-1) ?? 'a').slice(0, 4).toLowerCase();
  const deep: Scenario[] = deepMentorPage
    ? [
        {
          id: 'mentors-deep',
          label: `GET /api/mentors (cursor page ${deepMentorPage})`,
          path: await pathOfPage(baseUrl, '/api/mentors', deepMentorPage),
          kind: 'list',
        },
      ]
    : [];
  return [
    { id: 'mentors', label: 'GET /api/mentors (first page)', path: '/api/mentors', kind: 'list' },
    {
      id: 'mentors-filtered',
      label: 'GET /api/mentors (expertise, rating, language)',
      path: `/api/mentors?expertise=${tag}&minRating=3&language=en`,
      kind: 'list',
    },
    ...deep,
    {
      id: 'mentors-search',
      label: 'GET /api/mentors?q= (search)',
      path: `/api/mentors?q=${namePrefix}`,
      kind: 'list',
    },
    { id: 'mentor', label: 'GET /api/mentors/:id', path: `/api/mentors/${mentor.id}`, kind: 'detail' },
    {
      id: 'availability',
      label: 'GET /api/mentors/:id/availability (4 weeks)',
      path: `/api/mentors/${mentor.id}/availability?from=${isoDate(1)}&to=${isoDate(28)}&tz=America/New_York`,
      kind: 'detail',
    },
    {
      id: 'reviews',
      label: 'GET /api/mentors/:id/reviews',
      path: `/api/mentors/${mentor.id}/reviews`,
      kind: 'list',
    },
    { id: 'courses', label: 'GET /api/courses (first page)', path: '/api/courses', kind: 'list' },
    { id: 'course', label: 'GET /api/courses/:slug', path: `/api/courses/${course.slug}`, kind: 'detail' },
    { id: 'user', label: 'GET /api/users/:id', path: `/api/users/${mentor.user.id}`, kind: 'detail' },
    graphqlMentorScenario(mentor.id),
  ];
}

/** The scenarios of `all` that `ids` names, in the order of `all`; throws on an id none has. */
export function scenariosNamed(all: Scenario[], ids: string[]): Scenario[] {
  const unknown = ids.filter((id) => !all.some((scenario) => scenario.id === id));
  if (unknown.length > 0)
    throw new Error(`unknown scenario ${unknown.join(', ')}: one of ${all.map((s) => s.id).join(', ')}`);
  return all.filter((scenario) => ids.includes(scenario.id));
}

/** One GraphQL query for what a mentor page shows: the profile, its latest reviews and courses (3 REST calls). */
function graphqlMentorScenario(mentorId: number): Scenario {
  const query = `query Mentor($id: Int!) {
    mentor(id: $id) {
      headline bio rating { average count distribution }
      reviews(first: 5) { items { rating body createdAt author { name avatarUrl } } nextCursor }
      courses(first: 3) { items { slug title price { amountCents currency } } }
    }
  }`;
  return {
    id: 'graphql-mentor',
    label: 'POST /api/graphql (mentor, reviews, courses)',
    path: '/api/graphql',
    kind: 'detail',
    requests: [
      {
        method: 'POST',
        path: '/api/graphql',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query, variables: { id: mentorId } }),
      },
    ],
  };
}

/**
 * The token of the verification link mailed to `email`, read from the .eml files the API writes without an SMTP
 * server (delivered by its outbox loop within a few seconds). The text part is quoted-printable: soft line breaks
 * are joined and `=3D` read as `=` before the link is matched.
 */
async function mailedVerificationToken(mailDirectory: string, email: string): Promise<string> {
  for (let attempt = 0; attempt < 120; attempt++) {
    const names = await readdir(mailDirectory).catch(() => [] as string[]);
    for (const name of names.filter((file) => file.endsWith('.eml'))) {
      const raw = (await readFile(join(mailDirectory, name), 'utf8'))
        .replace(/=\r?\n/g, '')
        .replace(/=3D/g, '=');
      if (!raw.includes(email)) continue;
      const token = /\/verify-email\?token=([\w-]{43})/.exec(raw)?.[1];
      if (token) return token;
    }
    await delay(250);
  }
  throw new Error(`no verification mail to ${email} arrived in ${mailDirectory}`);
}

/** A signed-in bench account: its session cookie and user id. */
interface BenchAccount {
  cookie: string;
  userId: number;
}

/** The origin the bench's signed-in writes come from (an allowed origin, as for the web app). */
const WEB_ORIGIN = 'http://localhost:3000';

/**
 * Signs up an account through the API, completing the sign-up with the link mailed to `mailDirectory`, and returns
 * its session.
 */
async function signUpBenchAccount(
  baseUrl: string,
  mailDirectory: string,
  label: string,
): Promise<BenchAccount> {
  const email = `bench-${label}-${Date.now()}@example.com`;
  const post = (path: string, body: object) =>
    fetch(`${baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const started = await post('/api/auth/register', { email, name: 'Bench Mark' });
  if (started.status !== 202) throw new Error(`signing up the bench user answered ${started.status}`);
  const token = await mailedVerificationToken(mailDirectory, email);
  const response = await post('/api/auth/verify-email', { token, password: 'benchmark password' });
  if (response.status !== 201) throw new Error(`verifying the bench user answered ${response.status}`);
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const { user } = (await response.json()) as { user: { id: number } };
  return { cookie, userId: user.id };
}

/** A signed-in JSON write, as the web app's server sends it. */
function signedInWrite(
  account: BenchAccount,
  method: 'POST' | 'PATCH',
  path: string,
  body: object,
): SequencedRequest {
  return {
    method,
    path,
    headers: { cookie: account.cookie, origin: WEB_ORIGIN, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  };
}

/**
 * 9 reads and 1 write per cycle: a signed-in user browses mentors, courses and their own profile, and edits
 * their profile (which invalidates every cached page that shows them). Signs up the account it uses.
 */
export async function mixedScenario(
  baseUrl: string,
  reads: Scenario[],
  mailDirectory: string,
): Promise<Scenario> {
  const account = await signUpBenchAccount(baseUrl, mailDirectory, 'mixed');
  const profile = `/api/users/${account.userId}`;
  const get = (path: string): SequencedRequest => ({ method: 'GET', path });
  return {
    id: 'mixed',
    label: 'mixed: 90 % reads, 10 % profile edits',
    path: profile,
    kind: 'mixed',
    requests: [
      get(profile),
      ...reads
        .filter((scenario) => scenario.kind !== 'mixed')
        .slice(0, 7)
        .map((scenario) => get(scenario.path)),
      get(profile),
      signedInWrite(account, 'PATCH', profile, { bio: 'Benchmarking MentorHub' }),
    ],
  };
}

/**
 * A participant's messaging cycle: send a message, read the thread's latest page, read the inbox (with its unread
 * total). Signs up a mentee who opens a conversation with the directory's first mentor; every connection writes to
 * this one conversation, so sends also measure waiting for its lock (one sender at a time).
 */
export async function messagingScenario(baseUrl: string, mailDirectory: string): Promise<Scenario> {
  const { items } = await getJson<Page>(`${baseUrl}/api/mentors?limit=1`);
  const mentorId = items[0]?.id;
  if (mentorId === undefined) throw new Error('the bench database has no listed mentors');
  const account = await signUpBenchAccount(baseUrl, mailDirectory, 'messaging');
  const opened = await fetch(`${baseUrl}/api/conversations`, {
    method: 'POST',
    headers: { cookie: account.cookie, origin: WEB_ORIGIN, 'content-type': 'application/json' },
    body: JSON.stringify({ mentorId }),
  });
  if (opened.status !== 201) throw new Error(`opening the bench conversation answered ${opened.status}`);
  const { id } = (await opened.json()) as { id: number };
  const read = (path: string): SequencedRequest => ({
    method: 'GET',
    path,
    headers: { cookie: account.cookie },
  });
  return {
    id: 'messaging',
    label: 'messaging: send, read the thread, read the inbox',
    path: `/api/conversations/${id}/messages`,
    kind: 'mixed',
    requests: [
      signedInWrite(account, 'POST', `/api/conversations/${id}/messages`, { body: 'Benchmarking MentorHub' }),
      read(`/api/conversations/${id}/messages?limit=20`),
      read('/api/me/conversations?limit=20'),
    ],
  };
}
