// A real OpenID Connect provider for the tests: `oidc-provider` (certified), in a child process of
// its own (it is an ES module). Its dev interactions sign in any login (the login is the subject).
// Access tokens are JWTs (RS256) for the resource `urn:jingzhun:api`, audience OIDC_AUDIENCE.
// Config (env): PORT, AUDIENCE, REDIRECT_URIS (comma-separated), ACCESS_TTL (seconds); a login
// starting `brief-` gets access tokens that live one second (for the expired-token test).
// A second resource, `urn:other:api` (audience `other`), gives tokens meant for another service.
// Prints `ready <issuer>` on stdout when it listens.
import { generateKeyPair, exportJWK } from 'jose';
import Provider from 'oidc-provider';

const port = Number(process.env.PORT);
const issuer = `http://127.0.0.1:${port}`;
const audience = process.env.AUDIENCE ?? 'jingzhun';
const ttl = Number(process.env.ACCESS_TTL ?? 300);
const API = 'urn:jingzhun:api';
const OTHER = 'urn:other:api';

const { privateKey } = await generateKeyPair('RS256', { extractable: true });
const jwk = { ...(await exportJWK(privateKey)), kid: `test-${port}`, use: 'sig', alg: 'RS256' };

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: 'jingzhun-console',
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code'],
      response_types: ['code'],
      redirect_uris: (process.env.REDIRECT_URIS ?? 'http://127.0.0.1/auth/callback').split(','),
    },
  ],
  jwks: { keys: [jwk] },
  cookies: { keys: ['oidc-test-cookie-key'] },
  pkce: { required: () => true },
  findAccount: async (_ctx, id) => ({ accountId: id, claims: async () => ({ sub: id, name: id }) }),
  // A first-party client: no consent screen; the grant covers the console's scopes and the API.
  loadExistingGrant: async (ctx) => {
    const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope('openid profile');
    grant.addResourceScope(API, 'api');
    grant.addResourceScope(OTHER, 'api');
    await grant.save();
    return grant;
  },
  features: {
    devInteractions: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => API,
      useGrantedResource: () => true,
      getResourceServerInfo: (_ctx, resource) => {
        if (resource !== API && resource !== OTHER) throw new Error(`unknown resource ${resource}`);
        return {
          scope: 'api',
          audience: resource === API ? audience : 'other',
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg: 'RS256' } },
        };
      },
    },
  },
  scopes: ['openid', 'profile', 'api'],
  ttl: { AccessToken: (_ctx, token) => (token.accountId?.startsWith('brief-') ? 1 : ttl) },
});
provider.proxy = false;
provider.listen(port, '127.0.0.1', () => process.stdout.write(`ready ${issuer}\n`));
