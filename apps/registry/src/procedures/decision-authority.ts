import { Injectable } from '@nestjs/common';
import type { Actor, DeciderVerdict } from '@jingzhun/contracts';
import { isWithin } from '@jingzhun/domain';
import { UserStore } from '../users/user.store';
import { TaskStore } from './task.store';

type TaskRights = { role: string; regionCode: string; assigneeId: string | null; escalatedRole: string | null; escalatedRegion: string | null };

/**
 * Who may decide a task: anyone of its role inside its region, or of its escalation's role inside
 * that region; a task owed by one person (a helper's revisit) is theirs, and the village cadres'
 * (DESIGN.md: the village records revisits). One rule for the API's early answer and for the
 * workflow's re-check of the actor.
 */
export function mayDecide(task: TaskRights, actor: Pick<Actor, 'id' | 'role' | 'regionCode'>): boolean {
  const assignee = task.assigneeId
    ? actor.id === task.assigneeId || (actor.role === 'village' && isWithin(actor.regionCode, task.regionCode))
    : actor.role === task.role && isWithin(actor.regionCode, task.regionCode);
  const escalated = task.escalatedRole !== null && actor.role === task.escalatedRole && isWithin(actor.regionCode, task.escalatedRegion!);
  return assignee || escalated;
}

/** The registry activity behind `verifyDecider`: the actor as the registry knows them, read now. */
@Injectable()
export class DecisionAuthority {
  constructor(
    private readonly users: UserStore,
    private readonly tasks: TaskStore,
  ) {}

  async verify(i: { taskId: string; actor: Actor }): Promise<DeciderVerdict> {
    // The claimed role and region are ignored: the registry's user is the authority.
    const [user, task] = await Promise.all([this.users.find(i.actor.id), this.tasks.findWithCase(i.taskId)]);
    // The workflow opened this task here: not finding it is this database's problem, not the
    // decider's, so the activity fails and Temporal retries it (never a refusal).
    if (!task) throw new Error(`task ${i.taskId} not found`);
    if (!user || !user.active) return { ok: false, reason: '决定人不存在或已停用' };
    const actor = { id: user.id, role: user.role, regionCode: user.regionCode };
    if (!mayDecide(task, actor)) return { ok: false, reason: '该任务不由您办理' };
    return { ok: true, actor };
  }
}
