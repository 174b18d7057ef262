import { createServer, type Server } from 'node:http';
import type { Registry } from 'prom-client';

/**
 * /metrics on a port of its own (`METRICS_PORT`; required in production): Prometheus scrapes it on the
 * cluster network while the API's port, the one the ingress publishes, answers 404 there (#22).
 * Anything but `GET /metrics` is a 404; the server closes with the app.
 */
export function serveMetrics(registry: Registry, port: number, host: string): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found');
      return;
    }
    registry.metrics().then(
      (text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text),
      (err: Error) => res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end(err.message),
    );
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}
