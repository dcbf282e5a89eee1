import { crc32 } from 'node:zlib';
import type {
  CourseSummary,
  ErrorBody,
  MentorDetail,
  MentorSummary,
  Page,
  PublicUser,
} from '@mentorhub/contracts';
import { sql } from 'kysely';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORIGIN, signUp, signUpMentor } from './helpers/accounts';
import { createTestApp, queryCount, type TestApp } from './helpers/test-app';

let t: TestApp;
let mentor: { token: string; userId: number; mentorId: number };
let mentee: { token: string; userId: number };

beforeAll(async () => {
  t = await createTestApp({ seed: { users: 20, mentors: 5, courses: 2, enrollments: 0, bookings: 0 } });
  mentor = await signUpMentor(t.app, 'zelda.avatar@example.com');
  mentee = await signUp(t.app, 'mina.avatar@example.com');
});
afterAll(() => t.close());

function upload(token: string | null, userId: number, body: Buffer, contentType: string) {
  return t.app.inject({
    method: 'PUT',
    url: `/api/users/${userId}/avatar`,
    headers: { origin: ORIGIN, 'content-type': contentType },
    ...(token ? { cookies: { mh_session: token } } : {}),
    payload: body,
  });
}

/** A photo-like test image: a gradient, so encoders have real work and sizes are realistic. */
async function gradient(width: number, height: number, format: 'png' | 'jpeg' | 'webp') {
  const pixels = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      pixels[i] = (x * 255) / width;
      pixels[i + 1] = (y * 255) / height;
      pixels[i + 2] = ((x + y) * 97) % 256;
    }
  return sharp(pixels, { raw: { width, height, channels: 3 } })
    .toFormat(format)
    .toBuffer();
}

interface MediaRow {
  id: number;
  parent_id: number | null;
  owner_id: number | null;
  kind: string;
  content_type: string;
  width: number;
  height: number;
  byte_size: number;
}

async function mediaOf(ownerId: number): Promise<MediaRow[]> {
  const { rows } =
    await sql<MediaRow>`SELECT id, parent_id, owner_id, kind, content_type, width, height, byte_size
    FROM media WHERE owner_id = ${ownerId} ORDER BY id`.execute(t.database.db);
  return rows;
}

async function fetchImage(url: string) {
  const response = await t.app.inject(url);
  expect(response.statusCode, url).toBe(200);
  return { response, metadata: await sharp(response.rawPayload).metadata(), bytes: response.rawPayload };
}

describe('PUT /api/users/:id/avatar', () => {
  let firstSetId: number;
  let firstSetIds: number[];

  it('turns a PNG into square WebP and AVIF renditions at 64–512 px, linked to one parent', async () => {
    const response = await upload(mentee.token, mentee.userId, await gradient(800, 600, 'png'), 'image/png');
    expect(response.statusCode, response.body).toBe(200);
    const user = response.json<PublicUser>();
    const rows = await mediaOf(mentee.userId);
    expect(rows).toHaveLength(8);
    const [parent, ...children] = rows;
    if (!parent) throw new Error('no media rows');
    expect(parent).toMatchObject({ parent_id: null, kind: 'avatar', content_type: 'image/webp', width: 512 });
    expect(children.every((row) => row.parent_id === parent.id && row.kind === 'avatar')).toBe(true);
    expect(rows.map((row) => `${row.content_type} ${row.width}x${row.height}`).sort()).toEqual(
      [64, 128, 256, 512].flatMap((w) => [`image/avif ${w}x${w}`, `image/webp ${w}x${w}`]).sort(),
    );
    firstSetId = parent.id;
    firstSetIds = rows.map((row) => row.id);

    expect(user.avatarUrl).toBe(`/api/media/${parent.id}`);
    const url = (size: number, format: string) => `/api/media/${parent.id}/${size}.${format}`;
    expect(user.avatar).toEqual({
      src: url(256, 'webp'),
      width: 256,
      height: 256,
      sources: ['avif', 'webp'].map((format) => ({
        type: `image/${format}`,
        srcSet: [64, 128, 256, 512].map((size) => `${url(size, format)} ${size}w`).join(', '),
      })),
    });
    for (const format of ['webp', 'avif'])
      for (const size of [64, 128, 256, 512]) {
        const { response: image, metadata } = await fetchImage(url(size, format));
        expect(image.headers['content-type']).toBe(`image/${format}`);
        expect(image.headers['cache-control']).toBe('public, max-age=31536000, immutable');
        expect(metadata).toMatchObject({
          format: format === 'avif' ? 'heif' : 'webp',
          width: size,
          height: size,
        });
        expect(metadata.exif).toBeUndefined();
      }
  });

  it('serves renditions immutably: a revalidation is a 304 without a query', async () => {
    const url = `/api/media/${firstSetId}/128.avif`;
    const first = await t.app.inject(url);
    const again = await t.app.inject({ url, headers: { 'if-none-match': String(first.headers.etag) } });
    expect(again.statusCode).toBe(304);
    expect(queryCount(again)).toBe(0);
    const parent = await fetchImage(`/api/media/${firstSetId}`);
    expect(parent.metadata).toMatchObject({ format: 'webp', width: 512, height: 512 });
    expect((await t.app.inject(`/api/media/${firstSetId}/100.webp`)).statusCode).toBe(400);
    expect((await t.app.inject(`/api/media/${firstSetId}/64.gif`)).statusCode).toBe(400);
    expect((await t.app.inject('/api/media/999999/64.webp')).statusCode).toBe(404);
  });

  it('replaces the previous avatar and deletes all of its rows', async () => {
    const response = await upload(
      mentee.token,
      mentee.userId,
      await gradient(300, 500, 'jpeg'),
      'image/jpeg',
    );
    expect(response.statusCode, response.body).toBe(200);
    const rows = await mediaOf(mentee.userId);
    expect(rows.some((row) => firstSetIds.includes(row.id))).toBe(false);
    // Never upscaled: a 300 px square gets 64, 128, 256 and its own 300 px, not 512.
    expect(rows.map((row) => `${row.content_type} ${row.width}`).sort()).toEqual(
      [64, 128, 256, 300].flatMap((w) => [`image/avif ${w}`, `image/webp ${w}`]).sort(),
    );
    const parentId = response.json<PublicUser>().avatar?.src.split('/')[3];
    const largest = await fetchImage(`/api/media/${parentId}/512.avif`);
    expect(largest.metadata).toMatchObject({ format: 'heif', width: 300, height: 300 });
    expect((await t.app.inject(`/api/media/${firstSetId}`)).statusCode).toBe(404);
    expect((await t.app.inject(`/api/media/${firstSetId}/64.webp`)).statusCode).toBe(404);
  });

  it('keeps a tiny image at its own size', async () => {
    const response = await upload(mentee.token, mentee.userId, await gradient(40, 50, 'webp'), 'image/webp');
    expect(response.statusCode, response.body).toBe(200);
    const rows = await mediaOf(mentee.userId);
    expect(rows.map((row) => `${row.content_type} ${row.width}x${row.height}`).sort()).toEqual([
      'image/avif 40x40',
      'image/webp 40x40',
    ]);
  });

  it('turns an EXIF-rotated JPEG upright and strips its metadata', async () => {
    // Stored 200x100, left half red, right half blue; EXIF orientation 6 shows it rotated 90° clockwise,
    // so upright it is 100x200 with red on top. The square crop then has red above blue.
    const red = { r: 255, g: 0, b: 0 };
    const blue = { r: 0, g: 0, b: 255 };
    const blueHalf = await sharp({ create: { width: 100, height: 100, channels: 3, background: blue } })
      .png()
      .toBuffer();
    const photo = await sharp({ create: { width: 200, height: 100, channels: 3, background: red } })
      .composite([{ input: blueHalf, left: 100, top: 0 }])
      .jpeg()
      .withExif({ IFD0: { Copyright: 'private camera data', Make: 'TestCam' } })
      .withMetadata({ orientation: 6 })
      .toBuffer();
    expect((await sharp(photo).metadata()).orientation).toBe(6);
    const response = await upload(mentee.token, mentee.userId, photo, 'image/jpeg');
    expect(response.statusCode, response.body).toBe(200);
    const parentId = response.json<PublicUser>().avatar?.src.split('/')[3];
    const { bytes, metadata } = await fetchImage(`/api/media/${parentId}/64.webp`);
    expect(metadata).toMatchObject({ width: 64, height: 64 });
    expect(metadata.exif).toBeUndefined();
    expect(metadata.orientation).toBeUndefined();
    const { data } = await sharp(bytes).raw().toBuffer({ resolveWithObject: true });
    const pixel = (x: number, y: number) => Array.from(data.subarray((y * 64 + x) * 3, (y * 64 + x) * 3 + 3));
    const [topR = 0, , topB = 0] = pixel(32, 8);
    const [bottomR = 0, , bottomB = 0] = pixel(32, 56);
    expect(topR).toBeGreaterThan(200);
    expect(topB).toBeLessThan(60);
    expect(bottomB).toBeGreaterThan(200);
    expect(bottomR).toBeLessThan(60);
  });

  it('refuses other content types with 415, before reading the body', async () => {
    for (const type of [
      'image/gif',
      'image/svg+xml',
      'text/plain',
      'application/json',
      'application/octet-stream',
    ]) {
      const response = await upload(mentee.token, mentee.userId, Buffer.from('{"a":1}'), type);
      expect(response.statusCode, type).toBe(415);
      expect(response.json<ErrorBody>().error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    }
  });

  it('refuses a body over 5 MiB with 413', async () => {
    const response = await upload(
      mentee.token,
      mentee.userId,
      Buffer.alloc(5 * 1024 * 1024 + 1),
      'image/png',
    );
    expect(response.statusCode).toBe(413);
    expect(response.json<ErrorBody>().error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('refuses what is not a readable image of the declared type with 422, never 500', async () => {
    // A valid PNG signature and IHDR chunk claiming 100000 x 100000 pixels, and nothing else.
    const ihdr = Buffer.alloc(13);
    ihdr.writeUInt32BE(100_000, 0);
    ihdr.writeUInt32BE(100_000, 4);
    ihdr.set([8, 6, 0, 0, 0], 8);
    const chunk = Buffer.concat([Buffer.from('IHDR'), ihdr]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(chunk), 0);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(13, 0);
    const bomb = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      length,
      chunk,
      crc,
    ]);

    const jpeg = await gradient(400, 400, 'jpeg');
    const cases: [string, Buffer, string][] = [
      [
        'random bytes',
        Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256)),
        'image/png',
      ],
      ['empty body', Buffer.alloc(0), 'image/jpeg'],
      ['100000x100000 PNG header', bomb, 'image/png'],
      ['truncated JPEG', jpeg.subarray(0, Math.floor(jpeg.byteLength / 2)), 'image/jpeg'],
      ['JPEG declared as PNG', jpeg, 'image/png'],
      [
        'SVG declared as WebP',
        Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"/>'),
        'image/webp',
      ],
    ];
    const before = await mediaOf(mentee.userId);
    for (const [what, body, type] of cases) {
      const response = await upload(mentee.token, mentee.userId, body, type);
      expect(response.statusCode, `${what}: ${response.body}`).toBe(422);
      expect(response.json<ErrorBody>().error.code, what).toBe('INVALID_IMAGE');
    }
    expect(await mediaOf(mentee.userId)).toEqual(before);
  });

  it('is for yourself only: 401 anonymous, 403 for another user or another site', async () => {
    const png = await gradient(64, 64, 'png');
    const anonymous = await upload(null, mentee.userId, png, 'image/png');
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json<ErrorBody>().error.code).toBe('UNAUTHENTICATED');
    const other = await upload(mentor.token, mentee.userId, png, 'image/png');
    expect(other.statusCode).toBe(403);
    expect(other.json<ErrorBody>().error.code).toBe('FORBIDDEN');
    const crossSite = await t.app.inject({
      method: 'PUT',
      url: `/api/users/${mentee.userId}/avatar`,
      headers: { origin: 'https://evil.example', 'content-type': 'image/png' },
      cookies: { mh_session: mentee.token },
      payload: png,
    });
    expect(crossSite.statusCode).toBe(403);
    const forbiddenDelete = await t.app.inject({
      method: 'DELETE',
      url: `/api/users/${mentee.userId}/avatar`,
      headers: { origin: ORIGIN },
      cookies: { mh_session: mentor.token },
    });
    expect(forbiddenDelete.statusCode).toBe(403);
    expect(
      (await t.app.inject({ method: 'DELETE', url: `/api/users/${mentee.userId}/avatar` })).statusCode,
    ).toBe(401);
  });
});

describe('cached pages show a new avatar at once', () => {
  it('profile, mentor page and mentor list', async () => {
    const urls = [`/api/users/${mentor.userId}`, `/api/mentors/${mentor.mentorId}`, `/api/mentors?q=zelda`];
    for (const url of urls) {
      await t.app.inject(url);
      const cached = await t.app.inject(url);
      expect(cached.statusCode, url).toBe(200);
      expect(queryCount(cached), url).toBe(0);
    }
    const response = await upload(mentor.token, mentor.userId, await gradient(600, 600, 'png'), 'image/png');
    expect(response.statusCode, response.body).toBe(200);
    const avatar = response.json<PublicUser>().avatar;
    expect(avatar?.src).toMatch(/^\/api\/media\/\d+\/256\.webp$/);

    const profile = await t.app.inject(urls[0] ?? '');
    expect(profile.json<PublicUser>().avatar).toEqual(avatar);
    const detail = await t.app.inject(urls[1] ?? '');
    expect(detail.json<MentorDetail>().user.avatar).toEqual(avatar);
    const list = await t.app.inject(urls[2] ?? '');
    const card = list.json<Page<MentorSummary>>().items.find((item) => item.id === mentor.mentorId);
    expect(card?.user.avatar).toEqual(avatar);
  });

  it('DELETE removes the avatar, its rows, and the cached copies', async () => {
    await t.app.inject(`/api/users/${mentor.userId}`);
    const response = await t.app.inject({
      method: 'DELETE',
      url: `/api/users/${mentor.userId}/avatar`,
      headers: { origin: ORIGIN },
      cookies: { mh_session: mentor.token },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json<PublicUser>()).toMatchObject({ avatarUrl: null, avatar: null });
    expect(await mediaOf(mentor.userId)).toEqual([]);
    expect((await t.app.inject(`/api/users/${mentor.userId}`)).json<PublicUser>().avatar).toBeNull();
  });
});

describe('seeded avatars', () => {
  it('list cards expose the responsive shape in the same single statement', async () => {
    const response = await t.app.inject('/api/mentors?limit=5&sort=price_desc');
    expect(queryCount(response)).toBe(1);
    const seeded = response
      .json<Page<MentorSummary>>()
      .items.flatMap((item) => (item.user.avatar ? [item.user.avatar] : []));
    expect(seeded.length).toBeGreaterThan(0);
    for (const avatar of seeded)
      expect(avatar.sources.map((source) => source.type)).toEqual(['image/avif', 'image/webp']);
    // A seeded avatar is a single vector image: each rendition URL is rendered from it, at that width and format.
    const webp = await fetchImage(seeded[0]?.src ?? '');
    expect(webp.metadata).toMatchObject({ format: 'webp', width: 256, height: 256 });
    const avif = await fetchImage(seeded[0]?.src.replace('256.webp', '64.avif') ?? '');
    expect(avif.metadata).toMatchObject({ format: 'heif', compression: 'av1', width: 64, height: 64 });
  });

  it('course covers are rendered at every width of their 16:9 ladder, once', async () => {
    const response = await t.app.inject('/api/courses?limit=1');
    const [course] = response.json<Page<CourseSummary>>().items;
    expect(course?.cover).toMatchObject({ width: 640, height: 360 });
    const [avifSet, webpSet] = course?.cover?.sources ?? [];
    expect(avifSet?.type).toBe('image/avif');
    expect(webpSet?.srcSet.split(', ').map((candidate) => candidate.split(' ')[1])).toEqual([
      '320w',
      '640w',
      '960w',
      '1280w',
    ]);
    const url = course?.cover?.src.replace('640.webp', '320.avif') ?? '';
    const first = await fetchImage(url);
    expect(first.metadata).toMatchObject({ format: 'heif', width: 320, height: 180 });
    // The rendition is kept: asking again costs no query and returns the same bytes.
    const again = await t.app.inject(url);
    expect(queryCount(again)).toBe(0);
    expect(again.rawPayload.equals(first.bytes)).toBe(true);
    // The original stays available as it was stored.
    expect((await t.app.inject(course?.coverUrl ?? '')).headers['content-type']).toBe('image/svg+xml');
  });
});
