import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Form, Input, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { MonitoringType } from '@jingzhun/domain';
import { data, monitoring } from '../../api/http';
import { useSessionUser } from '../../auth/useSession';
import { applyFieldErrors, whenValid } from '../../shared/fieldErrors';
import { ALERT_STATUS } from '../../shared/labels';
import { errorText, PageState } from '../../shared/PageState';
import { fmtDateTime } from '../../shared/time';
import type { MonitoringAnswer } from '../../api/views';

type AlertRow = MonitoringAnswer<'/alerts'>['items'][number];

/** 监测研判: alerts awaiting triage (the ID number is never shown, only its mask); confirm or dismiss. */
export function TriagePage() {
  const user = useSessionUser()!;
  const [status, setStatus] = useState<string | undefined>('MATCHED');
  const [page, setPage] = useState(1);
  const [deciding, setDeciding] = useState<AlertRow | null>(null);
  const q = useQuery({
    queryKey: ['alerts', status, page],
    queryFn: () =>
      data(monitoring.GET('/alerts', { params: { query: { status: status as never, page, pageSize: 20 } } })),
  });
  return (
    <>
      <Space wrap style={{ marginBottom: 16, justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          监测研判
        </Typography.Title>
        <Select
          allowClear
          style={{ width: 200 }}
          value={status}
          onChange={(v) => {
            setStatus(v);
            setPage(1);
          }}
          options={Object.entries(ALERT_STATUS).map(([value, label]) => ({ value, label }))}
          aria-label="按状态筛选"
        />
      </Space>
      <PageState
        loading={q.isLoading}
        error={q.error}
        retry={() => q.refetch()}
        empty={q.data?.total === 0}
        emptyText="没有待研判的预警"
      >
        <Table<AlertRow>
          rowKey="id"
          scroll={{ x: 720 }}
          dataSource={q.data?.items}
          pagination={{ current: page, pageSize: 20, total: q.data?.total, onChange: setPage, showSizeChanger: false }}
          columns={[
            { title: '部门', dataIndex: 'department' },
            { title: '类别', dataIndex: 'kind' },
            { title: '户编号', render: (_, a) => a.householdNumber ?? '未匹配' },
            { title: '接收时间', render: (_, a) => fmtDateTime(a.createdAt) },
            { title: '状态', render: (_, a) => <Tag>{ALERT_STATUS[a.status] ?? a.status}</Tag> },
            {
              title: '操作',
              render: (_, a) =>
                ['township', 'county'].includes(user.role) && (a.status === 'MATCHED' || a.status === 'UNMATCHED') ? (
                  <Button onClick={() => setDeciding(a)}>研判</Button>
                ) : null,
            },
          ]}
        />
      </PageState>
      {deciding && <TriageModal alert={deciding} onClose={() => setDeciding(null)} />}
    </>
  );
}

function TriageModal({ alert, onClose }: { alert: AlertRow; onClose: () => void }) {
  const [form] = Form.useForm();
  const qc = useQueryClient();
  const decision = Form.useWatch('decision', form);
  const save = useMutation({
    mutationFn: () =>
      data(
        monitoring.POST('/alerts/{id}/triage', {
          params: { path: { id: alert.id } } as never,
          body: form.getFieldsValue(),
        }),
      ),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['alerts'] });
      onClose();
    },
    onError: (err) => applyFieldErrors(form, err),
  });
  return (
    <Modal
      open
      title="预警研判"
      okText="提交"
      cancelText="取消"
      onCancel={onClose}
      confirmLoading={save.isPending}
      onOk={() => whenValid(form, () => save.mutate())}
    >
      {save.error && <Alert type="error" showIcon title={errorText(save.error)} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" initialValues={{ decision: 'confirm' }}>
        <Form.Item name="decision" label="研判结论">
          <Select
            options={[
              { value: 'confirm', label: '确认风险, 启动纳入监测程序' },
              { value: 'dismiss', label: '排除' },
            ]}
          />
        </Form.Item>
        {decision === 'confirm' && (
          <Form.Item name="monitoringType" label="建议监测类型">
            <Select
              allowClear
              options={MonitoringType.codes.map((c) => ({ value: c, label: MonitoringType.labels[c] }))}
            />
          </Form.Item>
        )}
        <Form.Item name="comment" label="研判意见" rules={[{ required: true, message: '请填写研判意见' }]}>
          <Input.TextArea rows={3} maxLength={500} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
