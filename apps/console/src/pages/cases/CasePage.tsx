import { useQuery } from '@tanstack/react-query';
import { Card, Descriptions, Space, Steps, Table, Tag, Timeline, Typography } from 'antd';
import { Link, useParams } from 'react-router';
import { data, registry } from '../../api/http';
import { useSessionUser } from '../../auth/useSession';
import {
  CASE_STATUS,
  DECISION_LABELS,
  KIND_LABELS,
  PROCEDURE_STEPS,
  ROLE_LABELS,
  stepLabel,
} from '../../shared/labels';
import { PageState } from '../../shared/PageState';
import { DataAge } from '../../shared/DataAge';
import { CasePhotos } from './CasePhotos';
import { fmtDate, fmtDateTime } from '../../shared/time';
import { EvidencePanel } from './EvidencePanel';

const ACTION_LABELS: Record<string, string> = {
  'case.opened': '发起程序',
  'case.step': '进入步骤',
  'task.opened': '生成待办',
  'task.decided': '作出决定',
  'task.overdue': '逾期',
  'task.escalated': '上报督办',
  'notice.published': '发布公示',
  'notice.closed': '公示结束',
  'objection.recorded': '登记异议',
  'objection.resolved': '异议核实',
  'case.announced': '公告',
  'case.finished': '办结',
  'case.late': '超过决定时限',
};

const OBJECTION_STATUS: Record<string, string> = { OPEN: '待核实', DISMISSED: '异议不成立', UPHELD: '异议成立' };

/** A case: its steps in legal order, who decided what and when, notices, and the audit trail. */
export function CasePage() {
  const { id } = useParams();
  const user = useSessionUser();
  const q = useQuery({
    queryKey: ['case', id],
    queryFn: () => data(registry.GET('/cases/{id}', { params: { path: { id: id! } } })),
    // An open case moves on as others decide: follow it while the page is open.
    refetchInterval: (query) => (query.state.data?.status === 'OPEN' ? 3000 : false),
  });
  const c = q.data;
  const steps = c ? (PROCEDURE_STEPS[c.kind] ?? []) : [];
  const current = c
    ? c.status === 'COMPLETED'
      ? steps.length
      : Math.max(0, steps.indexOf(c.step.replace(/\.objection$/, '')))
    : 0;
  return (
    <PageState loading={q.isLoading} error={q.error} retry={() => q.refetch()}>
      {c && (
        <Space orientation="vertical" size="large" style={{ width: '100%' }}>
          <Typography.Title level={3} style={{ margin: 0 }}>
            {KIND_LABELS[c.kind] ?? c.kind}{' '}
            <Tag color={CASE_STATUS[c.status]?.color} data-testid="case-status">
              {CASE_STATUS[c.status]?.label ?? c.status}
            </Tag>
            {c.late && <Tag color="#a8071a">超过决定时限</Tag>}
          </Typography.Title>
          <DataAge at={q.dataUpdatedAt} />
          <Descriptions bordered size="small" column={{ xs: 1, md: 2 }}>
            <Descriptions.Item label="户">
              {c.householdId ? (
                <Link to={`/households/${c.householdId}`}>{c.householdNumber ?? c.householdId}</Link>
              ) : (
                c.regionCode
              )}
            </Descriptions.Item>
            <Descriptions.Item label="年度">{c.year}</Descriptions.Item>
            <Descriptions.Item label="事由">{c.reason}</Descriptions.Item>
            <Descriptions.Item label="当前步骤">
              <span data-testid="case-step">{stepLabel(c.step)}</span>
              {c.dueAt && ` · 期限 ${fmtDate(c.dueAt)}`}
            </Descriptions.Item>
            <Descriptions.Item label="第几轮">{c.round}</Descriptions.Item>
            {c.outcome && <Descriptions.Item label="结果">{c.outcome}</Descriptions.Item>}
            {user?.role === 'admin' && c.temporalUrl && (
              <Descriptions.Item label="流程引擎">
                <a href={c.temporalUrl} target="_blank" rel="noreferrer">
                  在 Temporal Web UI 中查看 {c.workflowId}
                </a>
              </Descriptions.Item>
            )}
          </Descriptions>
          <Card title={`决定依据 · ${stepLabel(c.step)}`} size="small">
            <EvidencePanel caseId={c.id} step={c.step} />
          </Card>
          <Card title="法定步骤" size="small">
            <Steps
              size="small"
              current={current}
              status={c.status === 'OPEN' ? 'process' : c.status === 'COMPLETED' ? 'finish' : 'error'}
              items={steps.map((s) => {
                const done = c.tasks.filter((t) => t.step === s && t.decidedAt).at(-1);
                return {
                  title: stepLabel(s),
                  description: done
                    ? `${DECISION_LABELS[done.decision ?? ''] ?? done.decision} · ${done.decidedBy} · ${fmtDate(done.decidedAt)}`
                    : undefined,
                };
              })}
              responsive
            />
          </Card>
          <Card title="待办与决定" size="small">
            <Table
              rowKey="id"
              size="small"
              pagination={false}
              scroll={{ x: 640 }}
              dataSource={c.tasks}
              columns={[
                { title: '步骤', render: (_, t) => stepLabel(t.step) },
                { title: '办理', render: (_, t) => `${ROLE_LABELS[t.role] ?? t.role} ${t.regionCode}` },
                {
                  title: '期限',
                  render: (_, t) => (
                    <span style={t.overdue ? { color: '#cf1322' } : undefined}>
                      {fmtDate(t.dueAt)}
                      {t.overdue ? ' (逾期)' : ''}
                    </span>
                  ),
                },
                {
                  title: '决定',
                  render: (_, t) =>
                    t.decision
                      ? `${DECISION_LABELS[t.decision] ?? t.decision} · ${t.decidedBy} · ${fmtDateTime(t.decidedAt)}`
                      : t.status === 'OPEN'
                        ? '待办理'
                        : t.status,
                },
              ]}
            />
          </Card>
          {c.notices.length > 0 && (
            <Card title="公示" size="small">
              {c.notices.map((n) => (
                <p key={n.id}>
                  {n.title} · {fmtDate(n.startsAt)} 至 {fmtDate(new Date(new Date(n.endsAt).getTime() - 1))} ·{' '}
                  {n.status === 'ACTIVE' ? '公示中' : '已结束'}
                  {(n.objections ?? []).map((o) => (
                    <span key={o.id}>
                      <br />
                      异议: {o.content} ({OBJECTION_STATUS[o.status] ?? o.status})
                    </span>
                  ))}
                </p>
              ))}
            </Card>
          )}
          <CasePhotos caseId={c.id} />
          <Card title="审计记录" size="small">
            <Timeline
              items={c.timeline.map((a) => ({
                content: `${fmtDateTime(a.at)} · ${ACTION_LABELS[a.action] ?? a.action} · ${a.actorId} (${ROLE_LABELS[a.actorRole] ?? a.actorRole})`,
              }))}
            />
          </Card>
        </Space>
      )}
    </PageState>
  );
}
