import { useQuery } from '@tanstack/react-query';
import { Button, Card, Grid, List, Pagination, Select, Space, Switch, Table, Tag, Tooltip, Typography } from 'antd';
import { lazy, Suspense, useState } from 'react';
import { useReopen } from '../../offline/useReopen';
import { Link } from 'react-router';
import { useUrlFilters } from '../../shared/useUrlFilters';
import type { InboxTask } from '../../api/views';
import { KIND_LABELS, stepLabel, STEP_LABELS } from '../../shared/labels';
import { PageState } from '../../shared/PageState';
import { DataAge } from '../../shared/DataAge';
import { ExportButton } from '../../shared/ExportButton';
import { daysUntil, fmtDate } from '../../shared/time';
import { inboxFilter, inboxQuery, INBOX_PAGE_SIZE } from './inboxQuery';

// The decision form (date picker, number inputs, the step forms) loads when a task is opened.
const DecisionDrawer = lazy(async () => ({ default: (await import('./DecisionDrawer')).DecisionDrawer }));

export function DueCell({ task }: { task: Pick<InboxTask, 'dueAt' | 'overdue'> }) {
  const days = daysUntil(task.dueAt);
  if (task.overdue || days < 0)
    return (
      <Typography.Text type="danger" strong>
        逾期 {Math.max(1, -days)} 天
      </Typography.Text>
    );
  if (days === 0) return <Typography.Text type="warning">今日到期</Typography.Text>;
  return (
    <span>
      {days} 天后到期 · {fmtDate(task.dueAt)}
    </span>
  );
}

/**
 * Where a task is done when it is not decided in the drawer: 逐户核查 on its own form (the comparison
 * sheet's items), 指派帮扶责任人 on the household's page (the task closes with the assignment), the
 * campaign's 县级审核 on the campaign's page beside the problem items the townships still owe.
 */
function ownPage(t: InboxTask): { to: string; label: string; testId?: string } | null {
  if (t.step === 'campaign.verification')
    return {
      to: `/campaigns/${t.caseId}/households/${t.householdId}/verify`,
      label: t.role === 'helper' ? '逐户核查' : '办理',
    };
  if (t.step === 'village.assign_helper')
    return { to: `/households/${t.householdId}`, label: '指派', testId: 'assign-helper' };
  if (t.step === 'county.audit' && t.kind === 'annual_adjustment')
    return { to: `/campaigns/${t.caseId}`, label: '办理' };
  return null;
}

/** Tasks the drawer decides (下一件 moves among them). */
export function decidedInDrawer(t: InboxTask): boolean {
  return t.canDecideNow && ownPage(t) === null;
}

/** A task's one primary action: its own form, or the page where that kind of task is done. */
export function TaskAction({
  task: t,
  onOpen,
  block,
}: {
  task: InboxTask;
  onOpen: (t: InboxTask) => void;
  block?: boolean;
}) {
  const page = ownPage(t);
  if (page)
    return (
      <Link to={page.to}>
        <Button type="primary" block={block} data-testid={page.testId}>
          {page.label}
        </Button>
      </Link>
    );
  if (t.canDecideNow)
    return (
      <Button type="primary" block={block} onClick={() => onOpen(t)} data-testid="open-task">
        {t.step === 'revisit' ? '记录回访' : '办理'}
      </Button>
    );
  return (
    <Tooltip title="公示期内不能审核">
      <Typography.Text type="secondary" data-testid="waiting-notice">
        公示期至 {fmtDate(new Date(new Date(t.availableAt!).getTime() - 1))}, 届满后可审核
      </Typography.Text>
    </Tooltip>
  );
}

/** The procedure's name, linked to its case where the user may open it (a campaign's page is the county's and the township's). */
function ProcedureCell({ task: t, inText }: { task: InboxTask; inText?: boolean }) {
  const label = KIND_LABELS[t.kind] ?? t.kind;
  if (t.kind === 'annual_adjustment' && (t.role === 'village' || t.role === 'helper')) return <span>{label}</span>;
  // Inside a line of text a link is underlined, not told by its colour alone.
  return (
    <Link to={`/cases/${t.caseId}`} style={inText ? { textDecoration: 'underline' } : undefined}>
      {label}
    </Link>
  );
}

/** Below 768 px a task is a card: the household, the step, the deadline (overdue in red) and one action within thumb reach. */
function TaskCards({ tasks, onOpen }: { tasks: InboxTask[]; onOpen: (t: InboxTask) => void }) {
  return (
    <List
      dataSource={tasks}
      renderItem={(t) => (
        <List.Item style={{ padding: '6px 0', border: 0 }}>
          <Card
            size="small"
            style={{ width: '100%', ...(t.canDecideNow ? {} : { background: '#f5f5f5' }) }}
            data-testid="task-card"
          >
            <Space orientation="vertical" size={4} style={{ width: '100%' }}>
              <Typography.Text strong>
                {t.householdId ? (
                  <Link to={`/households/${t.householdId}`}>
                    {t.headName} · {t.householdNumber}
                  </Link>
                ) : (
                  (t.villageName ?? t.villageCode)
                )}
              </Typography.Text>
              <span>
                <ProcedureCell task={t} inText /> · {stepLabel(t.step)}{' '}
                {t.escalated && <Tag color="#ad2102">上级督办</Tag>}
              </span>
              <Typography.Text type="secondary">{t.villageName ?? t.villageCode}</Typography.Text>
              <DueCell task={t} />
              <TaskAction task={t} onOpen={onOpen} block />
            </Space>
          </Card>
        </List.Item>
      )}
    />
  );
}

/** 待办: my open tasks, oldest due first, filtered and paged by the server. */
export function InboxPage() {
  const { params, setFilter: set, setPage } = useUrlFilters();
  const [open, setOpen] = useState<InboxTask | null>(null);
  // 重新打开表单 from the outbox (#24): the record's form again on its task, with what was entered.
  const reopen = useReopen(setOpen);
  const { page, ...filter } = inboxFilter(params);
  const q = useQuery(inboxQuery(params));
  const phone = !Grid.useBreakpoint().md;
  // 下一件: after a decision, the next task the drawer decides on this page (the one just decided is gone from the list).
  const next = (done: InboxTask) => (q.data?.items ?? []).find((t) => t.id !== done.id && decidedInDrawer(t)) ?? null;

  return (
    <>
      <Space wrap style={{ marginBottom: 16, justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          待办{' '}
          {q.data && (
            <Tag color="#b7202e" data-testid="inbox-total" data-count={q.data.total}>
              {q.data.total} 件
            </Tag>
          )}
        </Typography.Title>
        <DataAge at={q.dataUpdatedAt} />
        <Space wrap>
          <Select
            allowClear
            placeholder="程序"
            style={{ width: 140 }}
            value={filter.kind}
            onChange={(v) => set('kind', v)}
            options={Object.entries(KIND_LABELS).map(([value, label]) => ({ value, label }))}
            aria-label="按程序筛选"
          />
          <Select
            allowClear
            placeholder="步骤"
            style={{ width: 150 }}
            value={filter.step}
            onChange={(v) => set('step', v)}
            options={Object.entries(STEP_LABELS).map(([value, label]) => ({ value, label }))}
            aria-label="按步骤筛选"
          />
          <Select
            allowClear
            showSearch
            placeholder="行政村"
            style={{ width: 160 }}
            value={filter.villageCode}
            onChange={(v) => set('village', v)}
            options={[...new Set((q.data?.items ?? []).map((t) => t.villageCode))].map((v) => ({
              value: v,
              label: q.data?.items.find((t) => t.villageCode === v)?.villageName ?? v,
            }))}
            aria-label="按行政村筛选"
          />
          <Space>
            <Switch
              checked={filter.overdue === 'true'}
              onChange={(v) => set('overdue', v ? 'true' : undefined)}
              aria-label="只看逾期"
              data-testid="overdue-only"
            />
            只看逾期
          </Space>
          <ExportButton list="tasks" query={filter} label="待办" />
        </Space>
      </Space>
      <PageState
        loading={q.isLoading}
        error={q.error}
        retry={() => q.refetch()}
        empty={q.data?.total === 0}
        emptyText="没有待办任务"
      >
        {phone ? (
          <>
            <TaskCards tasks={q.data?.items ?? []} onOpen={setOpen} />
            <Pagination
              simple
              current={page}
              pageSize={INBOX_PAGE_SIZE}
              total={q.data?.total}
              onChange={setPage}
              style={{ marginTop: 8, textAlign: 'center' }}
            />
          </>
        ) : (
          <Table<InboxTask>
            rowKey="id"
            size="middle"
            scroll={{ x: 760 }}
            dataSource={q.data?.items}
            rowClassName={(t) => (t.canDecideNow ? '' : 'jz-waiting')}
            // Visible but not yet decidable (after a notice): greyed, yet readable (#595959 on #f5f5f5 is 6.4:1).
            onRow={(t) => ({ style: t.canDecideNow ? undefined : { color: '#595959', background: '#f5f5f5' } })}
            pagination={{
              current: page,
              pageSize: INBOX_PAGE_SIZE,
              total: q.data?.total,
              showSizeChanger: false,
              onChange: setPage,
            }}
            columns={[
              {
                title: '户',
                render: (_, t) =>
                  t.householdId ? (
                    <Link to={`/households/${t.householdId}`}>
                      {t.householdNumber} {t.headName}
                    </Link>
                  ) : (
                    (t.villageName ?? t.villageCode)
                  ),
              },
              { title: '程序', render: (_, t) => <ProcedureCell task={t} /> },
              {
                title: '步骤',
                render: (_, t) => (
                  <Space>
                    {stepLabel(t.step)}
                    {t.escalated && <Tag color="#ad2102">上级督办</Tag>}
                  </Space>
                ),
              },
              { title: '村', render: (_, t) => t.villageName ?? t.villageCode },
              { title: '期限', render: (_, t) => <DueCell task={t} /> },
              { title: '操作', render: (_, t) => <TaskAction task={t} onOpen={setOpen} /> },
            ]}
          />
        )}
      </PageState>
      {open && (
        <Suspense fallback={null}>
          <DecisionDrawer
            key={open.id}
            task={open}
            reopen={reopen.item}
            onClose={() => {
              setOpen(null);
              reopen.clear();
            }}
            onNext={() => setOpen(next(open))}
            hasNext={next(open) !== null}
          />
        </Suspense>
      )}
    </>
  );
}
