import { Injectable } from '@nestjs/common';
import {
  assessmentDateIssue,
  netIncomePerHead,
  unmetBasicNeeds,
  type AssessmentInput,
  type MeasureInput,
} from '@jingzhun/domain';
import { RegistrySubjects } from '@jingzhun/contracts';
import { invalid, type AuthUser } from '@jingzhun/platform';
import type { Household } from '../generated/prisma/client';
import { Journal } from '../journal/journal';
import { PrismaService, type Tx } from '../prisma/prisma.service';
import { PolicyService } from '../procedures/policy.service';
import { assertSameRequest, IdempotencyStore, keyedRequest } from '../procedures/idempotency.store';
import { HouseholdStore } from './household.store';
import { HouseholdsService } from './households.service';
import { assessmentView, measureView } from './household.view';

/**
 * What is recorded about a household besides its members: assessments (核实: income and basic needs)
 * and assistance measures, each audited with its event, from the API or inside a procedure's or a
 * campaign's transaction.
 */
@Injectable()
export class HouseholdRecordsService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly journal: Journal,
    private readonly store: HouseholdStore,
    private readonly policy: PolicyService,
    private readonly households: HouseholdsService,
    private readonly idempotency: IdempotencyStore,
  ) {}

  /** With an Idempotency-Key (#24: the verification visit's first request from the outbox) a repeat answers the first result. */
  async recordAssessment(actor: AuthUser, householdId: string, input: AssessmentInput, key?: string) {
    const route = `POST /households/${householdId}/assessments`;
    if (key) {
      const prior = await this.idempotency.find(`${actor.id}:${key}`);
      if (prior) {
        assertSameRequest(prior.route, route, input);
        return prior.response as unknown as ReturnType<typeof assessmentView>;
      }
    }
    const assessmentId = await this.prisma.$transaction(async (tx) => {
      const household = await this.households.loadForWrite(tx, actor, householdId);
      // Dated when the visit was made (CST), never ahead nor back-dated beyond the policy's window.
      const wrong = assessmentDateIssue(
        input,
        await this.policy.assessmentBackdateDays(household.villageCode, new Date()),
      );
      if (wrong) throw invalid(wrong.path, wrong.message);
      return this.assessmentIn(tx, actor, household, input);
    });
    const view = assessmentView(await this.store.assessment(assessmentId));
    if (key)
      await this.idempotency.remember({
        key: `${actor.id}:${key}`,
        actorId: actor.id,
        route: keyedRequest(route, input),
        statusCode: 201,
        response: JSON.parse(JSON.stringify(view)),
      });
    return view;
  }

  /** Records an assessment inside the caller's transaction (the household locked): audited, with its event. */
  async assessmentIn(
    tx: Tx,
    actor: Pick<AuthUser, 'id' | 'role'>,
    household: Household,
    input: AssessmentInput,
  ): Promise<string> {
    const householdId = household.id;
    const people = input.people ?? (await this.store.activeMemberCount(tx, householdId));
    if (people < 1) throw invalid('people', '该户没有在册成员,请填写人数');
    const perHead = netIncomePerHead({ ...input, people });
    const latest = await this.store.latestAssessment(tx, householdId);
    const assessment = await this.store.addAssessment(tx, householdId, { ...input, people }, perHead, actor.id);
    if (!latest || latest.assessedOn.getTime() <= new Date(input.assessedOn).getTime())
      await this.store.setIncome(tx, householdId, perHead);
    await this.journal.record(
      tx,
      actor,
      {
        action: 'assessment.recorded',
        entity: 'assessment',
        entityId: assessment.id,
        householdId,
        regionCode: household.villageCode,
        after: assessmentView(assessment),
      },
      {
        subject: RegistrySubjects.assessmentRecorded,
        data: {
          householdId,
          number: household.number,
          villageCode: household.villageCode,
          assessmentId: assessment.id,
          year: input.year,
          netIncomePerHead: perHead,
          unmetBasicNeeds: unmetBasicNeeds(input),
        },
      },
    );
    return assessment.id;
  }

  async addMeasure(actor: AuthUser, householdId: string, input: MeasureInput) {
    const measureId = await this.prisma.$transaction(async (tx) =>
      this.measureIn(tx, actor, await this.households.loadForWrite(tx, actor, householdId), input),
    );
    return measureView(await this.store.measure(measureId));
  }

  /** Adds an assistance measure inside the caller's transaction: audited, with its event. */
  async measureIn(
    tx: Tx,
    actor: Pick<AuthUser, 'id' | 'role'>,
    household: Household,
    input: MeasureInput,
  ): Promise<string> {
    const measure = await this.store.addMeasure(tx, household.id, input, actor.id);
    await this.journal.record(
      tx,
      actor,
      {
        action: 'measure.added',
        entity: 'assistance_measure',
        entityId: measure.id,
        householdId: household.id,
        regionCode: household.villageCode,
        after: measureView(measure),
      },
      {
        subject: RegistrySubjects.measureAdded,
        data: {
          householdId: household.id,
          number: household.number,
          villageCode: household.villageCode,
          measureId: measure.id,
          kind: measure.kind,
        },
      },
    );
    return measure.id;
  }
}
