// The web app's production server: Next.js (app router) as `next start` serves it (streamed, compressed by Next,
// its HTML untouched), plus the two things Next cannot do itself: carry `/api/ws` WebSocket upgrades to the API,
// and tell the API the visitor's address.
import { EventEmitter } from 'node:events';
import { createServer } from 'node:http';
import { connect as connectTcp } from 'node:net';
import { connect as connectTls } from 'node:tls';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import next from 'next';

const dir = dirname(fileURLToPath(import.meta.url));
const port = Number(process.env.PORT ?? 3000);
const hostname = process.env.HOSTNAME ?? '::';
const apiUrl = new URL(process.env.API_URL ?? 'http://localhost:4000');

// Next adds its own 'upgrade' listener to the server it serves (for development reloads and rewrites); two listeners
// would both write to the socket, so Next gets a stand-in that never sees one: upgrades are forwardUpgrade's alone.
const app = next({ dev: false, dir, port, httpServer: new EventEmitter() });
await app.prepare();
const handle = app.getRequestHandler();

/**
 * Next's proxy (src/proxy.ts) cannot carry a WebSocket upgrade, so `/api/ws` upgrades are piped to the API as
 * raw bytes: the request head as received (cookie and Origin included, the API checks both), then both ways.
 */
function forwardUpgrade(req, socket, head) {
  if (new URL(req.url, 'http://web').pathname !== '/api/ws') {
    socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
    return;
  }
  const secure = apiUrl.protocol === 'https:';
  const target = { host: apiUrl.hostname, port: Number(apiUrl.port || (secure ? 443 : 80)) };
  const upstream = secure ? connectTls({ ...target, servername: apiUrl.hostname }) : connectTcp(target);
  const destroyBoth = () => {
    upstream.destroy();
    socket.destroy();
  };
  upstream.on('error', destroyBoth);
  socket.on('error', destroyBoth);
  upstream.on('close', destroyBoth);
  socket.on('close', destroyBoth);
  upstream.once(secure ? 'secureConnect' : 'connect', () => {
    const lines = [`${req.method} ${req.url} HTTP/1.1`];
    for (let i = 0; i < req.rawHeaders.length; i += 2)
      lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
    upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
    if (head.length > 0) upstream.write(head);
    upstream.pipe(socket);
    socket.pipe(upstream);
  });
}

/**
 * Appends the visitor's address to X-Forwarded-For, as any proxy does: the API, trusting this server
 * (TRUST_PROXY), takes the last address no trusted proxy added, so a value the visitor sent is never theirs.
 */
function appendForwardedFor(req) {
  const chain = [req.headers['x-forwarded-for'], req.socket.remoteAddress].filter(Boolean);
  req.headers['x-forwarded-for'] = chain.join(', ');
}

createServer((req, res) => {
  appendForwardedFor(req);
  handle(req, res).catch((error) => {
    console.error(error);
    if (!res.headersSent) res.statusCode = 500;
    res.end();
  });
})
  .on('upgrade', forwardUpgrade)
  .listen(port, hostname, () => {
    console.log(`web app listening on http://localhost:${port}`);
  });
