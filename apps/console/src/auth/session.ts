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

/** The token's claims. Base64url of UTF-8 JSON: atob gives bytes, not text (names are Chinese). */
export function decodeToken(token: string): SessionUser | null {
  try {
    const bytes = Uint8Array.from(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
    const payload = JSON.parse(new TextDecoder().decode(bytes));
    return { id: payload.sub, name: payload.name, role: payload.role, regionCode: payload.region, expiresAt: (payload.exp ?? 0) * 1000 };
  } catch {
    return null;
  }
}

function load() {
  if (current) return current;
  const token = sessionStorage.getItem(KEY);
  const user = token ? decodeToken(token) : null;
  if (token && user && (!user.expiresAt || user.expiresAt > Date.now())) current = { token, user };
  return current;
}

function emit() {
  for (const l of listeners) l();
}

export const session = {
  token: () => load()?.token ?? null,
  user: () => load()?.user ?? null,
  signIn(token: string) {
    const user = decodeToken(token);
    if (!user) throw new Error('令牌无法解析');
    current = { token, user };
    sessionStorage.setItem(KEY, token);
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
