import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Input, Modal, Segmented, Select, Space, Table, Tag, Typography, message } from 'antd';
import { useMemo, useState } from 'react';
import { Link, useParams } from 'react-router';
import { data, registry } from '../../api/http';
import { useSessionUser } from '../../auth/useSession';
import { PROBLEM_STATUS } from '../../shared/labels';
import { ProvinceUpload } from './ProvinceUpload';
import { errorText, PageState } from '../../shared/PageState';
import { fmtDate } from '../../shared/time';
import type { RegistryAnswer } from '../../api/views';

type Problem = RegistryAnswer<'/campaigns/{id}/problems'>[number];

/** 数据清洗: the problem items of a campaign — the township fixes or explains, the county reviews, runs the rules, imports the province's list. */
export function ProblemsPage() {
  const { id } = useParams();
  const user = useSessionUser()!;
  const qc = useQueryClient();
  const [status, setStatus] = useState<string>(user.role === 'county' ? 'EXPLAINED' : 'OPEN');
  // One item, or the selected ones (a township explains a batch at once: same rule, same reason).
  const [explaining, setExplaining] = useState<Problem[] | null>(null);
  const [rule, setRule] = useState<string | undefined>();
  const [village, setVillage] = useState<string | undefined>();
  const [selected, setSelected] = useState<string[]>([]);
  const [text, setText] = useState('');
  const q = useQuery({
    queryKey: ['problems', id, status],
    queryFn: () =>
      data(
        registry.GET('/campaigns/{id}/problems', { params: { path: { id: id! }, query: { status: status as never } } }),
      ),
  });
  const done = async (note: string) => {
    message.success(note);
    await qc.invalidateQueries({ queryKey: ['problems', id] });
  };
  const recheck = useMutation({
    mutationFn: (p: Problem) =>
      data(registry.POST('/campaigns/{id}/problems/{itemId}/recheck', { params: { path: { id: id!, itemId: p.id } } })),
    onSuccess: () => done('已复核, 问题已整改'),
    onError: (e) => message.error(errorText(e)),
  });
  const explain = useMutation({
    // One request per item (each is audited on its own); stops at the first refusal and says which.
    mutationFn: async () => {
      for (const p of explaining!)
        await data(
          registry.POST('/campaigns/{id}/problems/{itemId}/explanation', {
            params: { path: { id: id!, itemId: p.id } },
            body: { explanation: text },
          }),
        );
    },
    onSuccess: async () => {
      const n = explaining!.length;
      setExplaining(null);
      setSelected([]);
      setText('');
      await done(n > 1 ? `情况说明已提交 (${n} 条)` : '情况说明已提交');
    },
  });
  const review = useMutation({
    mutationFn: async (v: { items: Problem[]; accept: boolean }) => {
      for (const p of v.items)
        await data(
          registry.POST('/campaigns/{id}/problems/{itemId}/review', {
            params: { path: { id: id!, itemId: p.id } },
            body: { accept: v.accept, comment: v.accept ? '同意' : '说明不充分, 请整改' },
          }),
        );
      return v.items.length;
    },
    onSuccess: (n) => {
      setSelected([]);
      return done(n > 1 ? `已审核 ${n} 条` : '已审核');
    },
    onError: (e) => message.error(errorText(e)),
  });
  // Filters by rule and village over the status's items (the server filters by status and jurisdiction).
  const rules = useMemo(() => [...new Map((q.data ?? []).map((p) => [p.rule, p.ruleLabel])).entries()], [q.data]);
  const villages = useMemo(
    () => [
      ...new Map(
        (q.data ?? []).map((p) => [p.villageCode, `${p.townshipName ?? ''} ${p.villageName ?? p.villageCode}`]),
      ).entries(),
    ],
    [q.data],
  );
  const shown = (q.data ?? []).filter((p) => (!rule || p.rule === rule) && (!village || p.villageCode === village));
  const picked = shown.filter((p) => selected.includes(p.id));
  const bulkExplain = user.role === 'township' && (status === 'OPEN' || status === 'REJECTED');
  const bulkReview = user.role === 'county' && status === 'EXPLAINED';
  const run = useMutation({
    mutationFn: () => data(registry.POST('/campaigns/{id}/cleaning', { params: { path: { id: id! } } })),
    onSuccess: () => done('清洗规则已运行'),
    onError: (e) => message.error(errorText(e)),
  });
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Space wrap style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          数据清洗{' '}
          <Link to={`/campaigns/${id}`} style={{ fontSize: 14 }}>
            返回年度动态调整
          </Link>
        </Typography.Title>
        {user.role === 'county' && (
          <Space wrap>
            <Button onClick={() => run.mutate()} loading={run.isPending} data-testid="run-cleaning">
              运行清洗规则
            </Button>
            <ProvinceUpload campaignId={id!} onImported={done} />
          </Space>
        )}
      </Space>
      <Segmented
        value={status}
        onChange={(v) => {
          setStatus(String(v));
          setSelected([]);
        }}
        options={Object.entries(PROBLEM_STATUS).map(([value, s]) => ({ value, label: s.label }))}
      />
      <Space wrap>
        <Select
          allowClear
          placeholder="按规则"
          style={{ width: 220 }}
          value={rule}
          onChange={(v) => {
            setRule(v);
            setSelected([]);
          }}
          options={rules.map(([value, label]) => ({ value, label }))}
          aria-label="按规则筛选"
          data-testid="filter-rule"
        />
        <Select
          allowClear
          showSearch
          optionFilterProp="label"
          placeholder="按行政村"
          style={{ width: 220 }}
          value={village}
          onChange={(v) => {
            setVillage(v);
            setSelected([]);
          }}
          options={villages.map(([value, label]) => ({ value, label }))}
          aria-label="按行政村筛选"
        />
        <Typography.Text type="secondary" data-testid="problems-shown">
          {shown.length} 条{q.data && shown.length !== q.data.length ? ` (共 ${q.data.length} 条)` : ''}
        </Typography.Text>
        {bulkExplain && (
          <Button disabled={picked.length === 0} onClick={() => setExplaining(picked)} data-testid="bulk-explain">
            批量情况说明 ({picked.length})
          </Button>
        )}
        {bulkReview && (
          <>
            <Button
              type="primary"
              disabled={picked.length === 0}
              loading={review.isPending}
              onClick={() => review.mutate({ items: picked, accept: true })}
              data-testid="bulk-accept"
            >
              批量接受 ({picked.length})
            </Button>
            <Button
              danger
              disabled={picked.length === 0}
              loading={review.isPending}
              onClick={() => review.mutate({ items: picked, accept: false })}
            >
              批量驳回 ({picked.length})
            </Button>
          </>
        )}
      </Space>
      <PageState
        loading={q.isLoading}
        error={q.error}
        retry={() => q.refetch()}
        empty={shown.length === 0}
        emptyText="没有这类问题"
      >
        <Table<Problem>
          rowKey="id"
          size="middle"
          dataSource={shown}
          rowSelection={
            bulkExplain || bulkReview
              ? { selectedRowKeys: selected, onChange: (keys) => setSelected(keys.map(String)) }
              : undefined
          }
          scroll={{ x: 760 }}
          pagination={{ pageSize: 20, showSizeChanger: false }}
          columns={[
            { title: '户', render: (_, p) => <Link to={`/households/${p.householdId}`}>{p.householdNumber}</Link> },
            { title: '村', render: (_, p) => <span title={p.villageCode}>{p.villageName ?? p.villageCode}</span> },
            { title: '规则', dataIndex: 'ruleLabel' },
            {
              title: '问题',
              render: (_, p) => (
                <Space orientation="vertical" size={0}>
                  {p.description}
                  {p.explanation && <Typography.Text type="secondary">说明: {p.explanation}</Typography.Text>}
                  {p.reviewComment && <Typography.Text type="secondary">审核: {p.reviewComment}</Typography.Text>}
                </Space>
              ),
            },
            {
              title: '整改期限',
              render: (_, p) => (p.fixBy ? fmtDate(new Date(new Date(p.fixBy).getTime() - 1)) : '—'),
            },
            {
              title: '状态',
              render: (_, p) => (
                <Tag color={PROBLEM_STATUS[p.status]?.color}>{PROBLEM_STATUS[p.status]?.label ?? p.status}</Tag>
              ),
            },
            {
              title: '操作',
              render: (_, p) =>
                (p.status === 'OPEN' || p.status === 'REJECTED') && user.role !== 'county' ? (
                  <Space wrap>
                    {!p.rule.startsWith('province') && (
                      <Button size="small" onClick={() => recheck.mutate(p)} data-testid="recheck">
                        已更正, 复核
                      </Button>
                    )}
                    {user.role === 'township' && (
                      <Button size="small" onClick={() => setExplaining([p])} data-testid="explain">
                        情况说明
                      </Button>
                    )}
                  </Space>
                ) : p.status === 'EXPLAINED' && user.role === 'county' ? (
                  <Space>
                    <Button
                      size="small"
                      type="primary"
                      onClick={() => review.mutate({ items: [p], accept: true })}
                      data-testid="accept"
                    >
                      接受
                    </Button>
                    <Button size="small" danger onClick={() => review.mutate({ items: [p], accept: false })}>
                      驳回
                    </Button>
                  </Space>
                ) : null,
            },
          ]}
        />
      </PageState>
      <Modal
        title={explaining && explaining.length > 1 ? `情况说明 (${explaining.length} 条)` : '情况说明'}
        open={!!explaining}
        onCancel={() => setExplaining(null)}
        onOk={() => explain.mutate()}
        okText="提交"
        okButtonProps={{ disabled: !text.trim(), loading: explain.isPending }}
      >
        {explaining?.length === 1 ? (
          <Typography.Paragraph>
            {explaining[0].householdNumber}: {explaining[0].description}
          </Typography.Paragraph>
        ) : (
          <Typography.Paragraph>
            同一说明提交给所选的 {explaining?.length} 条问题 (
            {[...new Set(explaining?.map((p) => p.ruleLabel))].join('、')})
          </Typography.Paragraph>
        )}
        <Input.TextArea
          aria-label="情况说明"
          rows={3}
          maxLength={1000}
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
        {explain.error && <Alert type="error" showIcon title={errorText(explain.error)} style={{ marginTop: 12 }} />}
      </Modal>
    </Space>
  );
}
