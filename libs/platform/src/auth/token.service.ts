import { Inject, Injectable } from '@nestjs/common';
import jwt from 'jsonwebtoken';
import type { BaseConfig } from '../config/config.schema';
import { CONFIG } from '../tokens';
import { authUserSchema, type AuthUser } from './auth-user';

/** HS256 bearer tokens shared by all services. Production swaps `issue` for the county IdP. */
@Injectable()
export class TokenService {
  constructor(@Inject(CONFIG) private readonly config: BaseConfig) {}

  issue(user: AuthUser): { accessToken: string; expiresIn: number } {
    const expiresIn = this.config.JWT_TTL_SECONDS;
    const accessToken = jwt.sign({ name: user.name, role: user.role, region: user.regionCode }, this.config.JWT_SECRET, {
      algorithm: 'HS256',
      subject: user.id,
      expiresIn,
      issuer: 'jingzhun',
    });
    return { accessToken, expiresIn };
  }

  /** Returns null for any token that is malformed, expired or badly signed. */
  verify(token: string): AuthUser | null {
    try {
      const payload = jwt.verify(token, this.config.JWT_SECRET, { algorithms: ['HS256'], issuer: 'jingzhun' });
      const claims = authUserSchema.parse(payload);
      return { id: claims.sub, name: claims.name, role: claims.role, regionCode: claims.region };
    } catch {
      return null;
    }
  }
}
