import type { NotificationsConfig, TokenService } from '@jingzhun/platform';
import { RecipientDirectory } from './recipients';
import type { RecipientStore, StoredRecipient } from './recipient.store';

const row = (id: string): StoredRecipient => ({
  id,
  name: id,
  role: 'helper',
  regionCode: '411599001001',
  phone: null,
  email: null,
  syncedAt: new Date(),
});

describe('RecipientDirectory', () => {
  it('looks up the assignees asked for in one turn with one statement (#23: a wave of reminders)', async () => {
    const asked: string[][] = [];
    const store = {
      byIds: async (ids: readonly string[]) => {
        asked.push([...ids]);
        return ids.filter((id) => id !== 'gone').map(row);
      },
      byId: async () => {
        throw new Error('one statement per user');
      },
    } as unknown as RecipientStore;
    const directory = new RecipientDirectory(store, {} as TokenService, {} as NotificationsConfig);
    const who = (userId: string) => directory.resolve({ userId, regionHint: '411599001001' });
    const [a, b, again] = await Promise.all([who('h1'), who('h2'), who('h1')]);
    expect(asked).toEqual([['h1', 'h2']]);
    expect(a.map((r) => r.id)).toEqual(['h1']);
    expect(b.map((r) => r.id)).toEqual(['h2']);
    expect(again).toEqual(a);
  });
});
