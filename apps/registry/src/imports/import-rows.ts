import { RegistrySubjects, parseEventPayload } from '@jingzhun/contracts';
import { outboxEvent, uuidv7 } from '@jingzhun/platform';
import { memberRow } from '../households/member-row';
import type { ImportOptions, SealedMember } from './household-importer';
import type { ImportBatchRows } from './import.store';
import type { ImportHousehold } from './import-validation';

/**
 * One batch's rows in ImportStore's COPY column order: each household with its number, its members
 * (the one member row, sealed ID numbers), its audit entry and its `household.created` event.
 */
export function importBatchRows(
  households: ImportHousehold[],
  numbers: string[],
  sealed: Map<ImportHousehold, SealedMember[]>,
  opts: Pick<ImportOptions, 'actor' | 'fileName' | 'origin'>,
  service: string,
): ImportBatchRows {
  const now = new Date();
  const rows: ImportBatchRows = { households: [], members: [], audits: [], events: [] };
  households.forEach((h, i) => {
    const id = uuidv7();
    const number = numbers[i];
    const head = h.members.find((m) => m.relation === 'HEAD')!;
    rows.households.push([
      id,
      number,
      h.villageCode,
      head.name,
      h.status,
      h.attribute,
      h.mainCause,
      h.secondaryCauses,
      h.identifiedYear ?? null,
      h.exitYear ?? null,
      h.monitoringType ?? null,
      h.monitoredSince ?? null,
      h.address ?? null,
      h.members.length,
      1,
      now,
      now,
    ]);
    const people = sealed.get(h)!;
    h.members.forEach((m, j) => {
      // The one member row (memberRow), laid out in ImportStore's COPY column order.
      const r = memberRow(m, people[j]);
      rows.members.push([
        people[j].id,
        id,
        r.name,
        r.idHash,
        r.activeIdHash,
        r.idCipher,
        r.idMasked,
        r.relation,
        r.sex,
        r.birthDate.toISOString().slice(0, 10),
        r.education,
        r.schooling,
        r.health,
        r.labourCapacity,
        r.workStatus,
        r.medicalInsurance,
        r.pensionInsurance,
        true,
        now,
        now,
      ]);
    });
    const after = {
      number,
      villageCode: h.villageCode,
      headName: head.name,
      status: h.status,
      attribute: h.attribute,
      mainCause: h.mainCause,
      secondaryCauses: h.secondaryCauses,
      identifiedYear: h.identifiedYear,
      exitYear: h.exitYear,
      monitoringType: h.monitoringType,
      monitoredSince: h.monitoredSince,
      members: h.members.map((m, j) => ({
        id: people[j].id,
        name: m.name,
        idMasked: people[j].masked,
        relation: m.relation,
      })),
      source: opts.fileName,
    };
    rows.audits.push([opts.actor.id, opts.actor.role, 'household.imported', 'household', id, id, h.villageCode, after]);
    const created = {
      householdId: id,
      number,
      villageCode: h.villageCode,
      status: h.status,
      memberCount: h.members.length,
      origin: opts.origin,
    };
    parseEventPayload(RegistrySubjects.householdCreated, created);
    const event = outboxEvent(service, RegistrySubjects.householdCreated, created);
    rows.events.push([event.id, event.subject, event]);
  });
  return rows;
}
