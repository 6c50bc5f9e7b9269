// A loopback reverse proxy that adds `Authorization: Bearer <token>` to every request, for clients
// that cannot send headers of their own: the MCP conformance suite's server mode has no header
// option, and a server bound beyond loopback (the container image) requires a token.
// Everything else passes unchanged, Host and Origin included (the server's DNS-rebinding and Origin
// checks still see what the client sent); responses, event streams included, are piped through as
// they arrive, and a client that disconnects disconnects the upstream request too.
//
// Usage: CONFORMANCE_BEARER_TOKEN=... node scripts/bearer-proxy.mjs http://127.0.0.1:8080
// Prints the port it listens on (127.0.0.1, chosen by the system) as one line on stdout.
import http from 'node:http';

const target = new URL(process.argv[2] ?? '');
const token = process.env.CONFORMANCE_BEARER_TOKEN;
if (target.protocol !== 'http:' || !token) {
  console.error('usage: CONFORMANCE_BEARER_TOKEN=... node bearer-proxy.mjs http://HOST:PORT');
  process.exit(64);
}

const server = http.createServer((request, response) => {
  const headers = { ...request.headers };
  if (!headers.authorization) {
    headers.authorization = `Bearer ${token}`;
  }
  const upstream = http.request({
    host: target.hostname,
    port: target.port || 80,
    method: request.method,
    path: request.url,
    headers,
  }, (answer) => {
    response.writeHead(answer.statusCode ?? 502, answer.headers);
    answer.pipe(response);
  });
  upstream.on('error', (error) => {
    if (!response.headersSent) {
      response.writeHead(502, { 'content-type': 'text/plain' });
    }
    response.end(`bearer-proxy: ${error.message}`);
  });
  response.on('close', () => upstream.destroy());
  request.pipe(upstream);
});
server.listen(0, '127.0.0.1', () => {
  console.log(server.address().port);
});
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => process.exit(0));
}
