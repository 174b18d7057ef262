import { z } from 'zod';

/**
 * Response schemas: what the services answer, as their OpenAPI documents describe it. Objects are
 * open (a client ignores fields it does not know); the fields named are always present.
 */
export const obj = <S extends z.ZodRawShape>(shape: S) => z.looseObject(shape);
/** A date-time as JSON carries it (ISO 8601, UTC). */
export const ts = z.string().describe('ISO 8601 date-time');
/** A calendar date, YYYY-MM-DD. */
export const day = z.string().describe('YYYY-MM-DD');
export const page = <T extends z.ZodType>(item: T) =>
  obj({ items: z.array(item), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() });
/** How many households by status, e.g. { POOR: 12, EXITED: 30 }. */
export const countsByStatus = z.record(z.string(), z.number().int());
