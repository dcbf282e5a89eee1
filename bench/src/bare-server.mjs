// The hardware limit: a bare node:http server answering every request with the exact bytes and headers
// MentorHub sent for a scenario. argv: port, path of a JSON file { headers, body }.
import { readFileSync } from 'node:fs';
import http from 'node:http';

const [port, responseFile] = process.argv.slice(2);
const { headers, body } = JSON.parse(readFileSync(responseFile ?? '', 'utf8'));
const bytes = Buffer.from(body);
http
  .createServer((_request, response) => {
    response.writeHead(200, { ...headers, 'content-length': bytes.length });
    response.end(bytes);
  })
  .listen(Number(port), '127.0.0.1', () => {
    process.stdout.write('ready\n');
  });
