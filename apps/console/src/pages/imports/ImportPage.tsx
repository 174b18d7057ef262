import { InboxOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Collapse, Descriptions, Progress, Space, Table, Tag, Typography, Upload, message } from 'antd';
import { useState } from 'react';
import { ApiError } from '../../api/http';
import { data, registry } from '../../api/http';
import { session } from '../../auth/session';
import { openFile } from '../../shared/openBlob';
import { errorText } from '../../shared/PageState';

/** 数据导入: upload the national form's CSV/XLSX; progress; the per-row error table and report. */
export function ImportPage() {
  const [jobId, setJobId] = useState<string | null>(null);
  const [upload, setUpload] = useState<{ percent: number; error?: unknown } | null>(null);
  const job = useQuery({
    queryKey: ['import', jobId],
    enabled: !!jobId,
    queryFn: () => data(registry.GET('/imports/{id}', { params: { path: { id: jobId! } } })),
    refetchInterval: (q) => (q.state.data?.status === 'RUNNING' ? 500 : false),
  });
  const j = job.data;
  // The columns the import reads (the registry's own list): shown and downloadable as a template before the first upload.
  const columns = useQuery({
    queryKey: ['import-columns'],
    queryFn: () => data(registry.GET('/imports/columns')),
    staleTime: Infinity,
  });
  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Space wrap style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          数据导入
        </Typography.Title>
        <Button
          onClick={() =>
            openFile('/api/registry/imports/template.xlsx', '农户导入模板.xlsx', true).catch((e) =>
              message.error(errorText(e)),
            )
          }
          data-testid="import-template"
        >
          下载导入模板
        </Button>
      </Space>
      <Collapse
        items={[
          {
            key: 'columns',
            label: `导入列说明 (${columns.data?.length ?? '…'} 列; 每人一行, 户主行开始一户)`,
            children: columns.error ? (
              <Alert type="error" showIcon title={errorText(columns.error)} />
            ) : (
              <Table
                rowKey="key"
                size="small"
                loading={columns.isLoading}
                pagination={false}
                scroll={{ x: 640 }}
                dataSource={columns.data}
                data-testid="import-columns"
                columns={[
                  { title: '列名', dataIndex: 'header' },
                  {
                    title: '必填',
                    render: (_, c) =>
                      c.required === 'person' ? (
                        <Tag color="#a8071a">每行必填</Tag>
                      ) : c.required === 'head' ? (
                        <Tag color="#ad4e00">户主行必填</Tag>
                      ) : (
                        ''
                      ),
                  },
                  {
                    title: '说明 / 可填的值',
                    render: (_, c) => [c.note, c.values.length ? c.values.join('、') : null].filter(Boolean).join('; '),
                  },
                ]}
              />
            ),
          },
        ]}
      />
      <Upload.Dragger
        accept=".csv,.xlsx"
        showUploadList={false}
        customRequest={({ file, onProgress, onSuccess, onError }) => {
          // XHR for upload progress; the same origin and token as every other call.
          const body = new FormData();
          body.append('file', file as Blob);
          const xhr = new XMLHttpRequest();
          xhr.open('POST', '/api/registry/imports/households');
          xhr.setRequestHeader('authorization', `Bearer ${session.token()}`);
          xhr.upload.onprogress = (e) => {
            const percent = e.total ? Math.round((e.loaded / e.total) * 100) : 0;
            setUpload({ percent });
            onProgress?.({ percent });
          };
          xhr.onload = () => {
            const res = JSON.parse(xhr.responseText || '{}');
            if (xhr.status >= 400) {
              const err = new ApiError(
                xhr.status,
                res.error?.code ?? 'HTTP',
                res.error?.message ?? `上传失败 (${xhr.status})`,
              );
              setUpload({ percent: 100, error: err });
              onError?.(err);
            } else {
              setUpload({ percent: 100 });
              setJobId(res.id);
              onSuccess?.(res);
            }
          };
          xhr.onerror = () => setUpload({ percent: 0, error: new Error('网络错误, 上传失败') });
          setUpload({ percent: 0 });
          xhr.send(body);
        }}
        data-testid="import-upload"
      >
        <p className="ant-upload-drag-icon">
          <InboxOutlined />
        </p>
        <p>点击或拖入 CSV / XLSX 文件 (全国扶贫开发信息系统登记表格式)</p>
        <p className="ant-upload-hint">每行都会检查; 有错误的户整户不导入, 其余照常导入, 并给出逐行错误报告。</p>
      </Upload.Dragger>
      {upload && !jobId && !upload.error && <Progress percent={upload.percent} status="active" aria-label="上传进度" />}
      {upload?.error !== undefined && <Alert type="error" showIcon title={errorText(upload.error)} />}
      {job.error && <Alert type="error" showIcon title={errorText(job.error)} />}
      {j && (
        <>
          <Progress
            aria-label="导入进度"
            percent={Math.round(j.progress * 100)}
            status={j.status === 'RUNNING' ? 'active' : j.errorRows ? 'exception' : 'success'}
            data-testid="import-progress"
          />
          <Descriptions bordered size="small" column={{ xs: 1, md: 4 }}>
            <Descriptions.Item label="文件">{j.fileName}</Descriptions.Item>
            <Descriptions.Item label="状态">{j.status === 'RUNNING' ? '导入中' : '已完成'}</Descriptions.Item>
            <Descriptions.Item label="成功行">{j.okRows}</Descriptions.Item>
            <Descriptions.Item label="错误行">
              <span data-testid="import-error-rows">{j.errorRows}</span>
            </Descriptions.Item>
          </Descriptions>
          {j.errors.length > 0 && (
            <>
              <Button
                onClick={() =>
                  openFile(`/api/registry/imports/${j.id}/errors.xlsx`, `导入错误报告-${j.fileName}.xlsx`, true).catch(
                    (e) => message.error(errorText(e)),
                  )
                }
                data-testid="error-report"
              >
                下载错误报告
              </Button>
              <Table
                rowKey={(e) => `${e.row}-${e.column}-${e.reason}`}
                size="small"
                dataSource={j.errors}
                pagination={{ pageSize: 20 }}
                columns={[
                  { title: '行', dataIndex: 'row' },
                  { title: '列', dataIndex: 'column' },
                  { title: '错误', dataIndex: 'reason' },
                ]}
                data-testid="import-errors"
              />
            </>
          )}
        </>
      )}
    </Space>
  );
}
