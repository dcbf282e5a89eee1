import type { ParsedMail } from 'mailparser';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import type { PassResult } from '../../src/modules/outbox/outbox.worker';
import { mailsTo, onlyMailTo } from './mail';
import { TestMailServer } from './mail-server';
import { drain } from './outbox';
import { createTestApp, type TestApp } from './test-app';

export interface MailingTestApp {
  readonly app: FastifyInstance;
  /** Its database, for a second app on the same data. */
  readonly database: TestApp['database'];
  readonly smtp: TestMailServer;
  /** Delivers everything the outbox holds now (see `drain`). */
  deliver(): Promise<PassResult>;
  /** The mails received since the test began, to `address`, whose subject matches. */
  mailsTo(address: string, subject?: RegExp): ParsedMail[];
  onlyMailTo(address: string, subject?: RegExp): ParsedMail;
}

/**
 * The app of a test file that checks mail: unseeded, its mail delivered to a real SMTP server, links pointing to
 * https://app.mentorhub.test unless `env` says otherwise. Started before the file's tests and closed after them;
 * each test starts with the outbox delivered and nothing received.
 */
export function useMailingTestApp(
  options: { env?: Record<string, string>; clock?: () => number } = {},
): MailingTestApp {
  let testApp: TestApp | undefined;
  let server: TestMailServer | undefined;
  function started<T>(value: T | undefined): T {
    if (value === undefined) throw new Error('the mailing app starts in the file’s beforeAll');
    return value;
  }
  const mailing: MailingTestApp = {
    get app() {
      return started(testApp).app;
    },
    get database() {
      return started(testApp).database;
    },
    get smtp() {
      return started(server);
    },
    deliver: () => drain(mailing.app.outbox),
    mailsTo: (address, subject) => mailsTo(mailing.smtp.received, address, subject),
    onlyMailTo: (address, subject) => onlyMailTo(mailing.smtp.received, address, subject),
  };

  beforeAll(async () => {
    server = await TestMailServer.start();
    testApp = await createTestApp({
      seed: false,
      ...(options.clock ? { clock: options.clock } : {}),
      env: {
        CACHE_ENABLED: 'false',
        SMTP_URL: server.url,
        WEB_APP_URL: 'https://app.mentorhub.test',
        ...options.env,
      },
    });
  });
  afterAll(async () => {
    await testApp?.close();
    await server?.stop();
  });
  beforeEach(async () => {
    await mailing.deliver();
    mailing.smtp.received.length = 0;
  });
  return mailing;
}
