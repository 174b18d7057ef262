/**
 * The signed-in user's token: kept in memory and in sessionStorage (gone when the tab closes),
 * never in localStorage. A 401 clears it and sends the user back to the login page. A new tab (a
 * pasted link, Ctrl-click) asks the console's open tabs for it over a BroadcastChannel of the same
 * origin (`fromOtherTabs`), so a deep link opens signed in; signing out in one tab signs out them all.
 */
export type Role = 'village' | 'helper' | 'township' | 'county' | 'admin' | 'department';

export interface SessionUser {
  id: string;
  name: string;
  role: Role;
  regionCode: string;
  /** The region's name (the header shows names, not codes); the code when the registry gave none. */
  regionName?: string;
  expiresAt: number;
}

const KEY = 'jz.session';
let current: { token: string; user: SessionUser } | null = null;
const listeners = new Set<() => void>();

/** A token's expiry (ms) from its `exp`; 0 when it has none or is not a JWT. Who the user is comes from the API, not the token. */
export function tokenExpiry(token: string): number {
  try {
    const bytes = Uint8Array.from(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')), (c) =>
      c.charCodeAt(0),
    );
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

const channel: BroadcastChannel | null =
  typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel('jz.session');
// Outside a browser (the unit tests run this module under Node) an open channel would keep the process alive.
(channel as unknown as { unref?: () => void } | null)?.unref?.();
type TabMessage =
  | { kind: 'ask' }
  | { kind: 'session'; session: { token: string; user: SessionUser } }
  | { kind: 'signed-out' };
channel?.addEventListener('message', (e: MessageEvent<TabMessage>) => {
  const m = e.data;
  if (m.kind === 'ask' && load()) channel.postMessage({ kind: 'session', session: load()! } satisfies TabMessage);
  if (m.kind === 'signed-out' && current) {
    current = null;
    sessionStorage.removeItem(KEY);
    emit();
  }
});

export const session = {
  /**
   * A tab without a session asks the others (answered within `waitMs` or not at all); adopts the first
   * unexpired answer. Resolves whether it is signed in now.
   */
  fromOtherTabs(waitMs = 400): Promise<boolean> {
    if (load()) return Promise.resolve(true);
    if (!channel) return Promise.resolve(false);
    return new Promise((resolve) => {
      const done = (ok: boolean) => {
        channel.removeEventListener('message', onAnswer);
        clearTimeout(timer);
        resolve(ok);
      };
      const onAnswer = (e: MessageEvent<TabMessage>) => {
        const m = e.data;
        if (m.kind !== 'session' || !m.session?.token || !(m.session.user?.expiresAt > Date.now())) return;
        current = m.session;
        sessionStorage.setItem(KEY, JSON.stringify(current));
        emit();
        done(true);
      };
      const timer = setTimeout(() => done(false), waitMs);
      channel.addEventListener('message', onAnswer);
      channel.postMessage({ kind: 'ask' } satisfies TabMessage);
    });
  },
  token: () => load()?.token ?? null,
  user: () => load()?.user ?? null,
  /** The token and the user the registry says it belongs to (GET /auth/me): role and region are the registry's. */
  signIn(token: string, me: Omit<SessionUser, 'expiresAt'>) {
    const expiresAt = tokenExpiry(token);
    if (!expiresAt) throw new Error('令牌无法解析');
    const user: SessionUser = {
      id: me.id,
      name: me.name,
      role: me.role,
      regionCode: me.regionCode,
      regionName: me.regionName,
      expiresAt,
    };
    current = { token, user };
    sessionStorage.setItem(KEY, JSON.stringify(current));
    sessionStorage.removeItem('jz.expired');
    emit();
  },
  signOut() {
    current = null;
    sessionStorage.removeItem(KEY);
    channel?.postMessage({ kind: 'signed-out' } satisfies TabMessage);
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
