import { Inject, Injectable } from '@nestjs/common';
import { PG_POOL } from '@jingzhun/platform';
import type { Pool } from 'pg';
import { NotifyPrisma } from './prisma.service';

export interface RecipientRow {
  id: string;
  name: string;
  role: string;
  regionCode: string;
  phone: string | null;
  email: string | null;
}

export type StoredRecipient = RecipientRow & { syncedAt: Date };

const COLUMNS = `id, name, role, region_code AS "regionCode", phone, email, synced_at AS "syncedAt"`;

/** The cached contact directory (table recipient, schema "notify"). */
@Injectable()
export class RecipientStore {
  constructor(
    private readonly prisma: NotifyPrisma,
    @Inject(PG_POOL) private readonly pool: Pool,
  ) {}

  async byId(userId: string): Promise<StoredRecipient[]> {
    return (await this.pool.query<StoredRecipient>(`SELECT ${COLUMNS} FROM recipient WHERE id = $1`, [userId])).rows;
  }

  /** Many users at once: a wave of reminders looks up its assignees in one statement. */
  async byIds(userIds: readonly string[]): Promise<StoredRecipient[]> {
    const sql = `SELECT ${COLUMNS} FROM recipient WHERE id = ANY($1::text[])`;
    return (await this.pool.query<StoredRecipient>(sql, [userIds])).rows;
  }

  async byRole(role: string, regionCode: string): Promise<StoredRecipient[]> {
    const sql = `SELECT ${COLUMNS} FROM recipient WHERE role = $1 AND region_code = $2 AND active`;
    return (await this.pool.query<StoredRecipient>(sql, [role, regionCode])).rows;
  }

  async upsert(users: readonly (RecipientRow & { active: boolean })[], syncedAt: Date): Promise<void> {
    for (const u of users) {
      const row = {
        name: u.name,
        role: u.role,
        regionCode: u.regionCode,
        phone: u.phone ?? null,
        email: u.email ?? null,
        active: u.active,
        syncedAt,
      };
      await this.prisma.recipient.upsert({ where: { id: u.id }, create: { id: u.id, ...row }, update: row });
    }
  }
}
