import { CheckCircleFilled, CloseCircleFilled } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Descriptions, Empty, List, Space, Tag, Typography } from 'antd';
import type { ReactNode } from 'react';
import { EVIDENCE_TITLES, type EvidenceSection } from '@jingzhun/domain';
import { data, registry } from '../../api/http';
import type { paths } from '../../api/generated/registry';
import { DECISION_LABELS, HOUSEHOLD_STATUS } from '../../shared/labels';
import { PageState } from '../../shared/PageState';
import { fmtDate, fmtDateTime } from '../../shared/time';

export type Evidence = paths['/cases/{id}/evidence']['get']['responses'][200]['content']['application/json'];

export function evidenceQuery(caseId: string, step?: string) {
  return {
    queryKey: ['case-evidence', caseId, step ?? null],
    queryFn: () =>
      data(registry.GET('/cases/{id}/evidence', { params: { path: { id: caseId }, query: step ? { step } : {} } })),
  };
}

const ok = (pass: boolean, text: ReactNode) => (
  <Space align="start" size={6}>
    {pass ? (
      <CheckCircleFilled style={{ color: '#237804' }} aria-label="符合" />
    ) : (
      <CloseCircleFilled style={{ color: '#a8071a' }} aria-label="不符合" />
    )}
    <span>{text}</span>
  </Space>
);

/**
 * 决定依据 (#21 §1): what the law asks this level to check at this step — the catalogue's duty and
 * sections — with the household's live facts, beside the decision (drawer) and on the case page.
 */
export function EvidencePanel({ caseId, step, compact }: { caseId: string; step?: string; compact?: boolean }) {
  const q = useQuery(evidenceQuery(caseId, step));
  const e = q.data;
  return (
    <PageState loading={q.isLoading} error={q.error} retry={() => q.refetch()}>
      {e && (
        <div data-testid="evidence">
          <Alert type="info" showIcon title={`本级职责: ${e.duty}`} style={{ marginBottom: 12 }} />
          {e.household && (
            <Descriptions size="small" column={compact ? 1 : { xs: 1, md: 3 }} bordered style={{ marginBottom: 12 }}>
              <Descriptions.Item label="户">
                {e.household.number} {e.household.headName}
              </Descriptions.Item>
              <Descriptions.Item label="乡镇 / 村">
                {e.household.townshipName ?? ''} {e.household.villageName ?? e.household.villageCode}
              </Descriptions.Item>
              <Descriptions.Item label="户状态 · 常住人口">
                {HOUSEHOLD_STATUS[e.household.status]?.label ?? e.household.status} · {e.household.residents} 人
              </Descriptions.Item>
            </Descriptions>
          )}
          {e.sections.map((s) => (
            <Section key={s} section={s} e={e} />
          ))}
        </div>
      )}
    </PageState>
  );
}

function Section({ section, e }: { section: EvidenceSection; e: Evidence }) {
  const body = sectionBody(section, e);
  if (body === null) return null;
  return (
    <Card
      size="small"
      title={EVIDENCE_TITLES[section]}
      style={{ marginBottom: 12 }}
      data-testid={`evidence-${section}`}
    >
      {body}
    </Card>
  );
}

function sectionBody(section: EvidenceSection, e: Evidence): ReactNode | null {
  switch (section) {
    case 'checks':
      if (e.checks.length === 0) return null;
      return (
        <List
          size="small"
          dataSource={e.checks}
          renderItem={(c) => (
            <List.Item data-testid="evidence-check" data-ok={c.ok}>
              {ok(
                c.ok,
                <>
                  <Typography.Text strong>{c.label}</Typography.Text>: {c.detail}
                </>,
              )}
            </List.Item>
          )}
        />
      );
    case 'assessment': {
      const a = e.assessment;
      if (!a)
        return e.household ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="没有本案年度的收入与两不愁三保障核实记录" />
        ) : null;
      const line = a.povertyLine;
      return (
        <>
          <Descriptions size="small" column={{ xs: 1, sm: 2 }} style={{ marginBottom: 8 }}>
            {a.incomes.map((i) => (
              <Descriptions.Item key={i.key} label={i.label}>
                {i.yuan} 元
              </Descriptions.Item>
            ))}
            <Descriptions.Item label="纯收入">{a.netIncome ?? '—'} 元</Descriptions.Item>
            <Descriptions.Item label="常住人口">{a.residents} 人</Descriptions.Item>
            <Descriptions.Item label="核实日期">{a.assessedOn ?? '—'}</Descriptions.Item>
          </Descriptions>
          <p data-testid="evidence-per-head">
            {ok(
              line !== null && a.perHead !== null && a.perHead > line,
              <>
                年人均纯收入 <Typography.Text strong>{a.perHead ?? '—'} 元</Typography.Text>, {a.year} 年贫困标准{' '}
                {line ?? '未设定'} 元{a.monitoringLine !== null && `, 监测收入线 ${a.monitoringLine} 元`}
              </>,
            )}
          </p>
          <Space wrap>
            {a.needs.map((n) => (
              <Tag key={n.key} color={n.ok ? '#237804' : '#a8071a'}>
                {n.label}
                {n.ok ? ' 有保障' : ' 未保障'}
              </Tag>
            ))}
          </Space>
        </>
      );
    }
    case 'member_changes': {
      const m = e.memberChanges;
      if (!m) return null;
      return (
        <>
          <List
            size="small"
            dataSource={m.items}
            renderItem={(i) => (
              <List.Item data-testid="evidence-change">
                <Tag>{i.label}</Tag>
                {i.detail}
              </List.Item>
            )}
          />
          <Descriptions
            size="small"
            column={{ xs: 1, sm: 2 }}
            bordered
            style={{ marginTop: 8 }}
            data-testid="evidence-change-income"
          >
            <Descriptions.Item label={m.applied ? '变更前常住人口' : '现常住人口'}>
              {m.residentsBefore} 人
            </Descriptions.Item>
            <Descriptions.Item label="变更后常住人口">{m.residentsAfter} 人</Descriptions.Item>
            <Descriptions.Item label="变更前年人均纯收入">{m.perHeadBefore ?? '—'} 元</Descriptions.Item>
            <Descriptions.Item label="变更后年人均纯收入">{m.perHeadAfter ?? '—'} 元</Descriptions.Item>
          </Descriptions>
        </>
      );
    }
    case 'objections':
      if (e.objections.length === 0) return null;
      return (
        <List
          size="small"
          dataSource={e.objections}
          renderItem={(o) => (
            <List.Item data-testid="evidence-objection">
              <div>
                <div>
                  <Typography.Text strong>异议:</Typography.Text> {o.content}
                </div>
                <Typography.Text type="secondary">
                  {o.raisedBy ? `反映人 ${o.raisedBy}` : '匿名反映'} · {fmtDateTime(o.raisedAt)} · {o.noticeTitle}
                </Typography.Text>
                <div data-testid="evidence-finding">
                  <Typography.Text strong>核实情况:</Typography.Text> {o.finding ?? '尚未核实'}
                  {o.evidence && <> (依据: {o.evidence})</>}
                  {o.decision &&
                    ` · ${o.decision === 'approve' ? '异议不成立' : '异议成立'} · ${o.decidedBy ?? ''} ${fmtDate(o.decidedAt)}`}
                </div>
              </div>
            </List.Item>
          )}
        />
      );
    case 'notices':
      if (e.notices.length === 0) return null;
      return e.notices.map((n) => (
        <p key={n.title + n.startsAt} style={{ margin: '4px 0' }}>
          {n.title} · {n.days} 天 · {fmtDate(n.startsAt)} 至 {fmtDate(new Date(new Date(n.endsAt).getTime() - 1))} ·{' '}
          {n.status === 'ACTIVE' ? '公示中' : '已结束'}
        </p>
      ));
    case 'decisions':
      if (e.decisions.length === 0) return null;
      return (
        <List
          size="small"
          dataSource={e.decisions}
          renderItem={(d) => (
            <List.Item data-testid="evidence-decision">
              <div>
                <Typography.Text strong>{d.label}</Typography.Text> · {DECISION_LABELS[d.decision] ?? d.decision} ·{' '}
                {d.decidedBy ?? ''} · {fmtDateTime(d.decidedAt)}
                {d.comment && <div>意见: {d.comment}</div>}
                {d.record.map((r) => (
                  <div key={r.label}>
                    {r.label}: {r.value}
                  </div>
                ))}
              </div>
            </List.Item>
          )}
        />
      );
  }
}
