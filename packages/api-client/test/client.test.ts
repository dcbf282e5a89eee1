import { describe, expect, it } from 'vitest';
import { ApiError, createApiClient, isApiError, toSearchParams } from '../src/index';

function fakeFetch(status: number, body: unknown, headers: Record<string, string> = {}) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetchImpl = (url: string, init?: RequestInit) => {
    calls.push({ url, init: init ?? {} });
    return Promise.resolve(
      new Response(body === undefined ? null : JSON.stringify(body), {
        status,
        headers: { 'content-type': 'application/json', ...headers },
      }),
    );
  };
  return { calls, fetch: fetchImpl as unknown as typeof fetch };
}

describe('toSearchParams', () => {
  it('leaves out empty values and joins lists with commas', () => {
    const params = toSearchParams({
      q: 'react',
      cursor: undefined,
      empty: '',
      expertise: ['a', 'b'],
      limit: 12,
      on: true,
    });
    expect(params.toString()).toBe('q=react&expertise=a%2Cb&limit=12&on=true');
  });
});

describe('createApiClient', () => {
  it('sends the query, the session cookie, and the page origin on writes only', async () => {
    const { calls, fetch } = fakeFetch(200, { items: [], nextCursor: null });
    const client = createApiClient({
      baseUrl: 'http://api',
      cookie: 'mh_session=t',
      origin: 'http://web',
      fetch,
    });
    await client.mentors.list({ q: 'go', limit: 5 });
    expect(calls[0]?.url).toBe('http://api/api/mentors?q=go&limit=5');
    const headers = calls[0]?.init.headers as Record<string, string>;
    expect(headers.cookie).toBe('mh_session=t');
    expect(headers.origin).toBeUndefined();

    const write = fakeFetch(201, { id: 1 });
    const writer = createApiClient({
      baseUrl: 'http://api',
      cookie: 'mh_session=t',
      origin: 'http://web',
      fetch: write.fetch,
    });
    await writer.bookings.create({ mentorId: 3, startsAt: '2030-01-01T10:00:00Z', note: '' }, 'key-1');
    const writeHeaders = write.calls[0]?.init.headers as Record<string, string>;
    expect(write.calls[0]?.init.method).toBe('POST');
    expect(writeHeaders.origin).toBe('http://web');
    expect(writeHeaders['idempotency-key']).toBe('key-1');
    expect(writeHeaders['content-type']).toBe('application/json');
    expect(JSON.parse(write.calls[0]?.init.body as string)).toEqual({
      mentorId: 3,
      startsAt: '2030-01-01T10:00:00Z',
      note: '',
    });
  });

  it('forwards the visitor address chain as X-Forwarded-For, and none when not given', async () => {
    const forwarded = fakeFetch(200, { items: [], nextCursor: null });
    await createApiClient({
      baseUrl: 'http://api',
      forwardedFor: '203.0.113.7',
      fetch: forwarded.fetch,
    }).mentors.list({ q: 'go' });
    expect((forwarded.calls[0]?.init.headers as Record<string, string>)['x-forwarded-for']).toBe(
      '203.0.113.7',
    );
    const plain = fakeFetch(200, { items: [], nextCursor: null });
    await createApiClient({ baseUrl: 'http://api', fetch: plain.fetch }).mentors.list({});
    expect((plain.calls[0]?.init.headers as Record<string, string>)['x-forwarded-for']).toBeUndefined();
  });

  it('turns the API error shape into an ApiError with field messages', async () => {
    const { fetch } = fakeFetch(400, {
      error: {
        code: 'VALIDATION_FAILED',
        message: 'Invalid request',
        details: [
          { path: 'body.name', message: 'must not be empty' },
          { path: 'body.email', message: 'must be an email address' },
        ],
      },
    });
    const client = createApiClient({ baseUrl: 'http://api', fetch });
    const error = await client.auth.register({ email: 'x', name: '' }).catch((e: unknown) => e);
    expect(isApiError(error, 'VALIDATION_FAILED')).toBe(true);
    expect((error as ApiError).status).toBe(400);
    expect((error as ApiError).fieldErrors()).toEqual({
      name: 'must not be empty',
      email: 'must be an email address',
    });
  });

  it('reports the Set-Cookie headers of sign-in', async () => {
    const { fetch } = fakeFetch(
      200,
      { user: { id: 1 } },
      { 'set-cookie': 'mh_session=abc; Path=/; HttpOnly' },
    );
    const client = createApiClient({ baseUrl: 'http://api', fetch });
    const { setCookies } = await client.auth.login({ email: 'a@b.c', password: 'pw' });
    expect(setCookies).toEqual(['mh_session=abc; Path=/; HttpOnly']);
  });

  it('answers an unreachable API with a 502 SERVICE_UNAVAILABLE error, not a crash', async () => {
    const client = createApiClient({
      baseUrl: 'http://api',
      fetch: () => Promise.reject(new Error('connect ECONNREFUSED')),
    });
    const error = await client.courses.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(502);
    expect((error as ApiError).code).toBe('SERVICE_UNAVAILABLE');
  });
});
