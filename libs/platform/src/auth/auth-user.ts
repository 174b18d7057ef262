import { z } from 'zod';
import { Role } from '@jingzhun/domain';

export const authUserSchema = z.object({
  sub: z.string().min(1),
  name: z.string(),
  role: z.enum(Role.codes),
  region: z.string().regex(/^\d{12}$/),
});
export type TokenClaims = z.infer<typeof authUserSchema>;

export interface AuthUser {
  id: string;
  name: string;
  role: Role;
  /** 12-digit code of the user's region; its significant prefix is the jurisdiction. */
  regionCode: string;
}
