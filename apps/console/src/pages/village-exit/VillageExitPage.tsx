import { whenValid } from '../../shared/fieldErrors';
import { useMutation, useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Checkbox, Form, Input, List, Select, Space, Statistic, Typography } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { ApiError, data, registry } from '../../api/http';
import { useSessionUser } from '../../auth/useSession';
import { errorText, PageState } from '../../shared/PageState';

const CONDITIONS = [
  { key: 'road', label: '通硬化路' },
  { key: 'water', label: '安全饮水' },
  { key: 'power', label: '通生产生活用电' },
  { key: 'clinic', label: '有标准化卫生室' },
  { key: 'collectiveIncome', label: '有村集体经济收入' },
];

/** 贫困村退出: a village's live incidence and the conditions checklist, then the township's application. */
export function VillageExitPage() {
  const user = useSessionUser()!;
  const navigate = useNavigate();
  const [village, setVillage] = useState<string | undefined>();
  const [form] = Form.useForm();
  const villages = useQuery({
    queryKey: ['regions', 'villages', user.regionCode],
    queryFn: async () => {
      const townships =
        user.role === 'township'
          ? [{ code: user.regionCode }]
          : await data(registry.GET('/regions', { params: { query: { parent: user.regionCode } } }));
      const lists = await Promise.all(
        townships.map((t) => data(registry.GET('/regions', { params: { query: { parent: t.code } } }))),
      );
      return lists.flat();
    },
  });
  const stats = useQuery({
    queryKey: ['stats', village],
    enabled: !!village,
    queryFn: () => data(registry.GET('/regions/{code}/stats', { params: { path: { code: village! } } })),
  });
  const apply = useMutation({
    mutationFn: async () => {
      const v = form.getFieldsValue(true) as { reason: string; conditions: string[] };
      const conditions = Object.fromEntries(CONDITIONS.map((c) => [c.key, (v.conditions ?? []).includes(c.key)]));
      return await data(
        registry.POST('/cases', {
          body: { kind: 'village_exit', regionCode: village, reason: v.reason, data: { conditions } },
        }),
      );
    },
    onSuccess: (c) => navigate(`/cases/${c.id}`),
  });
  const obstacles = apply.error instanceof ApiError ? (apply.error.details?.obstacles ?? []) : [];
  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        贫困村退出
      </Typography.Title>
      <PageState
        loading={villages.isLoading}
        error={villages.error}
        empty={villages.data?.length === 0}
        emptyText="辖区内没有行政村"
      >
        <Select
          showSearch
          optionFilterProp="label"
          placeholder="选择行政村"
          style={{ width: 320 }}
          value={village}
          onChange={setVillage}
          options={(villages.data ?? []).map((v) => ({ value: v.code, label: `${v.name} ${v.code}` }))}
          aria-label="行政村"
        />
      </PageState>
      {village && (
        <PageState loading={stats.isLoading} error={stats.error}>
          {stats.data && (
            <Card size="small">
              <Space wrap size="large">
                <Statistic title="农村户籍人口" value={stats.data.ruralPopulation ?? '—'} />
                <Statistic title="贫困人口" value={stats.data.poorPopulation} />
                <Statistic
                  title="贫困发生率"
                  value={stats.data.incidence === null ? '—' : (stats.data.incidence * 100).toFixed(2)}
                  suffix="%"
                  data-testid="incidence"
                />
              </Space>
            </Card>
          )}
          <Form form={form} layout="vertical" style={{ marginTop: 16, maxWidth: 560 }}>
            <Form.Item name="conditions" label="退出条件核查表">
              <Checkbox.Group options={CONDITIONS.map((c) => ({ value: c.key, label: c.label }))} />
            </Form.Item>
            <Form.Item name="reason" label="申请说明" rules={[{ required: true, message: '请填写申请说明' }]}>
              <Input.TextArea rows={2} maxLength={500} />
            </Form.Item>
            {apply.error && (
              <Alert
                type="error"
                showIcon
                style={{ marginBottom: 12 }}
                title={obstacles.length ? '不符合退出条件:' : errorText(apply.error)}
                description={
                  obstacles.length ? (
                    <List size="small" dataSource={obstacles} renderItem={(o) => <List.Item>{o}</List.Item>} />
                  ) : undefined
                }
              />
            )}
            <Button
              type="primary"
              disabled={user.role !== 'township'}
              loading={apply.isPending}
              onClick={() => whenValid(form, () => apply.mutate())}
            >
              {user.role === 'township' ? '提出退出申请' : '由乡镇提出申请'}
            </Button>
          </Form>
        </PageState>
      )}
    </Space>
  );
}
