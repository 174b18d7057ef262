import type { paths as MonitoringPaths } from './generated/monitoring';
import type { paths as NotificationsPaths } from './generated/notifications';
import type { paths as RegistryPaths } from './generated/registry';

/**
 * The console's names for the services' answers, each taken from the generated client (the OpenAPI
 * documents, `npm run gen:client`): a page never declares a response shape of its own, and a changed
 * answer fails the console's typecheck instead of a cast hiding it.
 */
type Json<R> = R extends { content: { 'application/json': infer J } } ? J : never;
type Success<R> = R extends { 200: infer A }
  ? A
  : R extends { 201: infer A }
    ? A
    : R extends { 202: infer A }
      ? A
      : never;
type AnswerOf<Op> = Op extends { responses: infer R } ? Json<Success<R>> : never;

/** The JSON a registry route answers on success (`RegistryAnswer<'/cases/{id}'>`, `RegistryAnswer<'/cases', 'post'>`). */
export type RegistryAnswer<
  P extends keyof RegistryPaths,
  M extends keyof RegistryPaths[P] = 'get' & keyof RegistryPaths[P],
> = AnswerOf<RegistryPaths[P][M]>;
export type MonitoringAnswer<
  P extends keyof MonitoringPaths,
  M extends keyof MonitoringPaths[P] = 'get' & keyof MonitoringPaths[P],
> = AnswerOf<MonitoringPaths[P][M]>;
export type NotificationsAnswer<
  P extends keyof NotificationsPaths,
  M extends keyof NotificationsPaths[P] = 'get' & keyof NotificationsPaths[P],
> = AnswerOf<NotificationsPaths[P][M]>;

export type InboxTask = RegistryAnswer<'/tasks'>['items'][number];
export type CaseDetail = RegistryAnswer<'/cases/{id}'>;
export type CaseTask = CaseDetail['tasks'][number];
/** A case as the list shows it (GET /cases). */
export type CaseRow = RegistryAnswer<'/cases'>['items'][number];
/** What a decision answers: the case's state after it (POST /tasks/{id}/decision). */
export type CaseState = RegistryAnswer<'/tasks/{id}/decision', 'post'>;
export type HouseholdRow = RegistryAnswer<'/households'>['items'][number];
export type HouseholdDetail = RegistryAnswer<'/households/{id}'>;
export type Member = HouseholdDetail['members'][number];
export type Assessment = HouseholdDetail['assessments'][number];
export type Notice = RegistryAnswer<'/notices'>[number];
export type CasePhoto = RegistryAnswer<'/cases/{id}/photos'>[number];
