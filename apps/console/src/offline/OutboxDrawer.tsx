import { useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Drawer, Empty, Grid, List, Space, Tag, Typography, message } from 'antd';
import { useNavigate } from 'react-router';
import { data, registry } from '../api/http';
import { session } from '../auth/session';
import { fmtDateTime } from '../shared/time';
import type { OutboxItem } from './field-db';
import { discard, flushOutbox, resendAsNew } from './outbox';
import { actionsFor } from './outbox-policy';

const STATE: Record<OutboxItem['state'], { label: string; color: string }> = {
  waiting: { label: '等待发送', color: 'default' },
  sending: { label: '发送中', color: 'processing' },
  retrying: { label: '稍后重试', color: 'warning' },
  conflict: { label: '冲突, 需处理', color: 'error' },
  invalid: { label: '需修改', color: 'error' },
};

/**
 * 待同步: every record the phone holds, its household and form, when it was made, the state of its
 * send, and for one the registry refused, the reason and what can be done (#24): discard it, re-open
 * its form with what was entered, or send it as a new record on the household's open revisit.
 */
export function OutboxDrawer({ items, onClose }: { items: OutboxItem[]; onClose: () => void }) {
  const phone = !Grid.useBreakpoint().md;
  const navigate = useNavigate();
  const qc = useQueryClient();
  const reopen = (item: OutboxItem) => {
    onClose();
    if (item.kind === 'campaign-verification')
      navigate(`/campaigns/${item.campaignId}/households/${item.householdId}/verify?reopen=${item.id}`);
    else navigate(`${session.user()?.role === 'helper' ? '/helper' : '/inbox'}?reopen=${item.id}`);
  };
  const resend = async (item: OutboxItem) => {
    // The law allows one revisit record per open revisit task: the household's open one now, if any.
    const open = await data(
      registry.GET('/tasks', { params: { query: { status: 'open', kind: 'follow_up', page: 1, pageSize: 100 } } }),
    );
    const next = open.items.find((t) => t.householdId === item.householdId && t.id !== item.taskId);
    if (!next) {
      message.warning('该户当前没有待办的回访, 无法作为新记录发送; 可丢弃或保留');
      return;
    }
    await resendAsNew(item, { taskId: next.id, caseId: next.caseId, path: `/tasks/${next.id}/decision` });
    void qc.invalidateQueries({ queryKey: ['tasks'] });
  };
  return (
    <Drawer open onClose={onClose} title={`待同步 ${items.length} 条`} size={phone ? '100%' : 520}>
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Typography.Text type="secondary">
          离线时录入的记录保存在本机, 有网络时按录入顺序自动发送, 每条只记录一次。
        </Typography.Text>
        <Button onClick={() => void flushOutbox()} disabled={!navigator.onLine} data-testid="outbox-send">
          立即同步
        </Button>
        {items.length === 0 ? (
          <Empty description="没有待同步的记录" />
        ) : (
          <List
            dataSource={items}
            renderItem={(item) => (
              <List.Item style={{ display: 'block' }} data-testid="outbox-item" data-state={item.state}>
                <Space orientation="vertical" size={4} style={{ width: '100%' }}>
                  <Space wrap>
                    <Typography.Text strong>{item.household}</Typography.Text>
                    <span>{item.form}</span>
                    <Tag color={STATE[item.state].color}>{STATE[item.state].label}</Tag>
                  </Space>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    录入于 {fmtDateTime(item.recordedAt)}
                    {item.photos.length > 0 && ` · 照片 ${item.photos.length} 张`}
                    {item.state === 'retrying' &&
                      item.nextAttemptAt > 0 &&
                      ` · 下次尝试 ${fmtDateTime(new Date(item.nextAttemptAt).toISOString())}`}
                  </Typography.Text>
                  {item.error && (
                    <Alert
                      type={item.state === 'retrying' ? 'warning' : 'error'}
                      showIcon
                      title={item.error.message}
                      data-testid="outbox-reason"
                    />
                  )}
                  <Space wrap>
                    {actionsFor(item.state, item.error?.code).map((a) =>
                      a === 'discard' ? (
                        <Button key={a} danger onClick={() => void discard(item.id)} data-testid="outbox-discard">
                          丢弃
                        </Button>
                      ) : a === 'reopen' ? (
                        <Button key={a} onClick={() => reopen(item)} data-testid="outbox-reopen">
                          重新打开表单
                        </Button>
                      ) : (
                        <Button key={a} type="primary" onClick={() => void resend(item)} data-testid="outbox-resend">
                          作为新记录发送
                        </Button>
                      ),
                    )}
                  </Space>
                </Space>
              </List.Item>
            )}
          />
        )}
      </Space>
    </Drawer>
  );
}
