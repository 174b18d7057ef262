import { Card, List, Pagination, Space } from 'antd';
import type { ReactNode } from 'react';

/**
 * Below 768 px a list is cards, one per row, each line of it a fact (no table scrolled sideways at
 * the door); paged like the table it replaces.
 */
export function PhoneList<T extends { id: string }>({
  items,
  lines,
  page,
  pageSize,
  total,
  onPage,
  testId,
}: {
  items: T[];
  lines: (row: T) => ReactNode[];
  page: number;
  pageSize: number;
  total: number;
  onPage: (p: number) => void;
  testId: string;
}) {
  return (
    <>
      <List
        dataSource={items}
        renderItem={(row) => (
          <List.Item style={{ padding: '6px 0', border: 0 }}>
            <Card size="small" style={{ width: '100%' }} data-testid={testId}>
              <Space orientation="vertical" size={2} style={{ width: '100%' }}>
                {lines(row)
                  .filter((l) => l !== null && l !== false && l !== undefined)
                  .map((l, i) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: a card's lines are fixed per render, never reordered
                    <div key={i}>{l}</div>
                  ))}
              </Space>
            </Card>
          </List.Item>
        )}
      />
      <Pagination
        simple
        current={page}
        pageSize={pageSize}
        total={total}
        onChange={onPage}
        style={{ marginTop: 8, textAlign: 'center' }}
      />
    </>
  );
}
