import { message } from 'antd';
import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';
import { data, registry } from '../api/http';
import type { InboxTask } from '../api/views';
import type { OutboxItem } from './field-db';
import { outboxItems } from './outbox';

/**
 * 重新打开表单 (#24): `?reopen=<outbox item>` on 我的帮扶 or 待办 opens the record's form again with what was
 * entered, on its task if still open, else on the household's open task of the same step (the next revisit).
 * Answers null until found; a record with no open task to take it says so and stays in the outbox.
 */
/** A record re-opened from the outbox whose household has no open task of its kind: it stays in the outbox. */
const reopenMissing = (item: OutboxItem) =>
  void message.warning(`${item.household} 当前没有可办理的${item.form}任务, 该记录仍保留在 待同步 中`);

export function useReopen(
  onMissing: (item: OutboxItem) => void = reopenMissing,
): { item: OutboxItem; task: InboxTask } | null {
  const [params, setParams] = useSearchParams();
  const id = params.get('reopen');
  const [found, setFound] = useState<{ item: OutboxItem; task: InboxTask } | null>(null);
  useEffect(() => {
    if (!id) return;
    let alive = true;
    void (async () => {
      const item = (await outboxItems()).find((i) => i.id === id);
      setParams(
        (p) => {
          p.delete('reopen');
          return p;
        },
        { replace: true },
      );
      if (!item || !alive) return;
      const open = await data(
        registry.GET('/tasks', { params: { query: { status: 'open', page: 1, pageSize: 200 } } }),
      );
      const sameStep = (t: InboxTask) =>
        item.kind === 'revisit' ? t.step === 'revisit' : t.step.endsWith('verification');
      const task =
        open.items.find((t) => t.id === item.taskId) ??
        open.items.find((t) => t.householdId === item.householdId && sameStep(t));
      if (!alive) return;
      if (task) setFound({ item, task });
      else onMissing(item);
    })();
    return () => {
      alive = false;
    };
  }, [id, setParams, onMissing]);
  return found;
}
