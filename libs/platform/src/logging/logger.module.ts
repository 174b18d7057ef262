import { LoggerModule } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { REDACT_PATHS, scrub } from './redaction';

/** A caller's X-Request-Id is kept only when it is a plain identifier; anything else gets a new id. */
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * The request's id: the caller's X-Request-Id when it is a plain identifier that holds nothing the
 * scrubber would hide (an ID number or a phone number sent as the id is not logged), else a new
 * UUID. It is sent back as X-Request-Id so a user's report can be found in the logs.
 */
export function requestId(req: IncomingMessage, res: ServerResponse): string {
  const sent = req.headers['x-request-id'];
  const id = typeof sent === 'string' && SAFE_REQUEST_ID.test(sent) && scrub(sent) === sent ? sent : randomUUID();
  res.setHeader('x-request-id', id);
  return id;
}

export function loggerModule(level: string, pretty = false) {
  return LoggerModule.forRoot({
    pinoHttp: {
      level,
      redact: { paths: REDACT_PATHS, censor: '[hidden]' },
      genReqId: requestId,
      autoLogging: { ignore: (req: IncomingMessage) => (req.url ?? '').startsWith('/health') },
      serializers: {
        // The URL as sent: the whole line, this field included, is scrubbed once in streamWrite.
        req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url }),
      },
      hooks: {
        // The last net: every line as written, whatever field or error message carries it.
        streamWrite: (line: string) => scrub(line),
      },
      transport: pretty ? { target: 'pino/file', options: { destination: 1 } } : undefined,
    },
  });
}
