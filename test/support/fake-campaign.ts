import type {
  CampaignActivities,
  CampaignDeadlineEvent,
  CampaignProgress,
  RegistryActivities,
} from '@jingzhun/contracts';
import { FakeRegistry } from './fake-registry';

/**
 * The registry's activities plus the campaign's, in memory (workflow tests only). Verifications are
 * what the test says they are: `verified` per village, changed between time skips.
 */
export class FakeCampaignRegistry extends FakeRegistry {
  /** Households in scope per village, as the dry run counted them. */
  constructor(readonly scope: Record<string, number>) {
    super();
  }
  readonly verified: Record<string, number> = {};
  readonly opened = new Set<string>();
  readonly deadlines: { event: CampaignDeadlineEvent; villages: string[] }[] = [];
  withdrawn = 0;
  /** Problem items the townships still owe (the test closes them between skips). */
  problems = 0;
  summaries = 0;

  private progress(): CampaignProgress {
    const villages = [...this.opened].map((v) => ({
      villageCode: v,
      townshipCode: `${v.slice(0, 9)}000`,
      inScope: this.scope[v],
      verified: this.verified[v] ?? 0,
    }));
    const sum = (f: (x: (typeof villages)[number]) => number) => villages.reduce((n, x) => n + f(x), 0);
    return {
      inScope: sum((x) => x.inScope),
      opened: sum((x) => x.inScope),
      verified: sum((x) => x.verified),
      villages,
      casesByKind: {},
    };
  }

  private late(): string[] {
    return [...this.opened].filter((v) => (this.verified[v] ?? 0) < this.scope[v]);
  }

  override activities(): RegistryActivities & CampaignActivities {
    const campaign: CampaignActivities = {
      openVerifications: async (i) => {
        this.record('openVerifications', i);
        const fresh = i.villages.filter((v) => !this.opened.has(v));
        for (const v of fresh) this.opened.add(v);
        return {
          opened: fresh.reduce((n, v) => n + this.scope[v], 0),
          inScope: i.villages.reduce((n, v) => n + this.scope[v], 0),
        };
      },
      verificationDeadline: async (i) => {
        this.record('verificationDeadline', i);
        const villages = this.late();
        this.deadlines.push({ event: i.event, villages });
        return {
          villages: villages.length,
          tasks: villages.reduce((n, v) => n + this.scope[v] - (this.verified[v] ?? 0), 0),
        };
      },
      campaignProgress: async (i) => {
        this.record('campaignProgress', i);
        return this.progress();
      },
      withdrawCampaign: async (i) => {
        this.record('withdrawCampaign', i);
        this.withdrawn = this.late().reduce((n, v) => n + this.scope[v] - (this.verified[v] ?? 0), 0);
        return { withdrawn: this.withdrawn };
      },
      runCleaning: async (i) => {
        this.record('runCleaning', i);
        return { newItems: { no_helper: this.problems } };
      },
      openProblems: async (i) => {
        this.record('openProblems', i);
        return { open: this.problems };
      },
      campaignSummary: async (i) => {
        this.record('campaignSummary', i);
        this.summaries++;
        const p = this.progress();
        return { households: p.inScope, verified: p.verified };
      },
    };
    return { ...super.activities(), ...campaign };
  }
}
