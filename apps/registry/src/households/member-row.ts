import { idNumberBirthDate, idNumberSex } from '@jingzhun/domain';
import type { SealedIdNumber } from '../id-numbers/id-number-vault';
import type { MemberInput } from '@jingzhun/domain';

/** The member table's columns for a validated member: the one place a member row is built. */
export function memberRow(m: MemberInput, sealed: SealedIdNumber) {
  return {
    name: m.name,
    idHash: sealed.hash,
    activeIdHash: sealed.hash,
    idCipher: sealed.cipher,
    idMasked: sealed.masked,
    relation: m.relation,
    sex: m.sex ?? idNumberSex(m.idNumber),
    birthDate: idNumberBirthDate(m.idNumber)!,
    education: m.education,
    schooling: m.schooling,
    health: m.health,
    labourCapacity: m.labourCapacity,
    workStatus: m.workStatus,
    medicalInsurance: m.medicalInsurance,
    pensionInsurance: m.pensionInsurance,
  };
}
