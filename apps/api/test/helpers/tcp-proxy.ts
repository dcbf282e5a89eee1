import net from 'node:net';

/**
 * A TCP relay to a real server that a test can cut (connections dropped, new ones refused), stall (connections
 * accepted, nothing forwarded) or restore: a real network failure between the API and Redis. It can also lose one
 * command on its way to Redis, so that command's reply never comes.
 */
export class TcpProxy {
  private readonly server: net.Server;
  private readonly sockets = new Set<net.Socket>();
  private mode: 'up' | 'down' | 'stalled' = 'up';

  private constructor(target: { host: string; port: number }) {
    this.server = net.createServer((client) => {
      this.sockets.add(client);
      client.on('close', () => this.sockets.delete(client));
      client.on('error', () => client.destroy());
      if (this.mode === 'down') {
        client.destroy();
        return;
      }
      const upstream = net.connect(target.port, target.host);
      this.sockets.add(upstream);
      upstream.on('close', () => {
        this.sockets.delete(upstream);
        client.destroy();
      });
      upstream.on('error', () => upstream.destroy());
      client.on('close', () => upstream.destroy());
      // Forwarded by hand so a stall can swallow bytes on live connections, like a network black hole.
      client.on('data', (chunk) => {
        if (this.swallows(chunk)) return;
        this.forward(chunk, upstream);
      });
      upstream.on('data', (chunk) => {
        this.forward(chunk, client);
      });
    });
  }

  /** Added to every chunk in each direction, in order: a slow network between the API and Redis. */
  latencyMs = 0;

  private commandToSwallow: string | undefined;
  /** How many chunks were swallowed for `swallowNext`. */
  swallowed = 0;

  /** Drops the next chunk sent to Redis that carries this command (lower case, as the client sends it). */
  swallowNext(command: string): void {
    this.commandToSwallow = command;
  }

  private swallows(chunk: Buffer): boolean {
    if (this.commandToSwallow === undefined) return false;
    // A RESP command name travels as a bulk string of its own: `$9\r\nsubscribe\r\n`.
    const bulk = `$${this.commandToSwallow.length}\r\n${this.commandToSwallow}\r\n`;
    if (!chunk.toString('latin1').includes(bulk)) return false;
    this.commandToSwallow = undefined;
    this.swallowed += 1;
    return true;
  }

  private forward(chunk: Buffer, to: net.Socket): void {
    if (this.mode !== 'up') return;
    if (this.latencyMs === 0) to.write(chunk);
    else setTimeout(() => this.mode === 'up' && !to.destroyed && to.write(chunk), this.latencyMs);
  }

  static async start(targetUrl: string): Promise<TcpProxy> {
    const url = new URL(targetUrl);
    const proxy = new TcpProxy({ host: url.hostname, port: Number(url.port || 6379) });
    await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  /** The target URL with host and port replaced by the proxy's. */
  urlFor(targetUrl: string): string {
    const url = new URL(targetUrl);
    const address = this.server.address() as net.AddressInfo;
    url.hostname = '127.0.0.1';
    url.port = String(address.port);
    return url.toString();
  }

  cut(): void {
    this.mode = 'down';
    for (const socket of this.sockets) socket.destroy();
  }

  /** Live connections stay open but nothing gets through: every command waits for its timeout. */
  stall(): void {
    this.mode = 'stalled';
  }

  restore(): void {
    this.mode = 'up';
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) =>
      this.server.close(() => {
        resolve();
      }),
    );
  }
}
