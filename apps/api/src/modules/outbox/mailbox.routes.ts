import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses } from '../../infra/http/error-responses';
import { listMailbox, readMailboxMessage } from './mailbox';
import { mailDirectory } from './outbox.worker';

const mailboxEntrySchema = z
  .object({ name: z.string(), sizeBytes: z.number().int(), writtenAt: z.iso.datetime() })
  .meta({ id: 'MailboxEntry' });

const messageNameSchema = z
  .string()
  .regex(/^[0-9a-f]{32}\.eml$/, { error: 'must be a file name from the list' });

/**
 * Development only (not registered in production): the mail written to DATA_DIR/mail when there is no SMTP
 * server, so links in mails can be followed without one.
 */
export const mailboxRoutes: FastifyPluginAsyncZod = async (app) => {
  if (app.config.NODE_ENV === 'production') return;
  const directory = mailDirectory(app.config);

  app.get(
    '/api/dev/mailbox',
    {
      schema: {
        tags: ['dev'],
        operationId: 'listDevMailbox',
        summary: 'Development only: mail written to files when SMTP_URL is unset, newest first',
        response: { 200: z.object({ items: z.array(mailboxEntrySchema) }) },
      },
    },
    async () => ({ items: await listMailbox(directory) }),
  );

  app.get(
    '/api/dev/mailbox/:name',
    {
      schema: {
        tags: ['dev'],
        operationId: 'getDevMailboxMessage',
        summary: 'Development only: one mail as written (RFC 5322 text)',
        params: z.strictObject({ name: messageNameSchema }),
        response: { 200: z.object({ name: z.string(), raw: z.string() }), ...errorResponses(400, 404) },
      },
    },
    async (request) => ({
      name: request.params.name,
      raw: await readMailboxMessage(directory, request.params.name),
    }),
  );
};
