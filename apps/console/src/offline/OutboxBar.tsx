import { CloudUploadOutlined } from '@ant-design/icons';
import { Badge, Button } from 'antd';
import { lazy, Suspense, useState } from 'react';
import { useOutbox } from './outbox';

// The list loads when opened: the header is in every first load.
const OutboxDrawer = lazy(async () => ({ default: (await import('./OutboxDrawer')).OutboxDrawer }));

/** 待同步 n 条 in the header while the phone holds records not yet in the registry (#24); opens the list. */
export function OutboxBar({ phone }: { phone: boolean }) {
  const { items } = useOutbox();
  const [open, setOpen] = useState(false);
  const stuck = items.filter((i) => i.state === 'conflict' || i.state === 'invalid').length;
  if (items.length === 0 && !open) return null;
  return (
    <>
      <Badge count={stuck} title={`${stuck} 条需处理`}>
        <Button
          icon={<CloudUploadOutlined />}
          onClick={() => setOpen(true)}
          data-testid="outbox-count"
          data-count={items.length}
          danger={stuck > 0}
        >
          {phone ? `${items.length}` : `待同步 ${items.length} 条`}
        </Button>
      </Badge>
      {open && (
        <Suspense fallback={null}>
          <OutboxDrawer items={items} onClose={() => setOpen(false)} />
        </Suspense>
      )}
    </>
  );
}
