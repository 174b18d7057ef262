import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Input, Modal, Segmented, Space, Table, Tag, Typography, Upload, message } from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { data, registry } from '../../api/http';
import { session } from '../../auth/session';
import { useSessionUser } from '../../auth/useSession';
import { PROBLEM_STATUS } from '../../shared/labels';
import { errorText, PageState } from '../../shared/PageState';
import { fmtDate } from '../../shared/time';

interface Problem {
  id: string;
  householdId: string;
  householdNumber: string;
  villageCode: string;
  rule: string;
  ruleLabel: string;
  description: string;
  fixBy: string;
  status: string;
  explanation: string | null;
  reviewComment: string | null;
}

/** 数据清洗: the problem items of a campaign — the township fixes or explains, the county reviews, runs the rules, imports the province's list. */
export function ProblemsPage() {
  const { id } = useParams();
  const user = useSessionUser()!;
  const qc = useQueryClient();
  const [status, setStatus] = useState<string>(user.role === 'county' ? 'EXPLAINED' : 'OPEN');
  const [explaining, setExplaining] = useState<Problem | null>(null);
  const [text, setText] = useState('');
  const q = useQuery({ queryKey: ['problems', id, status], queryFn: () => data(registry.GET('/campaigns/{id}/problems', { params: { path: { id: id! }, query: { status: status as never } } })) as Promise<Problem[]> });
  const done = async (note: string) => {
    message.success(note);
    await qc.invalidateQueries({ queryKey: ['problems', id] });
  };
  const recheck = useMutation({ mutationFn: (p: Problem) => data(registry.POST('/campaigns/{id}/problems/{itemId}/recheck', { params: { path: { id: id!, itemId: p.id } } })), onSuccess: () => done('已复核, 问题已整改'), onError: (e) => message.error(errorText(e)) });
  const explain = useMutation({
    mutationFn: () => data(registry.POST('/campaigns/{id}/problems/{itemId}/explanation', { params: { path: { id: id!, itemId: explaining!.id } }, body: { explanation: text } })),
    onSuccess: async () => {
      setExplaining(null);
      setText('');
      await done('情况说明已提交');
    },
  });
  const review = useMutation({ mutationFn: (v: { p: Problem; accept: boolean }) => data(registry.POST('/campaigns/{id}/problems/{itemId}/review', { params: { path: { id: id!, itemId: v.p.id } }, body: { accept: v.accept, comment: v.accept ? '同意' : '说明不充分, 请整改' } })), onSuccess: () => done('已审核'), onError: (e) => message.error(errorText(e)) });
  const run = useMutation({ mutationFn: () => data(registry.POST('/campaigns/{id}/cleaning', { params: { path: { id: id! } } })), onSuccess: () => done('清洗规则已运行'), onError: (e) => message.error(errorText(e)) });
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Space wrap style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          数据清洗 <Link to={`/campaigns/${id}`} style={{ fontSize: 14 }}>返回年度动态调整</Link>
        </Typography.Title>
        {user.role === 'county' && (
          <Space wrap>
            <Button onClick={() => run.mutate()} loading={run.isPending} data-testid="run-cleaning">运行清洗规则</Button>
            <Upload
              accept=".xlsx"
              showUploadList={false}
              customRequest={async ({ file, onSuccess, onError }) => {
                const form = new FormData();
                form.append('file', file as Blob);
                const res = await fetch(`/api/registry/campaigns/${id}/province-problems`, { method: 'POST', body: form, headers: { authorization: `Bearer ${session.token() ?? ''}` } });
                const body = await res.json().catch(() => null);
                if (res.ok) {
                  onSuccess?.(body);
                  await done(`已导入省级反馈问题 ${body.imported} 条${body.errors.length ? `, ${body.errors.length} 行有误` : ''}`);
                } else {
                  onError?.(new Error(body?.error?.message ?? String(res.status)));
                  message.error(body?.error?.message ?? `导入失败 (${res.status})`);
                }
              }}
            >
              <Button>导入省级反馈问题 (XLSX)</Button>
            </Upload>
          </Space>
        )}
      </Space>
      <Segmented value={status} onChange={(v) => setStatus(String(v))} options={Object.entries(PROBLEM_STATUS).map(([value, s]) => ({ value, label: s.label }))} />
      <PageState loading={q.isLoading} error={q.error} retry={() => q.refetch()} empty={q.data?.length === 0} emptyText="没有这类问题">
        <Table<Problem>
          rowKey="id"
          size="middle"
          dataSource={q.data}
          scroll={{ x: 760 }}
          pagination={{ pageSize: 20, showSizeChanger: false }}
          columns={[
            { title: '户', render: (_, p) => <Link to={`/households/${p.householdId}`}>{p.householdNumber}</Link> },
            { title: '规则', dataIndex: 'ruleLabel' },
            { title: '问题', render: (_, p) => <Space orientation="vertical" size={0}>{p.description}{p.explanation && <Typography.Text type="secondary">说明: {p.explanation}</Typography.Text>}{p.reviewComment && <Typography.Text type="secondary">审核: {p.reviewComment}</Typography.Text>}</Space> },
            { title: '整改期限', render: (_, p) => fmtDate(new Date(new Date(p.fixBy).getTime() - 1)) },
            { title: '状态', render: (_, p) => <Tag color={PROBLEM_STATUS[p.status]?.color}>{PROBLEM_STATUS[p.status]?.label ?? p.status}</Tag> },
            {
              title: '操作',
              render: (_, p) =>
                (p.status === 'OPEN' || p.status === 'REJECTED') && user.role !== 'county' ? (
                  <Space wrap>
                    {!p.rule.startsWith('province') && <Button size="small" onClick={() => recheck.mutate(p)} data-testid="recheck">已更正, 复核</Button>}
                    {user.role === 'township' && <Button size="small" onClick={() => setExplaining(p)} data-testid="explain">情况说明</Button>}
                  </Space>
                ) : p.status === 'EXPLAINED' && user.role === 'county' ? (
                  <Space>
                    <Button size="small" type="primary" onClick={() => review.mutate({ p, accept: true })} data-testid="accept">接受</Button>
                    <Button size="small" danger onClick={() => review.mutate({ p, accept: false })}>驳回</Button>
                  </Space>
                ) : null,
            },
          ]}
        />
      </PageState>
      <Modal title="情况说明" open={!!explaining} onCancel={() => setExplaining(null)} onOk={() => explain.mutate()} okText="提交" okButtonProps={{ disabled: !text.trim(), loading: explain.isPending }}>
        <Typography.Paragraph>{explaining?.householdNumber}: {explaining?.description}</Typography.Paragraph>
        <Input.TextArea aria-label="情况说明" rows={3} maxLength={1000} value={text} onChange={(e) => setText(e.target.value)} />
        {explain.error && <Alert type="error" showIcon title={errorText(explain.error)} style={{ marginTop: 12 }} />}
      </Modal>
    </Space>
  );
}
