/** Injection tokens of the platform. */
export const CONFIG = Symbol('CONFIG');
export const PG_POOL = Symbol('PG_POOL');
export const SERVICE_INFO = Symbol('SERVICE_INFO');

export interface ServiceInfo {
  /** Service name, also the `source` of its events. */
  name: string;
  /** PostgreSQL schema the service owns. */
  schema: string;
}
