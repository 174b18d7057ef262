import { FollowUpCoverage } from '../../apps/registry/src/follow-ups/follow-up-coverage';
import { A, users } from './fixtures';
import { nextIdNumber } from './id-numbers';
import type { RunningRegistry } from './registry-app';

export interface DueRevisit {
  id: string;
  number: string;
  head: string;
  task: { id: string; caseId: string; householdId: string; dueAt: string };
}

/**
 * Exited households of one helper (one per head name), each with its follow-up started by the
 * registry's sweep and its first revisit task open: what a helper finds on the phone.
 */
export async function householdsDueRevisit(
  s: { registry: RunningRegistry; auth: (user: string) => Promise<Record<string, string>> },
  heads: string[],
  helperId: string = users.helperA,
): Promise<DueRevisit[]> {
  const county = await s.auth(users.countyA);
  const made: Omit<DueRevisit, 'task'>[] = [];
  for (const head of heads) {
    const r = await s.registry.http
      .post('/households')
      .set(county)
      .send({
        villageCode: A.village,
        status: 'EXITED',
        identifiedYear: 2018,
        exitYear: 2024,
        mainCause: 'ILLNESS',
        helperId,
        members: [{ name: head, idNumber: nextIdNumber(), relation: 'HEAD' }],
      });
    if (r.status !== 201) throw new Error(`household: ${r.status} ${JSON.stringify(r.body)}`);
    made.push({ id: r.body.id, number: r.body.number, head });
  }
  await s.registry.app.get(FollowUpCoverage).sweep();
  const helper = await s.auth(helperId);
  for (let i = 0; i < 300; i++) {
    const items = (await s.registry.http.get('/tasks?status=open&kind=follow_up&pageSize=200').set(helper)).body
      .items as DueRevisit['task'][];
    const tasks = made.map((h) => items.find((t) => t.householdId === h.id));
    if (tasks.every(Boolean)) return made.map((h, j) => ({ ...h, task: tasks[j]! }));
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('no revisit tasks');
}
