import { DownloadOutlined } from '@ant-design/icons';
import { Button, message } from 'antd';
import { useState } from 'react';
import { openFile } from './openBlob';
import { errorText } from './PageState';

/** 导出 XLSX: the list as filtered (the server applies the same filters, jurisdiction and masking). */
export function ExportButton({
  list,
  query,
  label,
}: {
  list: 'households' | 'cases' | 'tasks';
  query: Record<string, string | number | undefined>;
  label: string;
}) {
  const [busy, setBusy] = useState(false);
  const params = new URLSearchParams(
    Object.entries(query)
      .filter(([, v]) => v !== undefined && v !== '')
      .map(([k, v]) => [k, String(v)]),
  );
  const run = async () => {
    setBusy(true);
    try {
      await openFile(
        `/api/registry/exports/${list}.xlsx${params.size ? `?${params}` : ''}`,
        `${label}-${new Date().toISOString().slice(0, 10)}.xlsx`,
        true,
      );
    } catch (e) {
      void message.error(`导出失败: ${errorText(e)}`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Button icon={<DownloadOutlined />} loading={busy} onClick={() => void run()} data-testid={`export-${list}`}>
      导出 XLSX
    </Button>
  );
}
