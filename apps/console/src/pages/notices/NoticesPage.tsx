import { PrinterOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Form, Input, List, Modal, Segmented, Space, Tag, Typography, message } from 'antd';
import { useRef, useState } from 'react';
import { Link } from 'react-router';
import { data, registry } from '../../api/http';
import type { Notice } from '../../api/views';
import { useSessionUser } from '../../auth/useSession';
import { applyFieldErrors } from '../../shared/fieldErrors';
import { openFile } from '../../shared/openBlob';
import { errorText, PageState } from '../../shared/PageState';
import { fmtDate } from '../../shared/time';
import { useIdempotencyKey } from '../../shared/idempotency';

/** 公示 and 公告: the notices of my region (print one, record an objection received) and the announcements of results. */
export function NoticesPage() {
  const user = useSessionUser()!;
  const [view, setView] = useState<'true' | 'false' | 'announcements'>('true');
  const active = view === 'announcements' ? 'true' : view;
  const [objecting, setObjecting] = useState<Notice | null>(null);
  const q = useQuery({
    queryKey: ['notices', active],
    queryFn: () => data(registry.GET('/notices', { params: { query: { active } } })),
  });
  const canObject = ['village', 'township', 'county'].includes(user.role);
  return (
    <>
      <Space wrap style={{ marginBottom: 16, justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          公示公告
        </Typography.Title>
        <Segmented
          value={view}
          onChange={(v) => setView(v as typeof view)}
          options={[
            { value: 'true', label: '公示中' },
            { value: 'false', label: '已结束' },
            { value: 'announcements', label: '公告' },
          ]}
          data-testid="notice-view"
        />
      </Space>
      {view === 'announcements' ? (
        <Announcements />
      ) : (
        <PageState
          loading={q.isLoading}
          error={q.error}
          retry={() => q.refetch()}
          empty={q.data?.length === 0}
          emptyText={active === 'true' ? '当前没有公示' : '没有已结束的公示'}
        >
          <List
            dataSource={q.data}
            renderItem={(n) => (
              <List.Item style={{ display: 'block', border: 'none', padding: '0 0 12px' }}>
                <Card
                  size="small"
                  title={n.title}
                  extra={
                    <Tag color={n.status === 'ACTIVE' ? '#0958d9' : '#595959'}>
                      {n.status === 'ACTIVE' ? '公示中' : '已结束'}
                    </Tag>
                  }
                  data-testid="notice"
                >
                  <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{n.body}</Typography.Paragraph>
                  <Space wrap>
                    <span>
                      {fmtDate(n.startsAt)} 至 {fmtDate(new Date(new Date(n.endsAt).getTime() - 1))} · {n.days} 天 ·
                      异议 {n.objections} 件
                    </span>
                    <Link to={`/cases/${n.caseId}`}>查看案件</Link>
                    <Button
                      icon={<PrinterOutlined />}
                      onClick={() =>
                        openFile(`/api/registry/notices/${n.id}/pdf`, `公示-${n.id}.pdf`).catch((e) =>
                          message.error(errorText(e)),
                        )
                      }
                      data-testid="print-notice"
                    >
                      打印公示
                    </Button>
                    {canObject && n.status === 'ACTIVE' && (
                      <Button onClick={() => setObjecting(n)} data-testid="record-objection">
                        登记异议
                      </Button>
                    )}
                  </Space>
                </Card>
              </List.Item>
            )}
          />
        </PageState>
      )}
      {objecting && <ObjectionModal notice={objecting} onClose={() => setObjecting(null)} />}
    </>
  );
}

/** 公告: the results announced (numbered, the household by its number, no personal data), printable for the board. */
function Announcements() {
  const q = useQuery({
    queryKey: ['announcements'],
    queryFn: () => data(registry.GET('/announcements', { params: { query: { pageSize: 100 } } })),
  });
  return (
    <PageState
      loading={q.isLoading}
      error={q.error}
      retry={() => q.refetch()}
      empty={q.data?.items.length === 0}
      emptyText="还没有公告"
    >
      <List
        dataSource={q.data?.items}
        renderItem={(a) => (
          <List.Item style={{ display: 'block', border: 'none', padding: '0 0 12px' }}>
            <Card size="small" title={a.title} extra={<Tag color="#237804">{a.number}</Tag>} data-testid="announcement">
              <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>
                {a.body.split('\n').slice(2).join('\n')}
              </Typography.Paragraph>
              <Space wrap>
                <span>{fmtDate(a.publishedAt)}</span>
                <Link to={`/cases/${a.caseId}`}>查看案件</Link>
                <Button
                  icon={<PrinterOutlined />}
                  onClick={() =>
                    openFile(`/api/registry/announcements/${a.id}/pdf`, `公告-${a.number}.pdf`).catch((e) =>
                      message.error(errorText(e)),
                    )
                  }
                  data-testid="print-announcement"
                >
                  打印公告
                </Button>
              </Space>
            </Card>
          </List.Item>
        )}
      />
    </PageState>
  );
}

function ObjectionModal({ notice, onClose }: { notice: Notice; onClose: () => void }) {
  const [form] = Form.useForm();
  const qc = useQueryClient();
  // One objection per submit, whatever the clicks: one Idempotency-Key per submit (the registry records it in the objection's
  // transaction) and no second request while one is under way.
  const idem = useIdempotencyKey();
  const sending = useRef(false);
  const save = useMutation({
    mutationFn: async () =>
      data(
        registry.POST('/notices/{id}/objections', {
          params: { path: { id: notice.id }, header: { 'Idempotency-Key': idem.key() } as never },
          body: form.getFieldsValue(),
        }),
      ),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['notices'] });
      void qc.invalidateQueries({ queryKey: ['tasks'] });
      onClose();
    },
    onError: (err) => {
      idem.renew();
      applyFieldErrors(form, err);
    },
    onSettled: () => {
      sending.current = false;
    },
  });
  const submit = async () => {
    if (sending.current) return;
    sending.current = true;
    try {
      await form.validateFields();
    } catch {
      sending.current = false; // the form shows what is missing
      return;
    }
    save.mutate();
  };
  return (
    <Modal
      open
      title={`登记异议 · ${notice.title}`}
      okText="登记"
      cancelText="取消"
      onCancel={onClose}
      confirmLoading={save.isPending}
      onOk={() => void submit()}
    >
      {save.error && <Alert type="error" showIcon title={errorText(save.error)} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical">
        <Form.Item
          name="content"
          label="异议内容"
          rules={[{ required: true, min: 5, message: '请写明异议内容 (至少5个字)' }]}
        >
          <Input.TextArea rows={4} maxLength={2000} />
        </Form.Item>
        <Form.Item name="submittedBy" label="反映人 (可匿名)">
          <Input maxLength={100} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
