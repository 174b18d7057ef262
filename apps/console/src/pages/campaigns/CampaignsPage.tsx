import { CampaignError } from '@jingzhun/contracts/src/error-codes';
import { whenValid } from '../../shared/fieldErrors';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Checkbox, Form, InputNumber, Space, Statistic, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { SCOPE_CATEGORIES, SCOPE_CATEGORY_LABELS } from '@jingzhun/domain';
import { ApiError, data, registry } from '../../api/http';
import { useSessionUser } from '../../auth/useSession';
import { CASE_STATUS, stepLabel } from '../../shared/labels';
import { errorText, PageState } from '../../shared/PageState';
import type { RegistryAnswer } from '../../api/views';

type CampaignRow = RegistryAnswer<'/campaigns'>[number];

type Preview = RegistryAnswer<'/campaigns/preview', 'post'>;

/** 年度动态调整: the county's campaigns, and starting this year's after a dry run of its scope. */
export function CampaignsPage() {
  const user = useSessionUser()!;
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [form] = Form.useForm();
  const [preview, setPreview] = useState<Preview | null>(null);
  const list = useQuery({
    queryKey: ['campaigns'],
    queryFn: () => data(registry.GET('/campaigns')),
  });
  const body = () => {
    const v = form.getFieldsValue(true) as { year: number; categories: string[]; marginalLine?: number };
    return {
      countyCode: user.regionCode,
      year: v.year,
      categories: v.categories as never,
      ...(v.marginalLine ? { marginalLine: v.marginalLine } : {}),
    };
  };
  const dryRun = useMutation({
    mutationFn: async () => await data(registry.POST('/campaigns/preview', { body: body() })),
    onSuccess: setPreview,
  });
  const start = useMutation({
    mutationFn: async () =>
      await data(registry.POST('/campaigns', { body: { ...body(), confirmHouseholds: preview!.households } })),
    onSuccess: async (c) => {
      await qc.invalidateQueries({ queryKey: ['campaigns'] });
      navigate(`/campaigns/${c.id}`);
    },
  });
  const changed = start.error instanceof ApiError && start.error.code === CampaignError.ScopeChanged;
  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        年度动态调整
      </Typography.Title>
      <PageState
        loading={list.isLoading}
        error={list.error}
        retry={() => list.refetch()}
        empty={list.data?.length === 0}
        emptyText="尚未发起年度动态调整"
      >
        <Table<CampaignRow>
          rowKey="id"
          size="middle"
          pagination={false}
          dataSource={list.data}
          scroll={{ x: 560 }}
          columns={[
            { title: '年度', render: (_, c) => <Link to={`/campaigns/${c.id}`}>{c.year} 年</Link> },
            {
              title: '状态',
              render: (_, c) => (
                <Tag color={CASE_STATUS[c.status]?.color}>{CASE_STATUS[c.status]?.label ?? c.status}</Tag>
              ),
            },
            { title: '阶段', render: (_, c) => stepLabel(c.step) },
            { title: '核查户数', dataIndex: 'households' },
          ]}
        />
      </PageState>
      {user.role === 'county' && (
        <Card title="发起年度动态调整" size="small">
          <Form
            form={form}
            layout="vertical"
            initialValues={{ year: new Date().getFullYear(), categories: ['poor', 'exited', 'monitored'] }}
            onValuesChange={() => setPreview(null)}
            style={{ maxWidth: 720 }}
          >
            <Form.Item name="year" label="年度" rules={[{ required: true, message: '请填写年度' }]}>
              <InputNumber min={2020} max={2100} />
            </Form.Item>
            {/* A validator, not `required`: antd would put aria-required on the group's div, which ARIA does not allow there. */}
            <Form.Item
              name="categories"
              label="核查范围"
              rules={[
                {
                  validator: (_, v: string[] | undefined) =>
                    v?.length ? Promise.resolve() : Promise.reject(new Error('至少选择一类核查范围')),
                },
              ]}
            >
              <Checkbox.Group options={SCOPE_CATEGORIES.map((c) => ({ value: c, label: SCOPE_CATEGORY_LABELS[c] }))} />
            </Form.Item>
            <Form.Item name="marginalLine" label="边缘线 (元/人·年, 留空按政策: 贫困标准的 1.5 倍)">
              <InputNumber min={0} max={1_000_000} />
            </Form.Item>
            {dryRun.error && (
              <Alert type="error" showIcon title={errorText(dryRun.error)} style={{ marginBottom: 12 }} />
            )}
            <Button
              onClick={() => whenValid(form, () => dryRun.mutate())}
              loading={dryRun.isPending}
              data-testid="preview"
            >
              预览核查范围
            </Button>
          </Form>
          {preview && (
            <Space orientation="vertical" style={{ width: '100%', marginTop: 16 }} data-testid="scope">
              <Space wrap size="large">
                <Statistic title="需核查农户" value={preview.households} suffix="户" />
                {Object.entries(preview.byCategory).map(([k, c]) => (
                  <Statistic key={k} title={c.label} value={c.households} suffix="户" />
                ))}
              </Space>
              <Table
                rowKey="code"
                size="small"
                pagination={false}
                dataSource={preview.townships}
                scroll={{ x: 420 }}
                columns={[
                  { title: '乡镇', render: (_, t) => t.name ?? t.code },
                  { title: '村数', dataIndex: 'villages' },
                  { title: '户数', dataIndex: 'households' },
                ]}
              />
              {start.error && <Alert type={changed ? 'warning' : 'error'} showIcon title={errorText(start.error)} />}
              <Button
                type="primary"
                disabled={preview.households === 0}
                loading={start.isPending}
                onClick={() => (changed ? dryRun.mutate() : start.mutate())}
                data-testid="start-campaign"
              >
                {changed ? '重新预览' : `确认发起 (${preview.households} 户)`}
              </Button>
            </Space>
          )}
        </Card>
      )}
    </Space>
  );
}
