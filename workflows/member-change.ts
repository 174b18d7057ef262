import type { CaseState, ProcedureInput } from '@jingzhun/contracts';
import { announce } from './steps/announcement';
import { route } from './steps/outcome';
import { Procedure } from './steps/procedure';
import { signOff } from './steps/sign-off';

/**
 * 成员变更: add or remove a member with a reason (birth, death, marriage, split, migration,
 * correction; given when the case starts) → village verification → township approval →
 * registry update, with net income per head recomputed.
 */
export async function memberChangeProcedure(input: ProcedureInput): Promise<CaseState> {
  const p = await Procedure.start(input);
  for (; ; p.state.round++) {
    const verification = route(await signOff(p, { step: 'village.verification', role: 'village', regionCode: p.villageCode }));
    if (verification === 'stop') return p.finish('REJECTED', '村级核实不属实');
    if (verification === 'again') continue;

    const approval = route(await signOff(p, { step: 'township.approval', role: 'township', regionCode: input.townshipCode }));
    if (approval === 'stop') return p.finish('REJECTED', '乡镇未批准');
    if (approval === 'again') continue;

    return announce(p);
  }
}
