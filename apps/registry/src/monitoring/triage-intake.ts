import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { parseEventPayload, Streams, TriageSubjects } from '@jingzhun/contracts';
import { JetStreamService, type EventEnvelope } from '@jingzhun/platform';
import { TriageAlertStore } from './triage-alert.store';

/**
 * Listens to the monitoring service's triage (`alerts.triage.*` on stream ALERTS) so that risk
 * elimination can see a risky department alert still waiting for a decision (RULES.md row 5: no new
 * risk). The services meet through events; the registry never reads the monitoring schema.
 */
@Injectable()
export class TriageIntake implements OnApplicationBootstrap {
  constructor(
    private readonly nats: JetStreamService,
    private readonly store: TriageAlertStore,
  ) {}

  onApplicationBootstrap(): void {
    this.nats.consume(
      {
        stream: Streams.alerts.name,
        durable: 'registry-triage',
        filterSubjects: ['alerts.triage.>'],
        maxDeliver: 20,
        ackWaitSeconds: 30,
        backoffMs: [1000, 5000, 15000, 30000],
      },
      (e) => this.handle(e),
    );
  }

  async handle(event: EventEnvelope): Promise<void> {
    const e = parseEventPayload(event.subject, event.data);
    if (e.subject === TriageSubjects.opened)
      await this.store.opened({ alertId: e.data.alertId, householdId: e.data.householdId, risky: e.data.risky });
    else if (e.subject === TriageSubjects.decided) await this.store.decided(e.data.alertId);
  }
}
