import { decodeProtectedHeader, exportJWK, generateKeyPair, SignJWT, UnsecuredJWT } from 'jose';
import { Client } from 'pg';
import { A, seedFixtures, users } from '../support/fixtures';
import { freshDatabase } from '../support/database';
import { startProvider, type TestProvider } from '../support/oidc';
import { startRegistry, type RunningRegistry } from '../support/registry-app';

jest.setTimeout(120_000);

const DEV_SECRET = 'jingzhun-dev-only-secret-change-me';

/**
 * Production login: a real OpenID Connect provider (`oidc-provider`, in a child process) issues
 * access tokens through Authorization Code + PKCE; the registry verifies them against the
 * provider's JWKS and maps the subject to an active registry user, whose role and region are the
 * registry's. Every kind of bad token is refused.
 */
describe('OIDC: the county identity provider', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let provider: TestProvider;
  let stranger: TestProvider;
  let registry: RunningRegistry;
  let pg: Client;
  const me = (token: string) => registry.http.get('/auth/me').set('authorization', `Bearer ${token}`);
  const admin = async () => ({ authorization: `Bearer ${await registry.token(users.admin)}` });
  const link = async (userId: string, body: Record<string, unknown>) =>
    registry.http
      .patch(`/users/${userId}`)
      .set(await admin())
      .send(body);

  beforeAll(async () => {
    db = await freshDatabase('oidc');
    await seedFixtures(db.url);
    [provider, stranger] = await Promise.all([startProvider(), startProvider()]);
    registry = await startRegistry(db.url, { OIDC_ISSUER: provider.issuer, OIDC_CLOCK_TOLERANCE_SECONDS: '0' });
    pg = new Client({ connectionString: db.url });
    await pg.connect();
    expect((await link(users.countyA, { oidcSubject: 'kc-county-a' })).status).toBe(200);
  });
  afterAll(async () => {
    await registry?.close();
    await Promise.all([provider?.stop(), stranger?.stop()]);
    await pg?.end();
    await db?.drop();
  });

  it('/auth/config names the provider for the console', async () => {
    expect((await registry.http.get('/auth/config')).body).toEqual({
      devLogin: true,
      oidc: { issuer: provider.issuer, clientId: 'jingzhun-console', scope: 'openid profile' },
    });
  });

  it("a provider's token signs in the registry user linked to its subject, with the registry's role and region", async () => {
    const token = await provider.accessToken('kc-county-a');
    expect(decodeProtectedHeader(token).alg).toBe('RS256');
    const res = await me(token);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: users.countyA, role: 'county', regionCode: A.county });
    const households = await registry.http
      .get('/households')
      .query({ regionCode: A.county })
      .set('authorization', `Bearer ${token}`);
    expect(households.status).toBe(200);
  });

  it('a subject linked to no registry user is refused', async () => {
    expect((await me(await provider.accessToken('nobody-here'))).status).toBe(401);
  });

  it('a token for another audience is refused', async () => {
    expect((await me(await provider.accessToken('kc-county-a', 'urn:other:api'))).status).toBe(401);
  });

  it('a token from another issuer is refused, though its subject is linked', async () => {
    expect((await me(await stranger.accessToken('kc-county-a'))).status).toBe(401);
  });

  it('an expired token is refused', async () => {
    expect((await link(users.townshipA, { oidcSubject: 'brief-township-a' })).status).toBe(200);
    const token = await provider.accessToken('brief-township-a');
    await new Promise((r) => setTimeout(r, 2_100));
    expect((await me(token)).status).toBe(401);
  });

  it('a token signed with another key, with the HS256 secret or unsigned is refused, though its claims are right', async () => {
    const good = await provider.accessToken('kc-county-a');
    const { kid } = decodeProtectedHeader(good);
    const claims = { client_id: 'jingzhun-console' };
    const base = <T extends SignJWT | UnsecuredJWT>(jwt: T): T =>
      jwt
        .setSubject('kc-county-a')
        .setIssuer(provider.issuer)
        .setAudience('jingzhun')
        .setIssuedAt()
        .setExpirationTime('5m') as T;
    const { privateKey } = await generateKeyPair('RS256', { extractable: true });
    expect((await exportJWK(privateKey)).kty).toBe('RSA');
    const otherKey = await base(new SignJWT(claims)).setProtectedHeader({ alg: 'RS256', kid }).sign(privateKey);
    const otherKeyNoKid = await base(new SignJWT(claims)).setProtectedHeader({ alg: 'RS256' }).sign(privateKey);
    const hmac = await base(new SignJWT(claims))
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode(DEV_SECRET));
    const unsigned = base(new UnsecuredJWT(claims)).encode();
    for (const token of [otherKey, otherKeyNoKid, hmac, unsigned]) expect((await me(token)).status).toBe(401);
    expect((await me(good)).status).toBe(200);
  });

  it('a deactivated user is refused on the next request with the token they hold; the change is audited', async () => {
    expect((await link(users.villageA, { oidcSubject: 'kc-village-a' })).status).toBe(200);
    const token = await provider.accessToken('kc-village-a');
    expect((await me(token)).status).toBe(200);
    const off = await link(users.villageA, { active: false });
    expect(off.status).toBe(200);
    expect(off.body).toMatchObject({ id: users.villageA, active: false, oidcSubject: 'kc-village-a' });
    expect((await me(token)).status).toBe(401);
    const { rows } = await pg.query(
      `SELECT actor_id, before, after FROM registry.audit WHERE action = 'user.updated' AND entity_id = $1 ORDER BY at`,
      [users.villageA],
    );
    expect(rows.map((r) => [r.actor_id, r.before.active, r.after.active])).toEqual([
      [users.admin, true, true],
      [users.admin, true, false],
    ]);
  });

  it('only admins link identities; one subject is one user; bad bodies are 400 naming the field', async () => {
    const county = { authorization: `Bearer ${await registry.token(users.countyA)}` };
    expect((await registry.http.patch(`/users/${users.helperA}`).set(county).send({ active: false })).status).toBe(403);
    const taken = await link(users.helperA, { oidcSubject: 'kc-county-a' });
    expect(taken.status).toBe(409);
    expect(taken.body.error.message).toContain('已关联其他用户');
    const bad = await link(users.helperA, { active: 'yes' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('active');
    expect((await link('no-such-user', { active: false })).status).toBe(404);
    expect((await link(users.helperA, {})).status).toBe(400);
  });
});
