import { randomUUID } from 'node:crypto';
import escapeHtml from 'escape-html';
import { z } from 'zod';
import { hashSecretToken } from '../../infra/auth/secret-token';
import {
  Undeliverable,
  type ComposeContext,
  type Composition,
  type MailComposer,
  type Recipient,
} from '../outbox/mail-composer';
import type { NewOutboxMessage } from '../outbox/outbox.repository';
import { tokenLifetimeHours } from './account-tokens';
import { isTokenUsable } from './auth.repository';

/**
 * Security mail about an account: always sent, whatever the recipient's notification preferences, and never with
 * List-Unsubscribe (nobody may opt out of hearing that their password changed).
 */
export const accountMailKinds = [
  'account.verify-email',
  'account.sign-up-attempt',
  'account.reset-password',
  'account.password-changed',
  'account.email-change-confirm',
  'account.email-change-requested',
  'account.warned',
  'account.suspended',
] as const;

export type AccountMailKind = (typeof accountMailKinds)[number];

const linkPayloadSchema = z.object({ token: z.string() });
const emailChangeConfirmPayloadSchema = z.object({ token: z.string(), newEmail: z.string() });
const emailChangeRequestedPayloadSchema = z.object({ newEmail: z.string() });
const warnedPayloadSchema = z.object({ reason: z.string() });
/** `until` null: for good. */
const suspendedPayloadSchema = z.object({ reason: z.string(), until: z.string().nullable() });

type PayloadOf<Kind extends AccountMailKind> = Kind extends 'account.verify-email' | 'account.reset-password'
  ? z.infer<typeof linkPayloadSchema>
  : Kind extends 'account.email-change-confirm'
    ? z.infer<typeof emailChangeConfirmPayloadSchema>
    : Kind extends 'account.email-change-requested'
      ? z.infer<typeof emailChangeRequestedPayloadSchema>
      : Kind extends 'account.warned'
        ? z.infer<typeof warnedPayloadSchema>
        : Kind extends 'account.suspended'
          ? z.infer<typeof suspendedPayloadSchema>
          : Record<string, never>;

/**
 * The outbox row of an account mail. A link's raw token rides in the payload, because the database keeps only
 * its hash and the mail is written at delivery; the row is deleted by the retention cleanup once delivered, and
 * the token works for its lifetime and once at most.
 */
export function accountMailMessage<Kind extends AccountMailKind>(
  kind: Kind,
  recipientId: number,
  payload: PayloadOf<Kind>,
): NewOutboxMessage {
  return {
    channel: 'email',
    idempotencyKey: `${kind}:${String(recipientId)}:${randomUUID()}`,
    recipientId,
    kind,
    payload,
  };
}

interface AccountMailContent {
  subject: string;
  paragraphs: string[];
  link?: { label: string; url: string };
  /** Said after the link, e.g. what to do if the mail was not expected. */
  closing?: string[];
}

function render(recipient: Recipient, content: AccountMailContent) {
  const after = content.closing ?? [];
  const text = [
    `Hello ${recipient.name},`,
    '',
    ...content.paragraphs.flatMap((paragraph) => [paragraph, '']),
    ...(content.link ? [`${content.link.label}: ${content.link.url}`, ''] : []),
    ...after.flatMap((paragraph) => [paragraph, '']),
  ].join('\n');
  const html = [
    `<p>Hello ${escapeHtml(recipient.name)},</p>`,
    ...content.paragraphs.map((paragraph) => `<p>${escapeHtml(paragraph)}</p>`),
    ...(content.link
      ? [`<p><a href="${escapeHtml(content.link.url)}">${escapeHtml(content.link.label)}</a></p>`]
      : []),
    ...after.map((paragraph) => `<p>${escapeHtml(paragraph)}</p>`),
  ].join('\n');
  return { subject: content.subject, text, html };
}

const page = (webAppUrl: string, path: string, token?: string) => {
  const url = new URL(path, webAppUrl);
  if (token !== undefined) url.searchParams.set('token', token);
  return url.toString();
};

const notYou = (webAppUrl: string) =>
  `If this was not you, reset your password now: ${page(webAppUrl, '/forgot-password')}`;

function parsePayload<Schema extends z.ZodType>(schema: Schema, kind: AccountMailKind, payload: unknown) {
  const parsed = schema.safeParse(payload);
  if (!parsed.success) throw new Undeliverable(`The payload of a "${kind}" message is malformed`);
  return parsed.data;
}

/** A mail whose link no longer works (used, replaced by a newer one, or expired) is not worth sending. */
async function unlessSpent(
  ctx: ComposeContext,
  token: string,
  compose: () => Composition,
): Promise<Composition> {
  if (!(await isTokenUsable(ctx.db, hashSecretToken(token), new Date(ctx.now))))
    return { drop: 'The link was used, replaced or has expired' };
  return compose();
}

export const accountMailComposers: Record<AccountMailKind, MailComposer> = {
  'account.verify-email': async (message, recipient, ctx) => {
    const { token } = parsePayload(linkPayloadSchema, 'account.verify-email', message.payload);
    return unlessSpent(ctx, token, () => ({
      mail: render(recipient, {
        subject: 'Confirm your email to finish signing up',
        paragraphs: [
          'Someone, hopefully you, signed up to MentorHub with this address. Open the link to choose your password; it signs you in.',
          `The link works once, within ${String(tokenLifetimeHours.verify_email)} hours.`,
        ],
        link: { label: 'Choose your password', url: page(ctx.webAppUrl, '/verify-email', token) },
        closing: ['If you did not sign up, ignore this mail: no account is usable without this link.'],
      }),
    }));
  },
  'account.sign-up-attempt': (_message, recipient, { webAppUrl }) => ({
    mail: render(recipient, {
      subject: 'Someone tried to sign up with your address',
      paragraphs: [
        'Someone tried to create a MentorHub account with this address, which already has one. Nothing was changed.',
        `Sign in: ${page(webAppUrl, '/sign-in')}`,
      ],
      link: { label: 'Forgot your password? Reset it', url: page(webAppUrl, '/forgot-password') },
      closing: ['If this was not you, you can ignore this mail.'],
    }),
  }),
  'account.reset-password': async (message, recipient, ctx) => {
    const { token } = parsePayload(linkPayloadSchema, 'account.reset-password', message.payload);
    return unlessSpent(ctx, token, () => ({
      mail: render(recipient, {
        subject: 'Reset your MentorHub password',
        paragraphs: [
          'Someone, hopefully you, asked to reset the password of your MentorHub account. Open the link to choose a new one; every device signed in to your account will be signed out.',
          `The link works once, within ${String(tokenLifetimeHours.reset_password)} hour.`,
        ],
        link: { label: 'Choose a new password', url: page(ctx.webAppUrl, '/reset-password', token) },
        closing: ['If you did not ask for this, ignore this mail: your password stays as it is.'],
      }),
    }));
  },
  'account.password-changed': (_message, recipient, { webAppUrl }) => ({
    mail: render(recipient, {
      subject: 'Your MentorHub password was changed',
      paragraphs: ['The password of your MentorHub account was just changed.'],
      closing: [notYou(webAppUrl)],
    }),
  }),
  'account.email-change-confirm': async (message, recipient, ctx) => {
    const { token, newEmail } = parsePayload(
      emailChangeConfirmPayloadSchema,
      'account.email-change-confirm',
      message.payload,
    );
    return unlessSpent(ctx, token, () => ({
      mail: {
        // Sent to the address being confirmed, not to the account's current one.
        to: { name: recipient.name, address: newEmail },
        ...render(recipient, {
          subject: 'Confirm your new MentorHub email address',
          paragraphs: [
            `Open the link to make ${newEmail} the email address of your MentorHub account.`,
            `The link works once, within ${String(tokenLifetimeHours.change_email)} hours.`,
          ],
          link: { label: 'Confirm this address', url: page(ctx.webAppUrl, '/confirm-email', token) },
          closing: ['If you did not ask for this, ignore this mail: nothing changes without the link.'],
        }),
      },
    }));
  },
  'account.email-change-requested': (message, recipient, { webAppUrl }) => {
    const { newEmail } = parsePayload(
      emailChangeRequestedPayloadSchema,
      'account.email-change-requested',
      message.payload,
    );
    return {
      mail: render(recipient, {
        subject: 'Your MentorHub email address is being changed',
        paragraphs: [
          `Someone signed in to your account asked to change its email address to ${newEmail}. It changes once the link sent to that address is opened.`,
        ],
        closing: [notYou(webAppUrl)],
      }),
    };
  },
  'account.warned': (message, recipient) => {
    const { reason } = parsePayload(warnedPayloadSchema, 'account.warned', message.payload);
    return {
      mail: render(recipient, {
        subject: 'A warning about your MentorHub account',
        paragraphs: [
          'Something you posted on MentorHub was reported, and our moderators found it breaks the rules.',
          `Their reason: ${reason}`,
          'Repeated breaches lead to a suspension of the account.',
        ],
      }),
    };
  },
  'account.suspended': (message, recipient) => {
    const { reason, until } = parsePayload(suspendedPayloadSchema, 'account.suspended', message.payload);
    return {
      mail: render(recipient, {
        subject: 'Your MentorHub account is suspended',
        paragraphs: [
          until === null
            ? 'Your MentorHub account is suspended for good: you can no longer sign in.'
            : `Your MentorHub account is suspended until ${until} (UTC): you cannot sign in before then.`,
          `The moderators' reason: ${reason}`,
        ],
      }),
    };
  },
};
