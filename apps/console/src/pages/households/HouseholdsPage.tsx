import { useQuery } from '@tanstack/react-query';
import { Grid, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { Link } from 'react-router';
import { useUrlFilters } from '../../shared/useUrlFilters';
import { data, registry } from '../../api/http';
import type { HouseholdRow } from '../../api/views';
import { HOUSEHOLD_STATUS } from '../../shared/labels';
import { PageState } from '../../shared/PageState';
import { ExportButton } from '../../shared/ExportButton';
import { PhoneList } from '../../shared/PhoneList';

/** 农户: search by household number, head's name or ID number, village and status. */
export function HouseholdsPage() {
  const { params, page, setFilter: set, setPage } = useUrlFilters();
  const query = {
    q: params.get('q') ?? undefined,
    status: (params.get('status') ?? undefined) as never,
    regionCode: params.get('region') ?? undefined,
  };
  const phone = !Grid.useBreakpoint().md;
  const q = useQuery({
    queryKey: ['households', page, query],
    queryFn: () => data(registry.GET('/households', { params: { query: { page, pageSize: 20, ...query } } })),
  });
  return (
    <>
      <Space wrap style={{ marginBottom: 16, justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          农户
        </Typography.Title>
        <Space wrap>
          <Input.Search
            allowClear
            placeholder="户编号 / 户主姓名 / 身份证号"
            defaultValue={query.q}
            onSearch={(v) => set('q', v.trim() || undefined)}
            style={{ width: 260 }}
            aria-label="搜索农户"
          />
          <Input
            allowClear
            placeholder="行政村代码 (12位)"
            defaultValue={query.regionCode}
            onPressEnter={(e) => set('region', (e.target as HTMLInputElement).value.trim() || undefined)}
            style={{ width: 180 }}
            aria-label="行政村代码"
          />
          <Select
            allowClear
            placeholder="状态"
            style={{ width: 120 }}
            value={query.status}
            onChange={(v) => set('status', v)}
            options={Object.entries(HOUSEHOLD_STATUS).map(([value, s]) => ({ value, label: s.label }))}
            aria-label="按状态筛选"
          />
          <ExportButton list="households" query={query} label="农户" />
        </Space>
      </Space>
      <PageState
        loading={q.isLoading}
        error={q.error}
        retry={() => q.refetch()}
        empty={q.data?.total === 0}
        emptyText="没有符合条件的农户"
      >
        {phone ? (
          <PhoneList
            items={q.data?.items ?? []}
            testId="household-card"
            page={page}
            pageSize={20}
            total={q.data?.total ?? 0}
            onPage={setPage}
            lines={(h) => [
              <Space key="h" wrap>
                <Link to={`/households/${h.id}`}>
                  <strong>
                    {h.headName} · {h.number}
                  </strong>
                </Link>
                <Tag color={HOUSEHOLD_STATUS[h.status]?.color}>{HOUSEHOLD_STATUS[h.status]?.label ?? h.status}</Tag>
              </Space>,
              `${h.townshipName ?? ''} ${h.villageName ?? h.villageCode}`,
              <Typography.Text key="p" type="secondary">
                {h.memberCount} 人 · 人均纯收入 {h.netIncomePerHead === null ? '—' : `${h.netIncomePerHead} 元`}
              </Typography.Text>,
            ]}
          />
        ) : (
          <Table<HouseholdRow>
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
              { title: '户编号', render: (_, h) => <Link to={`/households/${h.id}`}>{h.number}</Link> },
              { title: '户主', dataIndex: 'headName' },
              { title: '人口', dataIndex: 'memberCount' },
              {
                title: '状态',
                render: (_, h) => (
                  <Tag color={HOUSEHOLD_STATUS[h.status]?.color}>{HOUSEHOLD_STATUS[h.status]?.label ?? h.status}</Tag>
                ),
              },
              {
                title: '人均纯收入',
                render: (_, h) => (h.netIncomePerHead === null ? '—' : `${h.netIncomePerHead} 元`),
              },
              { title: '乡镇', render: (_, h) => h.townshipName ?? '—' },
              {
                title: '行政村',
                render: (_, h) => <span title={h.villageCode}>{h.villageName ?? h.villageCode}</span>,
              },
            ]}
          />
        )}
      </PageState>
    </>
  );
}
