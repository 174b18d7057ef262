import { useQuery } from '@tanstack/react-query';
import { Grid, Select, Space, Table, Tag, Typography } from 'antd';
import { Link } from 'react-router';
import { useUrlFilters } from '../../shared/useUrlFilters';
import { data, registry } from '../../api/http';
import type { CaseRow } from '../../api/views';
import { CASE_STATUS, KIND_LABELS, stepLabel } from '../../shared/labels';
import { PageState } from '../../shared/PageState';
import { ExportButton } from '../../shared/ExportButton';
import { PhoneList } from '../../shared/PhoneList';
import { fmtDate } from '../../shared/time';

/** 案件: the procedures of my jurisdiction, newest first. */
export function CasesPage() {
  const { params, page, setFilter: set, setPage } = useUrlFilters();
  const kind = params.get('kind') ?? undefined;
  const status = params.get('status') ?? undefined;
  const phone = !Grid.useBreakpoint().md;
  const q = useQuery({
    queryKey: ['cases', page, kind, status],
    queryFn: () =>
      data(
        registry.GET('/cases', {
          params: { query: { page, pageSize: 20, kind: kind as never, status: status as never } },
        }),
      ),
  });
  return (
    <>
      <Space wrap style={{ marginBottom: 16, justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          案件
        </Typography.Title>
        <Space wrap>
          <Select
            allowClear
            placeholder="程序"
            style={{ width: 140 }}
            value={kind}
            onChange={(v) => set('kind', v)}
            options={Object.entries(KIND_LABELS).map(([value, label]) => ({ value, label }))}
            aria-label="按程序筛选"
          />
          <Select
            allowClear
            placeholder="状态"
            style={{ width: 140 }}
            value={status}
            onChange={(v) => set('status', v)}
            options={Object.entries(CASE_STATUS).map(([value, s]) => ({ value, label: s.label }))}
            aria-label="按状态筛选"
          />
          <ExportButton list="cases" query={{ kind, status }} label="案件" />
        </Space>
      </Space>
      <PageState
        loading={q.isLoading}
        error={q.error}
        retry={() => q.refetch()}
        empty={q.data?.total === 0}
        emptyText="没有案件"
      >
        {phone ? (
          <PhoneList
            items={q.data?.items ?? []}
            testId="case-card"
            page={page}
            pageSize={20}
            total={q.data?.total ?? 0}
            onPage={setPage}
            lines={(c) => [
              <Space key="k" wrap>
                <Link to={`/cases/${c.id}`}>
                  <strong>{KIND_LABELS[c.kind] ?? c.kind}</strong>
                </Link>
                <Tag color={CASE_STATUS[c.status]?.color}>{CASE_STATUS[c.status]?.label ?? c.status}</Tag>
              </Space>,
              `${c.year} 年度 · ${stepLabel(c.step)}`,
              <Typography.Text key="d" type="secondary">
                发起于 {fmtDate(c.createdAt)}
              </Typography.Text>,
            ]}
          />
        ) : (
          <Table<CaseRow>
            rowKey="id"
            scroll={{ x: 700 }}
            dataSource={q.data?.items}
            pagination={{
              current: page,
              pageSize: 20,
              total: q.data?.total,
              showSizeChanger: false,
              onChange: setPage,
            }}
            columns={[
              { title: '程序', render: (_, c) => <Link to={`/cases/${c.id}`}>{KIND_LABELS[c.kind] ?? c.kind}</Link> },
              { title: '年度', dataIndex: 'year' },
              { title: '当前步骤', render: (_, c) => stepLabel(c.step) },
              {
                title: '状态',
                render: (_, c) => (
                  <Tag color={CASE_STATUS[c.status]?.color}>{CASE_STATUS[c.status]?.label ?? c.status}</Tag>
                ),
              },
              { title: '区划', dataIndex: 'regionCode' },
              { title: '发起', render: (_, c) => fmtDate(c.createdAt) },
            ]}
          />
        )}
      </PageState>
    </>
  );
}
