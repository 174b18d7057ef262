import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { List, Typography } from 'antd';
import { data, notifications } from '../api/http';
import { PageState } from '../shared/PageState';
import { fmtDateTime } from '../shared/time';

/** The latest notifications; opening one marks it read. */
export function NotificationList() {
  const qc = useQueryClient();
  const q = useQuery({
    queryKey: ['notifications', 'list'],
    queryFn: () => data(notifications.GET('/notifications', { params: { query: { page: 1, pageSize: 10 } } })),
  });
  const read = useMutation({
    mutationFn: (id: string) => data(notifications.POST('/notifications/{id}/read', { params: { path: { id } } })),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['notifications'] }),
  });
  return (
    <div style={{ width: 320, maxHeight: 400, overflow: 'auto' }}>
      <PageState loading={q.isLoading} error={q.error} empty={q.data?.items.length === 0} emptyText="暂无通知">
        <List
          size="small"
          dataSource={q.data?.items ?? []}
          renderItem={(n) => (
            <List.Item
              onClick={() => !n.readAt && read.mutate(n.id)}
              style={{ cursor: 'pointer', opacity: n.readAt ? 0.6 : 1 }}
            >
              <List.Item.Meta
                title={n.title}
                description={
                  <Typography.Text type="secondary">
                    {fmtDateTime(n.createdAt)} · {n.body}
                  </Typography.Text>
                }
              />
            </List.Item>
          )}
        />
      </PageState>
    </div>
  );
}
