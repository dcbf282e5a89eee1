import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer';

/** Sends one message; resolves once the SMTP server accepted it (or the file is written), rejects otherwise. */
export interface MailTransport {
  send(message: Mail.Options): Promise<void>;
  close(): void;
}

export interface MailTransportOptions {
  smtpUrl: string | undefined;
  /** Where messages are written as .eml files when there is no SMTP server. */
  fileDirectory: string;
}

/** A stable file name for a message, so a retry overwrites its own file instead of adding one. */
function fileNameOf(messageId: string): string {
  return `${createHash('sha256').update(messageId).digest('hex').slice(0, 32)}.eml`;
}

export function createMailTransport(options: MailTransportOptions): MailTransport {
  if (options.smtpUrl) {
    // Timeouts well inside the outbox lease, so a hung server fails the attempt before another worker takes over.
    // Pooled: the connection stays open from one message to the next instead of a handshake per message; one
    // connection, as a worker sends the messages of its pass one after another. close() ends it on shutdown.
    const smtp = nodemailer.createTransport({
      url: options.smtpUrl,
      pool: true,
      maxConnections: 1,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
    });
    return {
      async send(message) {
        await smtp.sendMail(message);
      },
      close: () => {
        smtp.close();
      },
    };
  }
  const stream = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    async send(message) {
      const info = await stream.sendMail(message);
      await mkdir(options.fileDirectory, { recursive: true });
      await writeFile(join(options.fileDirectory, fileNameOf(info.messageId)), info.message);
    },
    close: () => {
      stream.close();
    },
  };
}
