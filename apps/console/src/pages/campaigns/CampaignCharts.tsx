import { Card, Col, Row, Typography } from 'antd';
import { useMemo } from 'react';
import { CASE_STATUS, KIND_LABELS } from '../../shared/labels';
import { Chart } from '../dashboard/Chart';
import type { RegistryAnswer } from '../../api/views';

export type CampaignCases = RegistryAnswer<'/campaigns/{id}'>['cases'][number];
export type TownshipProblems = RegistryAnswer<'/campaigns/{id}'>['problems'][number];

/** The progress page's second row: the cases the verifications opened (by kind and state), the problem items per township. */
export function CampaignCharts({ cases, problems }: { cases: CampaignCases[]; problems: TownshipProblems[] }) {
  const casesOption = useMemo(() => {
    const kinds = [...new Set(cases.map((c) => c.kind))];
    const statuses = [...new Set(cases.map((c) => c.status))];
    return {
      tooltip: { trigger: 'axis' },
      legend: { top: 0, data: statuses.map((s) => CASE_STATUS[s]?.label ?? s) },
      grid: { containLabel: true, left: 8, right: 16, top: 40, bottom: 8 },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: { type: 'category', data: kinds.map((k) => KIND_LABELS[k] ?? k) },
      series: statuses.map((s) => ({
        name: CASE_STATUS[s]?.label ?? s,
        type: 'bar',
        stack: 'n',
        itemStyle: { color: CASE_STATUS[s]?.color },
        data: kinds.map((k) => cases.find((c) => c.kind === k && c.status === s)?.n ?? 0),
      })),
    };
  }, [cases]);
  const problemsOption = useMemo(() => {
    const series = [
      { name: '待整改', color: '#ad4e00', of: (t: TownshipProblems) => t.open + t.rejected },
      { name: '待县级审核', color: '#0958d9', of: (t: TownshipProblems) => t.explained },
      { name: '已整改', color: '#237804', of: (t: TownshipProblems) => t.fixed },
      { name: '说明已接受', color: '#95de64', of: (t: TownshipProblems) => t.accepted },
    ];
    return {
      tooltip: { trigger: 'axis' },
      legend: { top: 0, data: series.map((s) => s.name) },
      grid: { containLabel: true, left: 8, right: 16, top: 40, bottom: 8 },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: { type: 'category', data: problems.map((t) => t.name ?? t.townshipCode) },
      series: series.map((s) => ({
        name: s.name,
        type: 'bar',
        stack: 'n',
        itemStyle: { color: s.color },
        data: problems.map(s.of),
      })),
    };
  }, [problems]);
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} lg={12}>
        <Card size="small" title="核查转入的程序 (按状态)" data-testid="cases-chart">
          {cases.length === 0 ? (
            <Typography.Text type="secondary">核查尚未发现需转入程序的情况</Typography.Text>
          ) : (
            <Chart
              option={casesOption}
              height={Math.max(160, new Set(cases.map((c) => c.kind)).size * 40)}
              label="核查转入的程序, 按种类和状态"
            />
          )}
        </Card>
      </Col>
      <Col xs={24} lg={12}>
        <Card size="small" title="数据清洗问题 (各乡镇)" data-testid="problems-chart">
          {problems.length === 0 ? (
            <Typography.Text type="secondary">尚未运行清洗规则, 或未发现问题</Typography.Text>
          ) : (
            <Chart
              option={problemsOption}
              height={Math.max(160, problems.length * 36)}
              label="各乡镇数据清洗问题, 待整改与已关闭"
            />
          )}
        </Card>
      </Col>
    </Row>
  );
}
