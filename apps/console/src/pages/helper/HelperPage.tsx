import { useQuery } from '@tanstack/react-query';
import { Card, Input, List, Segmented, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { DataAge } from '../../shared/DataAge';
import { useOutbox } from '../../offline/outbox';
import { useReopen } from '../../offline/useReopen';
import { data, registry } from '../../api/http';
import type { InboxTask } from '../../api/views';
import { HOUSEHOLD_STATUS, KIND_LABELS, stepLabel } from '../../shared/labels';
import { PageState } from '../../shared/PageState';
import { DecisionDrawer } from '../inbox/DecisionDrawer';
import { DueCell, TaskAction } from '../inbox/InboxPage';

/**
 * 我的帮扶, made for a phone: what I owe first (overdue, then by due date; a revisit, a campaign's
 * 逐户核查 — each opens its own form), then my households, found by the head's name or the number.
 */
export function HelperPage() {
  const [tab, setTab] = useState<'tasks' | 'households'>('tasks');
  const [open, setOpen] = useState<InboxTask | null>(null);
  const [search, setSearch] = useState('');
  const tasks = useQuery({
    queryKey: ['tasks', 'helper'],
    queryFn: () => data(registry.GET('/tasks', { params: { query: { status: 'open', page: 1, pageSize: 100 } } })),
  });
  const q = search.trim() || undefined;
  const households = useQuery({
    queryKey: ['households', 'mine', q ?? null],
    queryFn: () =>
      data(registry.GET('/households', { params: { query: { page: 1, pageSize: 200, ...(q ? { q } : {}) } } })),
    enabled: tab === 'households',
  });
  // Overdue first, then the nearest due date (the API's order is by due date; overdue ones are the oldest).
  const owed = [...(tasks.data?.items ?? [])].sort(
    (a, b) => Number(b.overdue) - Number(a.overdue) || a.dueAt.localeCompare(b.dueAt),
  );
  const overdue = owed.filter((t) => t.overdue).length;
  // A revisit already made on this phone and waiting to be sent is not recorded twice.
  const pending = new Set(useOutbox().items.map((i) => i.taskId));
  // 重新打开表单 from the outbox (#24): the household's open revisit, with what was entered.
  const reopen = useReopen(setOpen);
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Typography.Title level={4} style={{ margin: 0 }}>
        我的帮扶
      </Typography.Title>
      <DataAge at={tasks.dataUpdatedAt} />
      <Segmented
        block
        value={tab}
        onChange={(v) => setTab(v as never)}
        options={[
          { value: 'tasks', label: `待办 (${tasks.data?.total ?? '…'}${overdue ? `, 逾期 ${overdue}` : ''})` },
          { value: 'households', label: '我的帮扶户' },
        ]}
      />
      {tab === 'tasks' ? (
        <PageState
          loading={tasks.isLoading}
          error={tasks.error}
          retry={() => tasks.refetch()}
          empty={tasks.data?.total === 0}
          emptyText="没有待办: 回访和逐户核查都已完成"
        >
          <List
            dataSource={owed}
            renderItem={(t) => (
              <List.Item style={{ display: 'block', border: 'none', padding: '4px 0' }}>
                <Card
                  size="small"
                  style={{ borderColor: t.overdue ? '#ff4d4f' : undefined }}
                  data-testid="revisit-card"
                >
                  <Space orientation="vertical" style={{ width: '100%' }}>
                    <Typography.Text strong>
                      {t.headName} · {t.householdNumber}
                    </Typography.Text>
                    <span>
                      {stepLabel(t.step)}
                      {t.kind !== 'follow_up' && (
                        <Typography.Text type="secondary"> · {KIND_LABELS[t.kind] ?? t.kind}</Typography.Text>
                      )}
                    </span>
                    <DueCell task={t} />
                    {pending.has(t.id) ? (
                      <Tag color="processing" data-testid="pending-sync">
                        已录入, 待同步
                      </Tag>
                    ) : (
                      <TaskAction task={t} onOpen={setOpen} block />
                    )}
                  </Space>
                </Card>
              </List.Item>
            )}
          />
        </PageState>
      ) : (
        <>
          <Input.Search
            allowClear
            placeholder="户主姓名或户编号"
            aria-label="按户主姓名或户编号查找"
            onSearch={setSearch}
            onChange={(e) => e.target.value === '' && setSearch('')}
            enterButton="查找"
            data-testid="helper-search"
          />
          <PageState
            loading={households.isLoading}
            error={households.error}
            retry={() => households.refetch()}
            empty={households.data?.total === 0}
            emptyText={q ? `没有户主姓名或户编号以 "${q}" 开头的帮扶户` : '尚未分配帮扶户'}
          >
            <List
              dataSource={households.data?.items}
              renderItem={(h) => (
                <List.Item style={{ display: 'block' }} data-testid="helper-household">
                  <Space orientation="vertical" size={2} style={{ width: '100%' }}>
                    <Space wrap>
                      <Link to={`/households/${h.id}`}>
                        {h.headName} · {h.number}
                      </Link>
                      <Tag color={HOUSEHOLD_STATUS[h.status]?.color}>{HOUSEHOLD_STATUS[h.status]?.label}</Tag>
                    </Space>
                    <Typography.Text type="secondary">
                      {h.address ?? '未登记住址'} · {h.memberCount} 人
                    </Typography.Text>
                  </Space>
                </List.Item>
              )}
            />
          </PageState>
        </>
      )}
      {open && (
        <DecisionDrawer
          task={open}
          reopen={reopen.item}
          onClose={() => {
            setOpen(null);
            reopen.clear();
          }}
        />
      )}
    </Space>
  );
}
