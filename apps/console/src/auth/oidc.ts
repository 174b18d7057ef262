import { UserManager, WebStorageStateStore } from 'oidc-client-ts';
import type { Role } from './session';

/** The identity provider as the registry names it (GET /auth/config). */
export interface OidcConfig {
  issuer: string;
  clientId: string;
  scope: string;
}

export const CALLBACK_PATH = '/auth/callback';

/**
 * The county identity provider, Authorization Code + PKCE (oidc-client-ts makes the verifier and
 * state, and checks them on return). Its state lives in sessionStorage, like our session.
 */
export function userManager(config: OidcConfig): UserManager {
  return new UserManager({
    authority: config.issuer,
    client_id: config.clientId,
    redirect_uri: `${window.location.origin}${CALLBACK_PATH}`,
    post_logout_redirect_uri: `${window.location.origin}/login`,
    response_type: 'code',
    scope: config.scope,
    loadUserInfo: false,
    automaticSilentRenew: false,
    userStore: new WebStorageStateStore({ store: window.sessionStorage }),
    stateStore: new WebStorageStateStore({ store: window.sessionStorage }),
  });
}

/** Who the registry says a token belongs to; a 401 means the account is not registered here or is deactivated. */
export async function whoIs(
  accessToken: string,
): Promise<{ id: string; name: string; role: Role; regionCode: string }> {
  const res = await fetch('/api/registry/auth/me', { headers: { authorization: `Bearer ${accessToken}` } });
  if (res.status === 401) throw new Error('该账号未在本系统登记或已停用, 请联系县级系统管理员');
  if (!res.ok) throw new Error(`登录失败 (${res.status})`);
  return res.json();
}

/**
 * Signing out also ends the provider's session when the user signed in through it: on a shared
 * office computer the next person must not be signed straight back in as the last one.
 */
export async function signOutAtProvider(config: OidcConfig | null): Promise<boolean> {
  if (!config) return false;
  const manager = userManager(config);
  const user = await manager.getUser();
  if (!user) return false;
  await manager.signoutRedirect({ id_token_hint: user.id_token });
  return true;
}
