import { Client } from 'pg';
import { TaskQueues } from '@jingzhun/contracts';
import { TemporalWorkerHost } from '@jingzhun/platform';
import { A, B, seedFixtures, users } from './fixtures';
import { freshDatabase } from './database';
import { testEngines } from './engines';
import { nextIdNumber } from './id-numbers';
import { startRegistry } from './registry-app';
import { records } from './records';
import { cstDate, cstYear } from '@jingzhun/domain';

/** The policy rows every procedure reads (poverty line, notice and sign-off days, …), on a connection with search_path registry. */
export async function seedProcedurePolicy(pg: Client): Promise<void> {
  await pg.query(`INSERT INTO policy (key, scope, effective_from, value) VALUES
    ('povertyLine', '', '2020-01-01', '{"yuan": 4000}'),
    ('noticeDays', '', '2016-01-01', '{"identification": 7, "exit": 7, "return": 7, "villageExit": 7, "memberChange": 0}'),
    ('signOffDays', '', '2016-01-01', '{"village": 7, "township": 7, "county": 10, "reminderBeforeDays": 2, "escalationGraceDays": 3}'),
    ('villageExitIncidence', '', '2016-01-01', '{"max": 0.02}'),
    ('villageExitIncidence', '52', '2016-01-01', '{"max": 0.03}'),
    ('monitoringLine', '', '2021-01-01', '{"yuan": 7800}'),
    ('revisitCadence', '', '2021-01-01', '{"exited": "P3M", "monitored": "P1M", "reminderBeforeDays": 7, "escalationGraceDays": 7}'),
    ('transitionPeriod', '', '2021-01-01', '{"from": "2021-01-01", "until": "2025-12-31"}'),
    ('transitionPeriod', '41', '2025-01-01', '{"from": "2021-01-01", "until": "2030-12-31"}'),
    ('transitionPeriod', '52', '2025-01-01', '{"from": "2021-01-01", "until": "2030-12-31"}')`);
}

/** Registry (HTTP + its activity worker on queue `registry`) and a workflow worker, against one Temporal. */
export async function procedureStack(label: string, temporalAddress: string, env: Record<string, string> = {}) {
  const db = await freshDatabase(label);
  await seedFixtures(db.url);
  const pg = new Client({ connectionString: db.url });
  await pg.connect();
  await pg.query('SET search_path TO registry');
  await seedProcedurePolicy(pg);
  const registry = await startRegistry(db.url, { TEMPORAL_ADDRESS: temporalAddress, ...env });
  const worker = new TemporalWorkerHost({
    address: temporalAddress,
    namespace: 'default',
    taskQueue: TaskQueues.processes,
    workflowBundlePath: testEngines.workflowBundle,
  });
  worker.start();
  await worker.ready;
  const auth = async (user: string) => ({ authorization: `Bearer ${await registry.token(user)}` });

  /** A POOR household with this year's assessment above the line and every need met: exit-eligible. */
  async function exitEligibleHousehold(
    village = A.village,
    people = 3,
  ): Promise<{ id: string; number: string; headId: string }> {
    const headId = nextIdNumber();
    const members = [{ name: '退出户主', idNumber: headId, relation: 'HEAD' }];
    for (let i = 1; i < people; i++) members.push({ name: `成员${i}`, idNumber: nextIdNumber(), relation: 'SON' });
    const county = village.startsWith('5226') ? users.countyB : users.countyA;
    const res = await registry.http
      .post('/households')
      .set(await auth(county))
      .send({ villageCode: village, status: 'POOR', identifiedYear: 2018, mainCause: 'ILLNESS', members });
    if (res.status !== 201) throw new Error(`household: ${res.status} ${JSON.stringify(res.body)}`);
    const a = await registry.http
      .post(`/households/${res.body.id}/assessments`)
      .set(await auth(county))
      .send({
        year: cstYear(),
        assessedOn: cstDate(),
        wageIncome: 30000,
        businessIncome: 0,
        propertyIncome: 0,
        transferIncome: 3000,
        productionCosts: 3000,
        food: true,
        clothing: true,
        education: true,
        medical: true,
        housing: true,
        water: true,
      });
    if (a.status !== 201) throw new Error(`assessment: ${a.status} ${JSON.stringify(a.body)}`);
    return { id: res.body.id, number: res.body.number, headId };
  }

  /** Waits for the workflow to open the step's task: 30 s, as two e2e files share the dev server on 2 cores. */
  async function inboxTask(user: string, step: string, caseId: string) {
    for (const deadline = Date.now() + 30_000; Date.now() < deadline; ) {
      const res = await registry.http.get(`/tasks?status=open&step=${step}&pageSize=200`).set(await auth(user));
      const t = res.body.items.find((x: { step: string; caseId: string }) => x.step === step && x.caseId === caseId);
      if (t) return t;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`no ${step} task for ${user}`);
  }

  /** An exit case decided through appraisal and verification by the village: its village notice is up. */
  async function exitAtVillageNotice(): Promise<{
    household: { id: string; number: string; headId: string };
    caseId: string;
    noticeId: string;
  }> {
    const household = await exitEligibleHousehold();
    const started = await registry.http
      .post('/cases')
      .set(await auth(users.villageA))
      .send({ kind: 'exit', householdId: household.id, reason: '年度退出' });
    const appraisal = await inboxTask(users.villageA, 'village.appraisal', started.body.id);
    await registry.http
      .post(`/tasks/${appraisal.id}/decision`)
      .set(await auth(users.villageA))
      .send({ decision: 'approve', comment: '评议通过', data: records.appraisal() });
    const visit = await inboxTask(users.villageA, 'village.verification', started.body.id);
    const atNotice = await registry.http
      .post(`/tasks/${visit.id}/decision`)
      .set(await auth(users.villageA))
      .send({ decision: 'approve', comment: '核实', data: records.exitVisit() });
    if (atNotice.status !== 200) throw new Error(`verification: ${atNotice.status} ${JSON.stringify(atNotice.body)}`);
    return { household, caseId: started.body.id, noticeId: atNotice.body.notice.noticeId };
  }

  const stack = {
    db,
    pg,
    registry,
    worker,
    auth,
    exitEligibleHousehold,
    inboxTask,
    exitAtVillageNotice,
    A,
    B,
    async close() {
      await stack.worker.stop();
      await registry.close();
      await pg.end();
      await db.drop();
    },
  };
  return stack;
}
