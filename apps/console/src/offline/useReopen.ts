import { message } from 'antd';
import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';
import { data, registry } from '../api/http';
import type { InboxTask } from '../api/views';
import type { OutboxItem } from './field-db';
import { outboxItems } from './outbox';

/** A record re-opened from the outbox whose household has no open task of its kind: it stays in the outbox. */
const reopenMissing = (item: OutboxItem) =>
  void message.warning(`${item.household} 当前没有可办理的${item.form}任务, 该记录仍保留在 待同步 中`);

/**
 * 重新打开表单 (#24): `?reopen=<outbox item>` on 我的帮扶 or 待办 opens the record's form again (`open`) with what was
 * entered, on its task if still open, else on the household's open task of the same step (the next revisit).
 * Answers the record (the form's values) and how to forget it when the form closes. A record with no open task
 * to take it says so and stays in the outbox.
 */
export function useReopen(open: (task: InboxTask) => void): { item: OutboxItem | undefined; clear: () => void } {
  const [params, setParams] = useSearchParams();
  const id = params.get('reopen');
  const [item, setItem] = useState<OutboxItem | undefined>(undefined);
  useEffect(() => {
    if (!id) return;
    let alive = true;
    void (async () => {
      const found = (await outboxItems()).find((i) => i.id === id);
      if (!found || !alive) return;
      const tasks = await data(
        registry.GET('/tasks', { params: { query: { status: 'open', page: 1, pageSize: 200 } } }),
      );
      const sameStep = (t: InboxTask) =>
        found.kind === 'revisit' ? t.step === 'revisit' : t.step.endsWith('verification');
      const task =
        tasks.items.find((t) => t.id === found.taskId) ??
        tasks.items.find((t) => t.householdId === found.householdId && sameStep(t));
      if (!alive) return;
      if (task) {
        setItem(found);
        open(task);
      } else reopenMissing(found);
      // Last: the address loses ?reopen= (which ends this effect), so a reload does not open the form again.
      setParams(
        (p) => {
          p.delete('reopen');
          return p;
        },
        { replace: true },
      );
    })();
    return () => {
      alive = false;
    };
  }, [id, setParams, open]);
  return { item, clear: () => setItem(undefined) };
}
