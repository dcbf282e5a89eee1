// The web app's production server: Next.js (app router) behind a thin Node HTTP layer that defers the React
// runtime of server-rendered pages until the visitor first interacts.
//
// Every page is complete, server-rendered HTML: links are links, filters are GET forms, and every write is a
// form posting to a server action, which Next serves without JavaScript. So the ~140 KB of React and router code
// need not run while the page loads: their <script> tags are turned inert, and a tiny
// inline loader (see src/app/layout.tsx) starts them on the first pointer, key, touch, focus or
// scroll event. Nothing blocks the main thread during load; the page works as plain HTML at once.
import { EventEmitter } from 'node:events';
import { createServer } from 'node:http';
import { connect as connectTcp } from 'node:net';
import { connect as connectTls } from 'node:tls';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import next from 'next';
import { deferChunkScripts } from './deferred-runtime.mjs';

const dir = dirname(fileURLToPath(import.meta.url));
const port = Number(process.env.PORT ?? 3000);
const hostname = process.env.HOSTNAME ?? '::';
const apiUrl = new URL(process.env.API_URL ?? 'http://localhost:4000');

// Next adds its own 'upgrade' listener to the server it serves (for development reloads and rewrites); two listeners
// would both write to the socket, so Next gets a stand-in that never sees one: upgrades are forwardUpgrade's alone.
const app = next({ dev: false, dir, port, httpServer: new EventEmitter() });
await app.prepare();
const handle = app.getRequestHandler();

function isDocumentRequest(req) {
  return (
    req.method === 'GET' &&
    !req.url.startsWith('/_next/') &&
    !req.url.startsWith('/api/') &&
    req.headers.rsc === undefined &&
    req.headers['next-router-state-tree'] === undefined &&
    (req.headers.accept ?? '').includes('text/html')
  );
}

/** Buffers Next's HTML answer to a document request, rewrites it, and compresses it once. */
function captureHtml(req, res) {
  const encoding = /\bbr\b/.test(req.headers['accept-encoding'] ?? '')
    ? 'br'
    : /\bgzip\b/.test(req.headers['accept-encoding'] ?? '')
      ? 'gzip'
      : null;
  delete req.headers['accept-encoding'];
  const chunks = [];
  const original = { write: res.write.bind(res), end: res.end.bind(res), writeHead: res.writeHead.bind(res) };
  res.writeHead = (status, ...rest) => {
    res.statusCode = status;
    const headers = rest.find((arg) => typeof arg === 'object' && arg !== null);
    if (headers) for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    return res;
  };
  res.flushHeaders = () => {};
  res.write = (chunk, enc, callback) => {
    if (chunk)
      chunks.push(
        Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk, typeof enc === 'string' ? enc : 'utf8'),
      );
    if (typeof enc === 'function') enc();
    else if (typeof callback === 'function') callback();
    return true;
  };
  res.end = (chunk, enc, callback) => {
    if (chunk && typeof chunk !== 'function') res.write(chunk, enc);
    const done = [chunk, enc, callback].find((arg) => typeof arg === 'function');
    let body = Buffer.concat(chunks);
    const type = String(res.getHeader('content-type') ?? '');
    if (type.startsWith('text/html') && !res.getHeader('content-encoding')) {
      body = Buffer.from(deferChunkScripts(body.toString('utf8')), 'utf8');
      if (encoding && body.length > 1024) {
        body =
          encoding === 'br'
            ? brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 5 } })
            : gzipSync(body, { level: 6 });
        res.setHeader('content-encoding', encoding);
      }
      // Keep Next's Vary (RSC and router headers: HTML and RSC answers share URLs) and add the encoding.
      const vary = String(res.getHeader('vary') ?? '');
      if (!/accept-encoding/i.test(vary))
        res.setHeader('vary', vary ? `${vary}, Accept-Encoding` : 'Accept-Encoding');
    }
    res.removeHeader('transfer-encoding');
    res.setHeader('content-length', body.length);
    original.writeHead(res.statusCode);
    return original.end(body, done);
  };
}

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
  if (isDocumentRequest(req)) captureHtml(req, res);
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
