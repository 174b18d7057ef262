import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { freePort } from '../../../tools/devkit/src/engines/net';

export const CLIENT_ID = 'jingzhun-console';

export interface TestProvider {
  issuer: string;
  /** An access token for `login` through the whole Authorization Code + PKCE flow, as a browser would run it. */
  accessToken(login: string, resource?: 'urn:jingzhun:api' | 'urn:other:api'): Promise<string>;
  stop(): Promise<void>;
}

/**
 * `oidc-provider` (a certified OpenID Connect implementation) in a child process: tokens signed with
 * a key of its own, audience `audience`, access tokens living `accessTtl` seconds.
 */
export async function startProvider(
  opts: { audience?: string; redirectUris?: string[]; accessTtl?: number } = {},
): Promise<TestProvider> {
  const port = await freePort();
  const redirectUris = opts.redirectUris ?? ['http://127.0.0.1:9/auth/callback'];
  const child: ChildProcess = spawn(process.execPath, [join(__dirname, 'provider.mjs')], {
    env: {
      ...process.env,
      PORT: String(port),
      AUDIENCE: opts.audience ?? 'jingzhun',
      REDIRECT_URIS: redirectUris.join(','),
      ACCESS_TTL: String(opts.accessTtl ?? 300),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const issuer = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`oidc-provider did not start: ${stderr}`)), 20_000);
    child.stdout!.on('data', (d: Buffer) => {
      const m = /ready (\S+)/.exec(d.toString());
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.once('exit', (code) => reject(new Error(`oidc-provider exited (${code}): ${stderr}`)));
  });

  return {
    issuer,
    accessToken: (login, resource) => codeFlow(issuer, redirectUris[0], login, resource),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** The browser's part of the code flow, by hand: authorize → sign in → code → token (PKCE S256). */
async function codeFlow(issuer: string, redirectUri: string, login: string, resource?: string): Promise<string> {
  const jar = new Map<string, string>();
  const go = async (url: string, init: RequestInit = {}) => {
    const res = await fetch(new URL(url, issuer), {
      ...init,
      redirect: 'manual',
      headers: {
        ...(init.headers as Record<string, string>),
        cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '),
      },
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair.indexOf('=');
      jar.set(pair.slice(0, i), pair.slice(i + 1));
    }
    return res;
  };
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const query = new URLSearchParams({
    client_id: CLIENT_ID,
    response_type: 'code',
    scope: 'openid profile',
    redirect_uri: redirectUri,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state: randomBytes(8).toString('hex'),
  });
  if (resource) query.set('resource', resource);
  let res = await go(`/auth?${query}`);
  const interaction = res.headers.get('location');
  if (!interaction) throw new Error(`authorize: ${res.status} ${await res.text()}`);
  res = await go(interaction, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ prompt: 'login', login, password: 'x' }).toString(),
  });
  let next = res.headers.get('location');
  for (let hops = 0; next && !next.startsWith(redirectUri) && hops < 5; hops++) {
    res = await go(next);
    next = res.headers.get('location');
  }
  const code = next ? new URL(next).searchParams.get('code') : null;
  if (!code) throw new Error(`no code: ${res.status} ${next} ${await res.text()}`);
  const body = new URLSearchParams({
    grant_type: 'authorization_code',
    code,
    redirect_uri: redirectUri,
    client_id: CLIENT_ID,
    code_verifier: verifier,
  });
  if (resource) body.set('resource', resource);
  res = await go('/token', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: body.toString(),
  });
  const tokens = (await res.json()) as { access_token?: string };
  if (!tokens.access_token) throw new Error(`token: ${res.status} ${JSON.stringify(tokens)}`);
  return tokens.access_token;
}
