import { condition, uuid4 } from '@temporalio/workflow';
import { noticeEndsAt } from '@jingzhun/domain/src/notice-period';
import { registry, type Procedure } from './procedure';
import type { DecideInput } from '@jingzhun/contracts/src/workflow';
import { openSignOff, type SignOff, type SignOffLevel, type SignOffSpec } from './sign-off';

/** How a notice closed: its period passed, or an upheld objection returned or ended the procedure. */
export type NoticeVerdict = 'passed' | 'returned' | 'ended';

export interface NoticeSpec {
  step: string;
  regionCode: string;
  days: number;
  /** Who verifies objections: the level above the one that posted the notice. */
  verifier: { role: SignOffLevel; regionCode: string };
}

/**
 * 公示: posted for N full days (policy; nothing shortens it). Each objection opens a verification
 * task; the procedure goes on only when the period is over and every objection is resolved.
 * An upheld objection ends the procedure (decision `reject`) or returns it to appraisal (`return`),
 * as the verifying officer chooses; `approve` dismisses the objection.
 */
export class Notice {
  private readonly open = new Map<string, SignOff>();
  private verdict: NoticeVerdict | null = null;
  private running = 0;

  constructor(
    private readonly p: Procedure,
    private readonly spec: NoticeSpec,
    readonly noticeId: string,
    readonly endsAt: string,
  ) {}

  /** Why a decision after the notice must wait, or null when it may go ahead. */
  blockedReason(): string | null {
    if (Date.now() < new Date(this.endsAt).getTime()) return `公示期未满, 至 ${this.endsAt} 结束后方可审核`;
    if (this.running > 0) return `公示期间有 ${this.running} 条异议尚未核实处理`;
    return null;
  }

  /** Waits until the period is over and every objection resolved, or an objection is upheld; closes the notice. */
  async closed(): Promise<NoticeVerdict> {
    const end = new Date(this.endsAt).getTime();
    const mine = () => this.p.objections.filter((o) => o.noticeId === this.noticeId);
    let seen = 0;
    for (;;) {
      const newObjection = () => mine().length > seen;
      const done = () => this.verdict !== null || (Date.now() >= end && this.running === 0);
      const remaining = end - Date.now();
      if (remaining > 0) await condition(() => newObjection() || this.verdict !== null, remaining);
      else await condition(() => newObjection() || done());
      for (const o of mine().slice(seen)) {
        seen++;
        this.running++;
        this.refresh();
        void this.verify(o.objectionId);
      }
      if (this.verdict || (Date.now() >= end && this.running === 0 && !newObjection())) break;
    }
    const verdict = this.verdict ?? 'passed';
    for (const task of this.open.values()) await task.cancel();
    await registry.closeNotice({ noticeId: this.noticeId, withdrawn: verdict !== 'passed' });
    this.p.state.notice = null;
    return verdict;
  }

  private async verify(objectionId: string): Promise<void> {
    const task = await openSignOff(this.p, {
      step: `${this.spec.step}.objection`,
      role: this.spec.verifier.role,
      regionCode: this.spec.verifier.regionCode,
      objectionId,
    });
    this.open.set(objectionId, task);
    const d = await task.decision();
    await this.p.flushCloses();
    this.open.delete(objectionId);
    const finding = d.decision === 'approve' ? 'DISMISSED' : 'UPHELD';
    await registry.resolveObjection({ objectionId, finding, taskId: task.taskId });
    if (finding === 'UPHELD' && !this.verdict) this.verdict = d.decision === 'return' ? 'returned' : 'ended';
    this.running--;
    this.refresh();
    this.p.acknowledgeDecisions();
  }

  private refresh(): void {
    if (this.p.state.notice) this.p.state.notice.openObjections = this.running;
  }
}

export async function postNotice(p: Procedure, spec: NoticeSpec): Promise<Notice> {
  const startsAt = new Date();
  const endsAt = noticeEndsAt(startsAt, spec.days).toISOString();
  const notice = {
    caseId: p.input.caseId,
    key: p.key(spec.step),
    regionCode: spec.regionCode,
    days: spec.days,
    startsAt: startsAt.toISOString(),
    endsAt,
  };
  if (p.foldsWrites()) {
    // The decision before the notice, the notice and the step: one registry write, the notice's id minted here.
    const noticeId = uuid4();
    const step = { caseId: p.input.caseId, step: spec.step, dueAt: endsAt, round: p.state.round };
    await registry.advance({
      caseId: p.input.caseId,
      close: p.takePendingCloses(),
      notice: { ...notice, noticeId },
      step,
    });
    p.state.notice = { noticeId, endsAt, openObjections: 0 };
    p.stepEntered(spec.step, endsAt);
    return new Notice(p, spec, noticeId, endsAt);
  }
  const { noticeId } = await registry.publishNotice(notice);
  p.state.notice = { noticeId, endsAt, openObjections: 0 };
  await p.enterStep(spec.step, endsAt);
  return new Notice(p, spec, noticeId, endsAt);
}

export type AfterNotice = { verdict: 'passed'; decision: DecideInput } | { verdict: 'returned' | 'ended' };

/**
 * 公示, then the sign-off that may only follow it: the next task opens with the notice (visible,
 * refused until the period is over and every objection resolved), becomes the current step when
 * the notice ends, and is withdrawn if an upheld objection ends or returns the procedure.
 */
export async function noticeThenSignOff(
  p: Procedure,
  notice: NoticeSpec,
  next: Omit<SignOffSpec, 'availableAt' | 'blockedBy'>,
): Promise<AfterNotice> {
  const posted = await postNotice(p, notice);
  const signOff = await openSignOff(p, {
    ...next,
    availableAt: posted.endsAt,
    blockedBy: () => posted.blockedReason(),
  });
  const verdict = await posted.closed();
  if (verdict !== 'passed') {
    await signOff.cancel();
    return { verdict };
  }
  await p.enterStep(next.step, signOff.dueAt);
  return { verdict, decision: await signOff.decision() };
}
