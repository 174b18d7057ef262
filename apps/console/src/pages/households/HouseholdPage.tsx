import { useQuery } from '@tanstack/react-query';
import { Button, Card, Descriptions, Grid, Space, Table, Tabs, Tag, Timeline, Typography } from 'antd';
import { useState } from 'react';
import { useParams } from 'react-router';
import {
  Education,
  Health,
  HouseholdAttribute,
  LabourCapacity,
  MeasureKind,
  PovertyCause,
  Relation,
} from '@jingzhun/domain';
import { data, registry } from '../../api/http';
import { useSessionUser } from '../../auth/useSession';
import { HOUSEHOLD_STATUS } from '../../shared/labels';
import { PageState } from '../../shared/PageState';
import { DataAge } from '../../shared/DataAge';
import { fmtDateTime } from '../../shared/time';
import { AssessmentCards, MemberCards } from './PhoneCards';
import { startableKinds, StartCaseModal } from './StartCaseModal';
import { AssessmentModal } from './AssessmentModal';

const label = (t: { labels: Record<string, string> }, v: string | null | undefined) => (v ? (t.labels[v] ?? v) : '—');

/** A household: members (ID numbers as the API shows them to this role), assessments, measures, helper, history. */
export function HouseholdPage() {
  const { id } = useParams();
  const user = useSessionUser();
  const [starting, setStarting] = useState<string | null>(null);
  const [assessing, setAssessing] = useState(false);
  // At phone width the tables become cards: nothing scrolls sideways at the door.
  const phone = !Grid.useBreakpoint().md;
  const q = useQuery({
    queryKey: ['household', id],
    queryFn: () => data(registry.GET('/households/{id}', { params: { path: { id: id! } } })),
  });
  const history = useQuery({
    queryKey: ['household', id, 'history'],
    queryFn: () => data(registry.GET('/households/{id}/history', { params: { path: { id: id! } } })),
  });
  const h = q.data;
  const kinds = h && user ? startableKinds(h.status, user.role) : [];
  return (
    <PageState loading={q.isLoading} error={q.error} retry={() => q.refetch()}>
      {h && (
        <Space orientation="vertical" size="large" style={{ width: '100%' }}>
          <Space wrap style={{ justifyContent: 'space-between', width: '100%' }}>
            <Typography.Title level={3} style={{ margin: 0 }}>
              {h.number} {h.headName}{' '}
              <Tag color={HOUSEHOLD_STATUS[h.status]?.color}>{HOUSEHOLD_STATUS[h.status]?.label}</Tag>
            </Typography.Title>
            <DataAge at={q.dataUpdatedAt} />
            <Space wrap>
              {kinds.map((k) => (
                <Button key={k.kind} onClick={() => setStarting(k.kind)} data-testid={`start-${k.kind}`}>
                  {k.label}
                </Button>
              ))}
              {/* The year's assessment, where a procedure needs it (exit, identification, return): recorded here, at the door. */}
              {kinds.length > 0 && !h.assessments.some((a) => a.year === new Date().getFullYear()) && (
                <Button onClick={() => setAssessing(true)} data-testid="record-assessment">
                  录入本年度收入核实
                </Button>
              )}
            </Space>
          </Space>
          {assessing && (
            <AssessmentModal household={h} year={new Date().getFullYear()} onClose={() => setAssessing(false)} />
          )}
          <Descriptions bordered size="small" column={{ xs: 1, md: 3 }}>
            <Descriptions.Item label="贫困户属性">{label(HouseholdAttribute, h.attribute)}</Descriptions.Item>
            <Descriptions.Item label="主要致贫原因">{label(PovertyCause, h.mainCause)}</Descriptions.Item>
            <Descriptions.Item label="人均纯收入">
              {h.netIncomePerHead === null ? '—' : `${h.netIncomePerHead} 元`}
            </Descriptions.Item>
            <Descriptions.Item label="识别年度">{h.identifiedYear ?? '—'}</Descriptions.Item>
            <Descriptions.Item label="脱贫年度">{h.exitYear ?? '—'}</Descriptions.Item>
            <Descriptions.Item label="帮扶责任人">{h.helper?.name ?? '未分配'}</Descriptions.Item>
            <Descriptions.Item label="住址">{h.address ?? '—'}</Descriptions.Item>
          </Descriptions>
          <Tabs
            items={[
              {
                key: 'members',
                label: `家庭成员 (${h.members.filter((m) => m.active).length})`,
                children: phone ? (
                  <MemberCards members={h.members} />
                ) : (
                  <Table
                    rowKey="id"
                    size="small"
                    pagination={false}
                    scroll={{ x: 720 }}
                    dataSource={h.members}
                    columns={[
                      { title: '姓名', dataIndex: 'name' },
                      { title: '身份证号', dataIndex: 'idNumber' },
                      { title: '与户主关系', render: (_, m) => label(Relation, m.relation) },
                      {
                        title: '出生日期 / 年龄',
                        render: (_, m) => (m.birthDate ? `${m.birthDate} (${m.age} 岁)` : `${m.age} 岁`),
                      },
                      { title: '文化程度', render: (_, m) => label(Education, m.education) },
                      { title: '健康', render: (_, m) => label(Health, m.health) },
                      { title: '劳动能力', render: (_, m) => label(LabourCapacity, m.labourCapacity) },
                      { title: '在册', render: (_, m) => (m.active ? '是' : '已减员') },
                    ]}
                  />
                ),
              },
              {
                key: 'assessments',
                label: '收入核算',
                children: phone ? (
                  <AssessmentCards assessments={h.assessments} />
                ) : (
                  <Table
                    rowKey="id"
                    size="small"
                    pagination={false}
                    scroll={{ x: 720 }}
                    dataSource={h.assessments}
                    locale={{ emptyText: '尚无核算' }}
                    columns={[
                      { title: '年度', dataIndex: 'year' },
                      { title: '核实日期', dataIndex: 'assessedOn' },
                      { title: '工资性', dataIndex: 'wageIncome' },
                      { title: '经营性', dataIndex: 'businessIncome' },
                      { title: '财产性', dataIndex: 'propertyIncome' },
                      { title: '转移性', dataIndex: 'transferIncome' },
                      { title: '生产支出', dataIndex: 'productionCosts' },
                      { title: '人数', dataIndex: 'people' },
                      { title: '人均纯收入', render: (_, a) => <b>{a.netIncomePerHead} 元</b> },
                      {
                        title: '两不愁三保障',
                        render: (_, a) =>
                          a.food && a.clothing && a.education && a.medical && a.housing && a.water ? (
                            '均已保障'
                          ) : (
                            <Typography.Text type="danger">有未保障项</Typography.Text>
                          ),
                      },
                    ]}
                  />
                ),
              },
              {
                key: 'measures',
                label: '帮扶措施',
                children: (
                  <Table
                    rowKey="id"
                    size="small"
                    pagination={false}
                    dataSource={h.measures}
                    locale={{ emptyText: '尚无帮扶措施' }}
                    columns={[
                      { title: '类别', render: (_, m) => label(MeasureKind, m.kind) },
                      { title: '内容', dataIndex: 'description' },
                      { title: '年度', dataIndex: 'year' },
                      { title: '金额', render: (_, m) => (m.amount === null ? '—' : `${m.amount} 元`) },
                    ]}
                  />
                ),
              },
              {
                key: 'history',
                label: '全部记录',
                children: (
                  <PageState loading={history.isLoading} error={history.error} empty={history.data?.items.length === 0}>
                    <Timeline
                      items={(history.data?.items ?? []).map((e) => ({
                        content: `${fmtDateTime(e.at)} · ${e.action} · ${e.actorId}`,
                      }))}
                    />
                  </PageState>
                ),
              },
            ]}
          />
          <Card size="small" type="inner" title="说明">
            身份证号按您的角色显示; 列表中一律脱敏。
          </Card>
          {starting && <StartCaseModal household={h} kind={starting} onClose={() => setStarting(null)} />}
        </Space>
      )}
    </PageState>
  );
}
