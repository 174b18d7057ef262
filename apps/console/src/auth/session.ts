/**
 * The signed-in user's token: kept in memory and in sessionStorage (gone when the tab closes),
 * never in localStorage. A 401 clears it and sends the user back to the login page.
 */
export type Role = 'village' | 'helper' | 'township' | 'county' | 'admin' | 'department';

export interface SessionUser {
  id: string;
  name: string;
  role: Role;
  regionCode: string;
  expiresAt: number;
}

const KEY = 'jz.session';
let current: { token: string; user: SessionUser } | null = null;
const listeners = new Set<() => void>();

/** A token's expiry (ms) from its `exp`; 0 when it has none or is not a JWT. Who the user is comes from the API, not the token. */
export function tokenExpiry(token: string): number {
  try {
    const bytes = Uint8Array.from(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
    const payload = JSON.parse(new TextDecoder().decode(bytes)) as { exp?: number };
    return typeof payload.exp === 'number' ? payload.exp * 1000 : 0;
  } catch {
    return 0;
  }
}

function load() {
  if (current) return current;
  try {
    const stored = JSON.parse(sessionStorage.getItem(KEY) ?? 'null') as { token: string; user: SessionUser } | null;
    if (stored?.token && stored.user && stored.user.expiresAt > Date.now()) current = stored;
  } catch {
    sessionStorage.removeItem(KEY);
  }
  return current;
}

function emit() {
  for (const l of listeners) l();
}

export const session = {
  token: () => load()?.token ?? null,
  user: () => load()?.user ?? null,
  /** The token and the user the registry says it belongs to (GET /auth/me): role and region are the registry's. */
  signIn(token: string, me: Omit<SessionUser, 'expiresAt'>) {
    const expiresAt = tokenExpiry(token);
    if (!expiresAt) throw new Error('令牌无法解析');
    const user: SessionUser = { id: me.id, name: me.name, role: me.role, regionCode: me.regionCode, expiresAt };
    current = { token, user };
    sessionStorage.setItem(KEY, JSON.stringify(current));
    sessionStorage.removeItem('jz.expired');
    emit();
  },
  signOut() {
    current = null;
    sessionStorage.removeItem(KEY);
    emit();
  },
  /** The API answered 401: the token expired or was revoked; ask the user to sign in again. */
  expired() {
    session.signOut();
    sessionStorage.setItem('jz.expired', '1');
  },
  subscribe(listener: () => void) {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};
