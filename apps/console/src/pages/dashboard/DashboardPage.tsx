import { useQuery } from '@tanstack/react-query';
import { Card, Col, Row, Statistic, Table, Typography } from 'antd';
import { useMemo } from 'react';
import { Link, useNavigate } from 'react-router';
import { data, monitoring, registry } from '../../api/http';
import { HOUSEHOLD_STATUS, KIND_LABELS, stepLabel } from '../../shared/labels';
import { PageState } from '../../shared/PageState';
import { Chart } from './Chart';
import type { RegistryAnswer } from '../../api/views';

export type Dashboard = RegistryAnswer<'/dashboard'>;

/** The household statuses the dashboard charts, in its series' order. */
const STATUSES = ['POOR', 'EXITED', 'MONITORED', 'APPLICANT'];

/** 县/乡 工作台: live figures of my jurisdiction; every number is one the lists give too. */
export function DashboardPage() {
  const q = useQuery({
    queryKey: ['dashboard'],
    queryFn: () => data(registry.GET('/dashboard')),
  });
  const alerts = useQuery({
    queryKey: ['alerts', 'awaiting'],
    queryFn: async () => {
      const [matched, unmatched] = await Promise.all(
        ['MATCHED', 'UNMATCHED'].map((status) =>
          data(monitoring.GET('/alerts', { params: { query: { status: status as never, page: 1, pageSize: 1 } } })),
        ),
      );
      return matched.total + unmatched.total;
    },
  });
  const d = q.data;
  const navigate = useNavigate();

  const options = useMemo(() => {
    if (!d) return null;
    const kinds = [...new Set(d.casesInFlight.map((c) => c.kind))];
    const steps = [...new Set(d.casesInFlight.map((c) => c.step))];
    return {
      households: {
        tooltip: { trigger: 'axis' },
        legend: {},
        grid: { containLabel: true, left: 8, right: 8 },
        xAxis: { type: 'category', data: d.areas.map((a) => a.name), axisLabel: { interval: 0, rotate: 30 } },
        yAxis: { type: 'value' },
        series: STATUSES.map((s) => ({
          name: HOUSEHOLD_STATUS[s].label,
          type: 'bar',
          stack: 'h',
          data: d.areas.map((a) => a.households[s] ?? 0),
        })),
      },
      // Villages on the vertical axis, one line each: 50 names stay readable (rotated under the bars they overlapped).
      incidence: {
        tooltip: { trigger: 'axis', valueFormatter: (v: number) => `${v}%` },
        grid: { containLabel: true, left: 8, right: 24, top: 8, bottom: 8 },
        yAxis: { type: 'category', inverse: true, data: d.villages.map((v) => v.name), axisLabel: { interval: 0 } },
        xAxis: { type: 'value', axisLabel: { formatter: '{value}%' } },
        series: [
          {
            name: '贫困发生率',
            type: 'bar',
            data: d.villages.map((v) => ({
              // A village without its rural population has no incidence: an empty bar, not 0 %.
              value: v.incidence === null ? null : +(v.incidence * 100).toFixed(2),
              itemStyle: { color: v.incidence !== null && v.incidence < v.threshold ? '#52c41a' : '#cf1322' },
            })),
            markLine: {
              symbol: 'none',
              data: [...new Set(d.villages.map((v) => v.threshold))].map((t) => ({
                xAxis: t * 100,
                name: `${t * 100}% 退出线`,
                label: { formatter: `${t * 100}% 退出线` },
              })),
            },
          },
        ],
      },
      kinds,
      cases: {
        tooltip: { trigger: 'axis' },
        legend: {},
        grid: { containLabel: true, left: 8, right: 8 },
        xAxis: { type: 'category', data: kinds.map((k) => KIND_LABELS[k] ?? k) },
        yAxis: { type: 'value' },
        series: steps.map((s) => ({
          name: stepLabel(s),
          type: 'bar',
          stack: 'c',
          data: kinds.map((k) => d.casesInFlight.find((c) => c.kind === k && c.step === s)?.count ?? 0),
        })),
      },
      late: {
        tooltip: { trigger: 'axis' },
        legend: {},
        grid: { containLabel: true, left: 8, right: 8 },
        xAxis: { type: 'category', data: d.areas.map((a) => a.name), axisLabel: { interval: 0, rotate: 30 } },
        yAxis: { type: 'value' },
        series: [
          { name: '逾期待办', type: 'bar', data: d.areas.map((a) => a.overdueTasks), itemStyle: { color: '#cf1322' } },
          {
            name: '逾期回访',
            type: 'bar',
            data: d.areas.map((a) => a.overdueRevisits),
            itemStyle: { color: '#fa8c16' },
          },
        ],
      },
    };
  }, [d]);
  return (
    <>
      <Typography.Title level={3}>工作台</Typography.Title>
      <PageState loading={q.isLoading} error={q.error} retry={() => q.refetch()}>
        {d && options && (
          <Row gutter={[16, 16]}>
            <Col xs={12} md={6}>
              <Card size="small">
                <Link to="/inbox">
                  <Statistic title="我的待办" value={d.mine.open} />
                </Link>
              </Card>
            </Col>
            <Col xs={12} md={6}>
              <Card size="small">
                <Link to="/inbox?overdue=true" data-testid="my-overdue" data-count={d.mine.overdue}>
                  <Statistic title="我的逾期待办" value={d.mine.overdue} styles={{ content: { color: '#cf1322' } }} />
                </Link>
              </Card>
            </Col>
            <Col xs={12} md={6}>
              <Card size="small">
                <Statistic
                  title="辖区逾期待办 / 逾期回访"
                  value={`${d.totals.overdueTasks} / ${d.totals.overdueRevisits}`}
                />
              </Card>
            </Col>
            <Col xs={12} md={6}>
              <Card size="small">
                <Link to="/monitoring">
                  <Statistic title="待研判预警" value={alerts.data ?? '—'} loading={alerts.isLoading} />
                </Link>
              </Card>
            </Col>
            <Col xs={24} lg={12}>
              <Card size="small" title="各地户数 (按状态)">
                <Chart
                  option={options.households}
                  label="各地户数按状态"
                  onBar={({ dataIndex, seriesIndex }) =>
                    navigate(`/households?region=${d.areas[dataIndex].code}&status=${STATUSES[seriesIndex]}`)
                  }
                />
              </Card>
            </Col>
            <Col xs={24} lg={12}>
              <Card size="small" title="谁逾期了 (逾期待办与回访)">
                <Chart option={options.late} label="逾期待办与回访" />
              </Card>
            </Col>
            <Col xs={24} lg={12}>
              <Card size="small" title="贫困发生率 (与退出线)">
                <Chart
                  option={options.incidence}
                  label="各村贫困发生率"
                  height={Math.max(280, d.villages.length * 22 + 40)}
                  onBar={({ dataIndex }) => navigate(`/households?region=${d.villages[dataIndex].code}&status=POOR`)}
                />
              </Card>
            </Col>
            <Col xs={24} lg={12}>
              <Card size="small" title="在办程序 (按程序和步骤)">
                <Chart
                  option={options.cases}
                  label="在办程序"
                  onBar={({ dataIndex }) => navigate(`/cases?kind=${options.kinds[dataIndex]}&status=OPEN`)}
                />
              </Card>
            </Col>
            <Col xs={24}>
              <Card size="small" title="逾期明细">
                <Table
                  rowKey="code"
                  size="small"
                  pagination={false}
                  dataSource={d.areas}
                  columns={[
                    { title: '区划', dataIndex: 'name' },
                    { title: '逾期待办', dataIndex: 'overdueTasks' },
                    { title: '逾期回访', dataIndex: 'overdueRevisits' },
                  ]}
                />
              </Card>
            </Col>
          </Row>
        )}
      </PageState>
    </>
  );
}
