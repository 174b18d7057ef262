import { Inject, Injectable } from '@nestjs/common';
import { createRemoteJWKSet, decodeJwt, errors, jwtVerify, SignJWT, type JWTVerifyGetKey } from 'jose';
import { z } from 'zod';
import type { BaseConfig } from '../config/config.schema';
import { CONFIG } from '../tokens';
import { authUserSchema, type AuthUser } from './auth-user';

/** The issuer of the tokens the services sign themselves (dev login, service-to-service calls). */
export const OWN_ISSUER = 'jingzhun';
/** Service identities are named so; no registry user may be. */
export const SERVICE_PREFIX = 'svc-';

/**
 * What a verified bearer token says. A person's token names a subject only: who they are (their
 * role, their region, whether they may still sign in) is the registry's answer, never the token's.
 * A service's token (signed with the installation's own secret) carries its identity.
 */
export type VerifiedToken =
  | { kind: 'user'; subject: string; via: 'dev' | 'oidc' }
  | { kind: 'service'; user: AuthUser };

/** Leeway for our own tokens' `iat` against this machine's clock. */
const CLOCK_SKEW_SECONDS = 60;

/** A service token's claims: the user claims, with a subject named as services are. */
const serviceClaims = authUserSchema.extend({ sub: z.string().startsWith(SERVICE_PREFIX) });

/**
 * Bearer tokens. The county identity provider's (OpenID Connect), checked against its JWKS with
 * `jose`: issuer, audience, `exp` required, the allowed algorithms. Our own HS256 tokens: dev
 * login's (only where AUTH_DEV_LOGIN is set) and the services' towards each other; `exp` required.
 */
@Injectable()
export class TokenService {
  private readonly secret: Uint8Array;
  private jwks: JWTVerifyGetKey | null = null;

  constructor(@Inject(CONFIG) private readonly config: BaseConfig) {
    this.secret = new TextEncoder().encode(config.JWT_SECRET);
  }

  /** A dev-login token for a registry user (`kind: 'user'`), or a service's own (`'service'`, id `svc-…`). */
  async issue(user: AuthUser, kind: 'user' | 'service' = 'user'): Promise<{ accessToken: string; expiresIn: number }> {
    if (kind === 'service' && !user.id.startsWith(SERVICE_PREFIX))
      throw new Error(`a service identity is named ${SERVICE_PREFIX}…`);
    const expiresIn = this.config.JWT_TTL_SECONDS;
    const claims =
      kind === 'service'
        ? { typ: 'service', name: user.name, role: user.role, region: user.regionCode }
        : { typ: 'user' };
    const accessToken = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(user.id)
      .setIssuer(OWN_ISSUER)
      .setIssuedAt()
      .setExpirationTime(Math.floor(Date.now() / 1000) + expiresIn)
      .sign(this.secret);
    return { accessToken, expiresIn };
  }

  /** Null for any token that is malformed, expired, without `exp`, badly signed, for another audience or issuer. */
  async verify(token: string): Promise<VerifiedToken | null> {
    let iss: string | undefined;
    try {
      iss = decodeJwt(token).iss;
    } catch {
      return null;
    }
    try {
      if (iss === OWN_ISSUER) return await this.verifyOwn(token);
      if (this.config.OIDC_ISSUER && iss === this.config.OIDC_ISSUER) return await this.verifyOidc(token);
      return null;
    } catch (err) {
      if (err instanceof errors.JOSEError) return null;
      throw err;
    }
  }

  private async verifyOwn(token: string): Promise<VerifiedToken | null> {
    const { payload } = await jwtVerify(token, this.secret, {
      issuer: OWN_ISSUER,
      algorithms: ['HS256'],
      requiredClaims: ['exp', 'sub', 'iat'],
    });
    // Our tokens live JWT_TTL_SECONDS at most and are never issued ahead (a minute of clock skew): one signed to live
    // for years, or dated in the future, was not signed by this code (#22).
    const now = Math.floor(Date.now() / 1000);
    if (
      payload.iat! > now + CLOCK_SKEW_SECONDS ||
      payload.exp! - payload.iat! > this.config.JWT_TTL_SECONDS + CLOCK_SKEW_SECONDS
    )
      return null;
    if (payload.typ === 'service') {
      const c = serviceClaims.safeParse(payload);
      return c.success
        ? { kind: 'service', user: { id: c.data.sub, name: c.data.name, role: c.data.role, regionCode: c.data.region } }
        : null;
    }
    // A dev-login token is worth nothing once dev login is off, whoever signed it.
    if (payload.typ !== 'user' || !this.config.AUTH_DEV_LOGIN || payload.sub!.startsWith(SERVICE_PREFIX)) return null;
    return { kind: 'user', subject: payload.sub!, via: 'dev' };
  }

  private async verifyOidc(token: string): Promise<VerifiedToken | null> {
    const { payload } = await jwtVerify(token, this.keys(), {
      issuer: this.config.OIDC_ISSUER,
      audience: this.config.OIDC_AUDIENCE,
      algorithms: this.config.OIDC_ALGORITHMS,
      requiredClaims: ['exp', 'sub'],
      clockTolerance: this.config.OIDC_CLOCK_TOLERANCE_SECONDS,
    });
    return { kind: 'user', subject: payload.sub!, via: 'oidc' };
  }

  /**
   * The provider's signing keys from its JWKS (cached by jose, refetched for an unknown key id); the
   * JWKS address from OIDC_JWKS_URL, else from the provider's discovery document.
   */
  private keys(): JWTVerifyGetKey {
    return async (header, token) => {
      if (!this.jwks)
        this.jwks = createRemoteJWKSet(new URL(await this.jwksUri()), {
          timeoutDuration: 5_000,
          cooldownDuration: 30_000,
        });
      return this.jwks(header, token);
    };
  }

  private async jwksUri(): Promise<string> {
    if (this.config.OIDC_JWKS_URL) return this.config.OIDC_JWKS_URL;
    const res = await fetch(`${this.config.OIDC_ISSUER!.replace(/\/$/, '')}/.well-known/openid-configuration`, {
      signal: AbortSignal.timeout(5_000),
    });
    const doc = (await res.json()) as { jwks_uri?: string };
    if (!res.ok || !doc.jwks_uri) throw new Error(`OIDC discovery failed: ${res.status}`);
    return doc.jwks_uri;
  }
}
