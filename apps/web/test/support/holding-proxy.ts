import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * An HTTP relay in front of the API. After `hold()`, chosen requests wait until `release()`: a slow part of the
 * API, on cue, with no clock involved.
 */
export class HoldingProxy {
  private holding = false;
  private readonly waiting: (() => void)[] = [];
  private readonly server = createServer((req, res) => {
    if (this.holding && this.holds(req.url ?? '/'))
      this.waiting.push(() => {
        this.forward(req, res);
      });
    else this.forward(req, res);
  });

  private constructor(
    private readonly target: URL,
    /** Which requests (by path and query) wait for `release()`. */
    private readonly holds: (path: string) => boolean,
  ) {}

  static async start(targetUrl: string, holds: (path: string) => boolean): Promise<HoldingProxy> {
    const proxy = new HoldingProxy(new URL(targetUrl), holds);
    await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** How many requests are waiting now. */
  get held(): number {
    return this.waiting.length;
  }

  /** Lets the waiting requests through; later ones pass at once until `hold()`. */
  release(): void {
    this.holding = false;
    for (const forward of this.waiting.splice(0)) forward();
  }

  hold(): void {
    this.holding = true;
  }

  private forward(req: IncomingMessage, res: ServerResponse): void {
    const upstream = request(
      {
        host: this.target.hostname,
        port: this.target.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
        // A connection per request: a pooled one the API has just closed as idle would fail the request.
        agent: false,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  }

  async close(): Promise<void> {
    this.release();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) =>
      this.server.close(() => {
        resolve();
      }),
    );
  }
}
