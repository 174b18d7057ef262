import { Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { alertInputSchema, DEPARTMENTS, type Department, Streams } from '@jingzhun/contracts';
import { JetStreamService, PermanentError } from '@jingzhun/platform';
import { AlertsService } from './alerts.service';

/**
 * Alerts a department publishes on NATS (`alerts.<department>[.<county>]`) instead of calling
 * POST /alerts, and the sweeper that starts the evaluations Temporal could not take at arrival.
 */
@Injectable()
export class AlertIntake implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private sweeper: NodeJS.Timeout | null = null;

  constructor(
    private readonly alerts: AlertsService,
    private readonly nats: JetStreamService,
  ) {}

  onApplicationBootstrap(): void {
    // Departments may publish on NATS instead of calling POST /alerts.
    for (const dept of DEPARTMENTS)
      this.nats.consume(
        {
          stream: Streams.alerts.name,
          durable: `monitoring-alerts-${dept}`,
          filterSubjects: [`alerts.${dept}.*`],
          maxDeliver: 10,
          backoffMs: [1000, 5000, 30000],
          // An alert carries an ID number: kept in the stream only until it is taken in, and its dead letter keeps the keyed hash.
          removeAfterIntake: true,
          deadLetterData: (data) => this.withoutIdNumber(data),
        },
        async (event, msg) => {
          const [, department, scope] = msg.subject.split('.') as [string, Department, string];
          const parsed = alertInputSchema.safeParse(event.data);
          // A malformed alert cannot get better by retrying: it is dead-lettered with the field named.
          if (!parsed.success)
            throw new PermanentError(
              `invalid alert: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`,
            );
          // alerts.<department>.<county>: NATS lets that county's department publish there only; its alerts must lie in it.
          const county = /^\d{6}$/.test(scope) ? scope : null;
          if (county && !(parsed.data.villageCode ?? '').startsWith(county))
            throw new PermanentError(
              `alert outside county ${county}: villageCode ${parsed.data.villageCode ?? '(none)'}`,
            );
          await this.alerts.receive(
            department,
            county ? `dept-${department}-${county}` : `dept-${department}`,
            parsed.data,
            'nats',
            county ? `${county}000000` : null,
          );
        },
      );
    // Alerts whose evaluation could not be started (Temporal away) are started again.
    this.sweeper = setInterval(() => void this.alerts.startPending().catch(() => undefined), 15_000);
  }

  beforeApplicationShutdown(): void {
    if (this.sweeper) clearInterval(this.sweeper);
  }

  /** A dead letter's copy of an alert: the ID number replaced by its keyed hash (what matching uses anyway). */
  private withoutIdNumber(data: Uint8Array): Uint8Array {
    const envelope = JSON.parse(new TextDecoder().decode(data)) as { data?: Record<string, unknown> };
    const id = envelope.data?.idNumber;
    if (envelope.data && typeof id === 'string') {
      delete envelope.data.idNumber;
      envelope.data.idHash = this.alerts.hashOf(id);
    }
    return new TextEncoder().encode(JSON.stringify(envelope));
  }
}
