import { LoggerModule } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { REDACT_PATHS, scrub } from './redaction';

export function loggerModule(level: string, pretty = false) {
  return LoggerModule.forRoot({
    pinoHttp: {
      level,
      redact: { paths: REDACT_PATHS, censor: '[hidden]' },
      genReqId: (req: IncomingMessage) => (req.headers['x-request-id'] as string) || randomUUID(),
      autoLogging: { ignore: (req: IncomingMessage) => (req.url ?? '').startsWith('/health') },
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: scrub(req.url) }),
      },
      hooks: {
        logMethod(args: unknown[], method: (...a: unknown[]) => void) {
          method.apply(
            this,
            args.map((a) => (typeof a === 'string' ? scrub(a) : a)),
          );
        },
      },
      transport: pretty ? { target: 'pino/file', options: { destination: 1 } } : undefined,
    },
  });
}
