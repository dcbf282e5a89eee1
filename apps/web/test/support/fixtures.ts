import { createApiClient, type ApiClient } from '@mentorhub/api-client';
// One 'open all week' fixture for the API's and the web app's tests.
import { OPEN_ALL_WEEK } from '../../../api/test/helpers/availability';
import { mailedToken } from '../../../api/test/helpers/accounts';
import { sql } from 'kysely';
import type { Stack } from './stack';

export const PASSWORD = 'correct horse battery staple 42';

export interface Account {
  id: number;
  email: string;
  name: string;
  client: ApiClient;
  cookie: string;
}

let counter = 0;

/** A unique email per call, so journeys never collide with each other or with a retried run. */
export function uniqueEmail(prefix: string): string {
  counter += 1;
  return `${prefix}.${Date.now().toString(36)}${counter}@example.com`;
}

/** Signs up through the API (completing it with the mailed link's token) and returns a client signed in as that person. */
export async function register(
  stack: Stack,
  name: string,
  email = uniqueEmail(name.split(' ')[0]?.toLowerCase() ?? 'user'),
): Promise<Account> {
  const anonymous = createApiClient({ baseUrl: stack.apiUrl, origin: stack.webUrl });
  await anonymous.auth.register({ email, name, timezone: 'UTC' });
  const { data, setCookies } = await anonymous.auth.verifyEmail({
    token: await mailedToken(stack.api, email),
    password: PASSWORD,
  });
  const cookie = (setCookies[0] ?? '').split(';')[0] ?? '';
  return {
    id: data.user.id,
    email,
    name,
    cookie,
    client: createApiClient({ baseUrl: stack.apiUrl, origin: stack.webUrl, cookie }),
  };
}

/** An admin: registered through the API; the role itself is granted in the database (there is no route for it). */
export async function admin(stack: Stack): Promise<Account> {
  const account = await register(stack, 'Ada Admin');
  await sql`UPDATE users SET role = 'admin' WHERE id = ${account.id}`.execute(stack.database.db);
  return account;
}

export interface MentorSpec {
  name: string;
  headline: string;
  expertise: string[];
  hourlyRateCents: number;
  languages?: string[];
  bio?: string;
}

/** A listed mentor: applies through the API, is approved by the admin, and opens availability. */
export async function mentor(
  stack: Stack,
  approver: Account,
  spec: MentorSpec,
): Promise<Account & { mentorId: number }> {
  const account = await register(stack, spec.name);
  const application = await account.client.mentors.apply({
    headline: spec.headline,
    bio: spec.bio ?? `${spec.name} has mentored engineers for years.`,
    hourlyRateCents: spec.hourlyRateCents,
    currency: 'USD',
    languages: spec.languages ?? ['en'],
    timezone: 'UTC',
    expertise: spec.expertise,
    sessionMinutes: 60,
  });
  await approver.client.send('POST', `/api/mentors/${application.id}/approve`);
  await account.client.mentors.setAvailability(application.id, OPEN_ALL_WEEK);
  return { ...account, mentorId: application.id };
}

/** A published course with lessons, written by its instructor through the authoring routes. */
export async function course(instructor: Account, title: string, lessons: string[]) {
  const created = await instructor.client.courses.create({
    title,
    level: 'beginner',
    summary: `${title}: a short, practical course.`,
    description: `Everything you need to get going with ${title}.`,
  });
  for (const [i, lesson] of lessons.entries()) {
    await instructor.client.courses.addLesson(created.id, {
      title: lesson,
      content: `This is lesson ${i + 1} of ${title}.\n\nRead it, try it, and mark it complete.`,
      durationMinutes: 10,
      isPreview: i === 0,
    });
  }
  return instructor.client.courses.publish(created.id);
}
