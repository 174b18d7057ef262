import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';
import { verifySmsSignature } from '../../../apps/notifications/src/channels/sms-gateway';

export interface SmsReceived {
  id: string;
  to: string;
  text: string;
  signatureValid: boolean;
  at: Date;
}

export interface MailReceived {
  to: string[];
  subject: string;
  text: string;
  messageId: string;
  at: Date;
}

/**
 * Local stand-ins for the outside channels, for `npm run dev` and the tests: an SMS gateway that
 * checks the webhook signature and records what arrived, and a real SMTP server (smtp-server)
 * that parses and records each mail. `failNext(n)` makes the gateway answer 503 n times.
 */
export class ChannelStandIns {
  readonly sms: SmsReceived[] = [];
  readonly mail: MailReceived[] = [];
  private failures = 0;
  private http!: Server;
  private smtp!: SMTPServer;
  smsUrl = '';
  smtpUrl = '';

  constructor(
    private readonly secret: string,
    private readonly onMessage?: (line: string) => void,
  ) {}

  failNext(n: number): void {
    this.failures = n;
  }

  async start(ports: { sms?: number; smtp?: number } = {}): Promise<this> {
    this.http = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        if (this.failures > 0) {
          this.failures--;
          res.writeHead(503).end('busy');
          return;
        }
        const m = JSON.parse(body) as { id: string; to: string; text: string };
        const signatureValid = verifySmsSignature(
          this.secret,
          body,
          req.headers['x-jz-signature'] as string | undefined,
        );
        this.sms.push({ ...m, signatureValid, at: new Date() });
        this.onMessage?.(`短信 → ${m.to.replace(/^(\d{3})\d{4}/, '$1****')}: ${m.text}`);
        res
          .writeHead(signatureValid ? 200 : 401, { 'content-type': 'application/json' })
          .end(JSON.stringify({ ok: signatureValid }));
      });
    });
    await new Promise<void>((r) => this.http.listen(ports.sms ?? 0, '127.0.0.1', r));
    this.smsUrl = `http://127.0.0.1:${(this.http.address() as AddressInfo).port}/sms`;

    this.smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData: (stream, session, cb) => {
        simpleParser(stream)
          .then((mail) => {
            const to = session.envelope.rcptTo.map((r) => r.address);
            this.mail.push({
              to,
              subject: mail.subject ?? '',
              text: mail.text ?? '',
              messageId: mail.messageId ?? '',
              at: new Date(),
            });
            this.onMessage?.(`邮件 → ${to.join(', ')}: ${mail.subject}`);
            cb();
          })
          .catch((err: Error) => cb(err));
      },
    });
    await new Promise<void>((r) => this.smtp.listen(ports.smtp ?? 0, '127.0.0.1', () => r()));
    this.smtpUrl = `smtp://127.0.0.1:${(this.smtp.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((r) => this.http.close(() => r()));
    await new Promise<void>((r) => this.smtp.close(() => r()));
  }
}
