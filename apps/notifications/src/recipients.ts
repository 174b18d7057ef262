import { Inject, Injectable } from '@nestjs/common';
import { CONFIG, TokenService, type NotificationsConfig } from '@jingzhun/platform';
import { type RecipientRow, RecipientStore, type StoredRecipient } from './recipient.store';

export type { RecipientRow };

/** Who a notification goes to: one user (the assignee) or everyone holding a role at a region. */
export type Audience = { userId: string; regionHint: string } | { role: string; regionCode: string };

const FRESH_MS = 10 * 60_000;
/** How long a looked-up audience is kept in memory: every reminder of a village's wave asks for the same people. */
const MEMO_MS = 30_000;
const MEMO_MAX = 10_000;

/**
 * The contact directory, cached in schema "notify" from the registry's `GET /users?contact=true`
 * (the registry owns users; this service never reads its tables). A region's users are fetched
 * when missing or older than 10 minutes; when the registry is unreachable the cached rows serve,
 * and with none cached the event is retried later (the consumer naks it).
 */
@Injectable()
export class RecipientDirectory {
  private token: { value: string; until: number } | null = null;
  private readonly memo = new Map<string, { rows: RecipientRow[]; at: number }>();
  /** Assignees asked for in this turn of the event loop: looked up together (one statement per wave). */
  private wanted = new Map<string, { resolve: (rows: StoredRecipient[]) => void; reject: (err: unknown) => void }[]>();

  constructor(
    private readonly store: RecipientStore,
    private readonly tokens: TokenService,
    @Inject(CONFIG) private readonly config: NotificationsConfig,
  ) {}

  async resolve(a: Audience): Promise<RecipientRow[]> {
    const key = 'userId' in a ? `u:${a.userId}` : `r:${a.role}:${a.regionCode}`;
    const hit = this.memo.get(key);
    if (hit && Date.now() - hit.at < MEMO_MS) return hit.rows;
    const rows = await this.lookup(a);
    if (this.memo.size >= MEMO_MAX) this.memo.clear();
    if (rows.length > 0) this.memo.set(key, { rows, at: Date.now() });
    return rows;
  }

  private async lookup(a: Audience): Promise<RecipientRow[]> {
    const region = 'userId' in a ? a.regionHint : a.regionCode;
    const find = () => ('userId' in a ? this.byId(a.userId) : this.store.byRole(a.role, a.regionCode));
    let rows = await find();
    const stale = rows.length === 0 || rows.some((r) => Date.now() - r.syncedAt.getTime() > FRESH_MS);
    if (stale) {
      try {
        await this.sync(region);
        rows = await find();
      } catch (err) {
        if (rows.length === 0)
          throw new Error(`contact directory unavailable for ${region}: ${(err as Error).message}`);
      }
    }
    return rows;
  }

  /** One user's cached row; the users asked for in the same turn are read in one statement. */
  private byId(userId: string): Promise<StoredRecipient[]> {
    return new Promise((resolve, reject) => {
      const waiting = this.wanted.get(userId);
      if (waiting) waiting.push({ resolve, reject });
      else this.wanted.set(userId, [{ resolve, reject }]);
      if (this.wanted.size === 1 && !waiting) setImmediate(() => void this.readWanted());
    });
  }

  private async readWanted(): Promise<void> {
    const batch = this.wanted;
    this.wanted = new Map();
    try {
      const byUser = new Map((await this.store.byIds([...batch.keys()])).map((r) => [r.id, r]));
      for (const [id, waiting] of batch) {
        const row = byUser.get(id);
        for (const w of waiting) w.resolve(row ? [row] : []);
      }
    } catch (err) {
      for (const waiting of batch.values()) for (const w of waiting) w.reject(err);
    }
  }

  /** Fetches every user of the region (and below) from the registry and upserts them. */
  async sync(regionCode: string): Promise<number> {
    this.memo.clear();
    const url = new URL('/users', this.config.REGISTRY_URL);
    url.searchParams.set('regionCode', regionCode);
    url.searchParams.set('contact', 'true');
    const res = await fetch(url, {
      headers: { authorization: `Bearer ${await this.serviceToken()}` },
      signal: AbortSignal.timeout(5000),
    });
    if (!res.ok) throw new Error(`GET /users → ${res.status}`);
    const users = (await res.json()) as (RecipientRow & { active: boolean })[];
    await this.store.upsert(users, new Date());
    return users.length;
  }

  /** The service's own identity towards the registry (admin role, so it may read contacts). */
  private async serviceToken(): Promise<string> {
    if (!this.token || this.token.until < Date.now() + 60_000) {
      const t = await this.tokens.issue(
        { id: 'svc-notifications', name: '通知服务', role: 'admin', regionCode: '000000000000' },
        'service',
      );
      this.token = { value: t.accessToken, until: Date.now() + t.expiresIn * 1000 };
    }
    return this.token.value;
  }
}
