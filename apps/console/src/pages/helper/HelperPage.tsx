import { useQuery } from '@tanstack/react-query';
import { Button, Card, List, Segmented, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { data, registry } from '../../api/http';
import type { HouseholdSummary, InboxTask, Page } from '../../api/views';
import { HOUSEHOLD_STATUS } from '../../shared/labels';
import { PageState } from '../../shared/PageState';
import { DecisionDrawer } from '../inbox/DecisionDrawer';
import { DueCell } from '../inbox/InboxPage';

/** 我的帮扶, made for a phone: revisits due and overdue first, then my households. */
export function HelperPage() {
  const [tab, setTab] = useState<'revisits' | 'households'>('revisits');
  const [open, setOpen] = useState<InboxTask | null>(null);
  const tasks = useQuery({ queryKey: ['tasks', 'helper'], queryFn: () => data(registry.GET('/tasks', { params: { query: { status: 'open', page: 1, pageSize: 100 } } })) as Promise<Page<InboxTask>> });
  const households = useQuery({ queryKey: ['households', 'mine'], queryFn: () => data(registry.GET('/households', { params: { query: { page: 1, pageSize: 200 } } })) as Promise<Page<HouseholdSummary>>, enabled: tab === 'households' });
  const overdue = tasks.data?.items.filter((t) => t.overdue).length ?? 0;
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Typography.Title level={4} style={{ margin: 0 }}>我的帮扶</Typography.Title>
      <Segmented block value={tab} onChange={(v) => setTab(v as never)} options={[{ value: 'revisits', label: `回访 (${tasks.data?.total ?? '…'}${overdue ? `, 逾期 ${overdue}` : ''})` }, { value: 'households', label: '我的帮扶户' }]} />
      {tab === 'revisits' ? (
        <PageState loading={tasks.isLoading} error={tasks.error} retry={() => tasks.refetch()} empty={tasks.data?.total === 0} emptyText="没有待回访的户">
          <List
            dataSource={tasks.data?.items}
            renderItem={(t) => (
              <List.Item style={{ display: 'block', border: 'none', padding: '4px 0' }}>
              <Card size="small" style={{ borderColor: t.overdue ? '#ff4d4f' : undefined }} data-testid="revisit-card">
                <Space orientation="vertical" style={{ width: '100%' }}>
                  <Typography.Text strong>{t.householdNumber} {t.headName}</Typography.Text>
                  <DueCell task={t} />
                  <Button type="primary" block size="large" onClick={() => setOpen(t)} disabled={!t.canDecideNow}>记录回访</Button>
                </Space>
              </Card>
              </List.Item>
            )}
          />
        </PageState>
      ) : (
        <PageState loading={households.isLoading} error={households.error} retry={() => households.refetch()} empty={households.data?.total === 0} emptyText="尚未分配帮扶户">
          <List
            dataSource={households.data?.items}
            renderItem={(h) => (
              <List.Item>
                <Link to={`/households/${h.id}`}>{h.number} {h.headName}</Link>
                <Tag color={HOUSEHOLD_STATUS[h.status]?.color}>{HOUSEHOLD_STATUS[h.status]?.label}</Tag>
              </List.Item>
            )}
          />
        </PageState>
      )}
      {open && <DecisionDrawer task={open} onClose={() => setOpen(null)} />}
    </Space>
  );
}
