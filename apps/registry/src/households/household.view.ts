import { cstDate } from '@jingzhun/domain';
import type { Assessment, AssistanceMeasure, Household, Member, User } from '../generated/prisma/client';

export type MemberRow = Member;
export type HouseholdWithRelations = Household & {
  members: Member[];
  assessments: Assessment[];
  measures: AssistanceMeasure[];
  helper: User | null;
};

/** Whole years of age on `today` (UTC dates). */
export function ageOn(birth: Date, today = new Date()): number {
  const years = today.getUTCFullYear() - birth.getUTCFullYear();
  const beforeBirthday =
    today.getUTCMonth() < birth.getUTCMonth() ||
    (today.getUTCMonth() === birth.getUTCMonth() && today.getUTCDate() < birth.getUTCDate());
  return years - (beforeBirthday ? 1 : 0);
}

/**
 * A member as the API shows them. `full` (county and admin): the whole ID number and the birth
 * date. Below county: the masked number (first 6 and last 4 digits) and the age only, never the
 * birth date, which is digits 7–14 and would rebuild the number with the mask.
 */
export function memberView(m: Member, idNumber: string, full: boolean) {
  return {
    id: m.id,
    name: m.name,
    idNumber,
    relation: m.relation,
    sex: m.sex,
    ...(full ? { birthDate: m.birthDate.toISOString().slice(0, 10) } : {}),
    age: ageOn(m.birthDate),
    education: m.education,
    schooling: m.schooling,
    health: m.health,
    labourCapacity: m.labourCapacity,
    workStatus: m.workStatus,
    medicalInsurance: m.medicalInsurance,
    pensionInsurance: m.pensionInsurance,
    active: m.active,
    leftAt: m.leftAt,
    leftReason: m.leftReason,
  };
}

export function assessmentView(a: Assessment) {
  return { ...a, assessedOn: a.assessedOn.toISOString().slice(0, 10) };
}

export function measureView(m: AssistanceMeasure) {
  return {
    ...m,
    startedOn: m.startedOn.toISOString().slice(0, 10),
    endedOn: m.endedOn ? m.endedOn.toISOString().slice(0, 10) : null,
  };
}

export function householdSummary(h: Household) {
  return {
    id: h.id,
    number: h.number,
    villageCode: h.villageCode,
    headName: h.headName,
    status: h.status,
    attribute: h.attribute,
    mainCause: h.mainCause,
    secondaryCauses: h.secondaryCauses,
    identifiedYear: h.identifiedYear,
    exitYear: h.exitYear,
    returnedYear: h.returnedYear,
    monitoringType: h.monitoringType,
    monitoredSince: h.monitoredSince ? cstDate(h.monitoredSince) : null,
    helperId: h.helperId,
    address: h.address,
    netIncomePerHead: h.netIncomePerHead,
    memberCount: h.memberCount,
    version: h.version,
    createdAt: h.createdAt,
    updatedAt: h.updatedAt,
  };
}

/** What the audit keeps of a member: never the ID number itself. */
export function memberAuditView(m: Member) {
  return {
    id: m.id,
    name: m.name,
    idMasked: m.idMasked,
    relation: m.relation,
    sex: m.sex,
    active: m.active,
    health: m.health,
    labourCapacity: m.labourCapacity,
  };
}
