import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Card,
  Col,
  Input,
  Modal,
  Progress,
  Row,
  Space,
  Statistic,
  Steps,
  Table,
  Tag,
  Typography,
  message,
} from 'antd';
import { useMemo, useState } from 'react';
import { Link, useParams } from 'react-router';
import { CAMPAIGN_PHASE_LABELS, CAMPAIGN_PHASES } from '@jingzhun/domain';
import { data, registry } from '../../api/http';
import { useSessionUser } from '../../auth/useSession';
import { KIND_LABELS } from '../../shared/labels';
import { openFile } from '../../shared/openBlob';
import { errorText, PageState } from '../../shared/PageState';
import { Chart } from '../dashboard/Chart';
import { AuditCard } from './AuditCard';
import { CampaignCharts } from './CampaignCharts';

const day = (iso: string) =>
  new Date(new Date(iso).getTime() - 1).toLocaleDateString('zh-CN', { timeZone: 'Asia/Shanghai' });

/** One campaign: its calendar as steps, progress per township and village, the cases it opened, the late villages. */
export function CampaignPage() {
  const { id } = useParams();
  const user = useSessionUser()!;
  const qc = useQueryClient();
  const [cancelling, setCancelling] = useState(false);
  const [reason, setReason] = useState('');
  const q = useQuery({
    queryKey: ['campaign', id],
    queryFn: () => data(registry.GET('/campaigns/{id}', { params: { path: { id: id! } } })),
    refetchInterval: 30_000,
  });
  const cancel = useMutation({
    mutationFn: () =>
      data(registry.POST('/campaigns/{id}/cancel', { params: { path: { id: id! } }, body: { reason } })),
    onSuccess: async () => {
      setCancelling(false);
      await qc.invalidateQueries({ queryKey: ['campaign', id] });
      await qc.invalidateQueries({ queryKey: ['campaigns'] });
    },
  });
  const c = q.data;
  const byTownship = useMemo(
    () =>
      c && {
        tooltip: { trigger: 'axis' },
        legend: { top: 0, data: ['已核查', '未核查'] },
        grid: { containLabel: true, left: 8, right: 16, top: 40, bottom: 8 },
        xAxis: { type: 'value' },
        yAxis: { type: 'category', data: c.townships.map((t) => t.name ?? t.code) },
        series: [
          {
            name: '已核查',
            type: 'bar',
            stack: 'n',
            data: c.townships.map((t) => t.verified),
            itemStyle: { color: '#237804' },
          },
          {
            name: '未核查',
            type: 'bar',
            stack: 'n',
            data: c.townships.map((t) => t.inScope - t.verified),
            itemStyle: { color: '#d9d9d9' },
          },
        ],
      },
    [c],
  );
  const phaseIndex = c ? (c.phase === 'finished' ? CAMPAIGN_PHASES.length : CAMPAIGN_PHASES.indexOf(c.phase)) : 0;
  const late = c ? c.progress.villages.filter((v) => v.verified < v.inScope) : [];
  const visitsOver = c ? Date.now() > new Date(c.calendar.find((w) => w.phase === 'visits')!.endsAt).getTime() : false;
  return (
    <PageState loading={q.isLoading} error={q.error} retry={() => q.refetch()}>
      {c && (
        <Space orientation="vertical" size="large" style={{ width: '100%' }}>
          <Space wrap style={{ justifyContent: 'space-between', width: '100%' }}>
            <Typography.Title level={3} style={{ margin: 0 }}>
              {c.year} 年度动态调整 {c.status === 'CANCELLED' && <Tag>已撤销</Tag>}
              {c.status === 'COMPLETED' && <Tag color="#237804">已完成</Tag>}
            </Typography.Title>
            <Space wrap>
              <Link to={`/campaigns/${c.caseId}/problems`}>
                <Button data-testid="problems">数据清洗问题</Button>
              </Link>
              <Button
                onClick={() =>
                  openFile(`/api/registry/campaigns/${c.caseId}/summary.xlsx`, `工作总结-${c.year}.xlsx`, true).catch(
                    (e) => message.error(errorText(e)),
                  )
                }
              >
                工作总结 XLSX
              </Button>
              <Button
                onClick={() =>
                  openFile(`/api/registry/campaigns/${c.caseId}/summary.pdf`, `工作总结-${c.year}.pdf`).catch((e) =>
                    message.error(errorText(e)),
                  )
                }
              >
                工作总结 PDF
              </Button>
            </Space>
            {user.role === 'county' && c.status === 'OPEN' && (
              <Button danger onClick={() => setCancelling(true)} data-testid="cancel-campaign">
                撤销
              </Button>
            )}
          </Space>
          <Steps
            current={phaseIndex}
            // A cancelled campaign stops at the phase it reached (shown as stopped), not with seven phases done.
            status={c.status === 'CANCELLED' ? 'error' : undefined}
            size="small"
            responsive
            items={c.calendar.map((w) => ({
              title: CAMPAIGN_PHASE_LABELS[w.phase],
              description: `至 ${day(w.endsAt)}`,
            }))}
          />
          {c.audit && (
            <AuditCard campaignId={c.caseId} audit={c.audit} problems={c.problems} canDecide={user.role === 'county'} />
          )}
          <Row gutter={[16, 16]}>
            <Col xs={24} md={8}>
              <Card size="small">
                <Statistic
                  title="已核查 / 需核查"
                  value={c.progress.verified}
                  suffix={`/ ${c.progress.inScope} 户`}
                  data-testid="verified"
                />
                <Progress
                  aria-label="已核查比例"
                  percent={c.progress.inScope ? Math.round((c.progress.verified / c.progress.inScope) * 100) : 0}
                />
              </Card>
            </Col>
            <Col xs={24} md={16}>
              <Card size="small" title="核查发现转入的程序">
                {Object.keys(c.progress.casesByKind).length === 0 ? (
                  <Typography.Text type="secondary">尚无</Typography.Text>
                ) : (
                  <Space wrap size="large">
                    {Object.entries(c.progress.casesByKind).map(([k, n]) => (
                      <Statistic key={k} title={KIND_LABELS[k] ?? k} value={n} suffix="件" />
                    ))}
                  </Space>
                )}
              </Card>
            </Col>
          </Row>
          <CampaignCharts cases={c.cases} problems={c.problems} />
          {byTownship && c.townships.length > 0 && (
            <Card size="small" title="各乡镇核查进度">
              <Chart
                option={byTownship}
                height={Math.max(160, c.townships.length * 36)}
                label="各乡镇已核查与未核查户数"
              />
            </Card>
          )}
          <Card size="small" title={visitsOver ? '超期未完成的村' : '未完成核查的村'}>
            <Table
              rowKey="villageCode"
              size="small"
              dataSource={late}
              pagination={{ pageSize: 10, showSizeChanger: false }}
              scroll={{ x: 420 }}
              locale={{ emptyText: <Typography.Text type="secondary">各村均已完成</Typography.Text> }}
              columns={[
                { title: '村', dataIndex: 'villageCode' },
                { title: '已核查', render: (_, v) => `${v.verified} / ${v.inScope}` },
                {
                  title: '批量打印对照表',
                  render: (_, v) => (
                    <Button
                      size="small"
                      onClick={() =>
                        openFile(
                          `/api/registry/campaigns/${c.caseId}/villages/${v.villageCode}/sheets`,
                          `对照表-${v.villageCode}.pdf`,
                        ).catch((e) => message.error(errorText(e)))
                      }
                    >
                      对照表 PDF
                    </Button>
                  ),
                },
              ]}
            />
          </Card>
          <Modal
            title="撤销年度动态调整"
            open={cancelling}
            onCancel={() => setCancelling(false)}
            onOk={() => cancel.mutate()}
            okButtonProps={{ danger: true, disabled: !reason.trim(), loading: cancel.isPending }}
            okText="撤销"
          >
            <Typography.Paragraph>撤销后, 未完成的核查任务一并撤回; 本年度可重新发起。</Typography.Paragraph>
            <Input.TextArea
              aria-label="撤销原因"
              rows={2}
              maxLength={300}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
            />
            {cancel.error && <Alert type="error" showIcon title={errorText(cancel.error)} style={{ marginTop: 12 }} />}
          </Modal>
        </Space>
      )}
    </PageState>
  );
}
