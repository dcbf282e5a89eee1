import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { freePort } from '../../../../ops/cluster/local-servers.mjs';

/**
 * A real SMTP server on a free port that parses every message it accepts. A message is in `received` before the
 * server acknowledges it, so once the sender's delivery has resolved, the message can be asserted on.
 */
export class TestMailServer {
  readonly received: ParsedMail[] = [];
  private server: SMTPServer | undefined;

  private constructor(readonly port: number) {}

  static async start(): Promise<TestMailServer> {
    const mailServer = new TestMailServer(await freePort());
    await mailServer.resume();
    return mailServer;
  }

  get url(): string {
    return `smtp://127.0.0.1:${String(this.port)}`;
  }

  /** Listens again on the same port (after `stop`, to play an outage that ends); listening already: nothing. */
  async resume(): Promise<void> {
    if (this.server) return;
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData: (stream, _session, callback) => {
        simpleParser(stream).then((mail) => {
          this.received.push(mail);
          callback();
        }, callback);
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', resolve);
    });
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server)
      await new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      });
  }

  /** How many times each Message-ID arrived. */
  countsByMessageId(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const mail of this.received) {
      const id = mail.messageId ?? '(none)';
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    return counts;
  }
}

/** "9:00 AM": the wall-clock time of `instant` in `timeZone` (zone names are checked where they are the point). */
export function wallClockTime(instant: string, timeZone: string): string {
  return new Date(instant).toLocaleTimeString('en-US', { timeZone, hour: 'numeric', minute: '2-digit' });
}
