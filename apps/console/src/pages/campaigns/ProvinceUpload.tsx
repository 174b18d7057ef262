import { Button, message, Upload } from 'antd';
import { session } from '../../auth/session';

/**
 * 导入省级反馈问题: the county uploads the province's problem list (XLSX: 户编号, 问题, 问题描述); the
 * registry routes each row to its township as a problem item and answers the rows it refused.
 */
export function ProvinceUpload({
  campaignId,
  onImported,
}: {
  campaignId: string;
  onImported: (note: string) => Promise<void>;
}) {
  return (
    <Upload
      accept=".xlsx"
      showUploadList={false}
      customRequest={async ({ file, onSuccess, onError }) => {
        const form = new FormData();
        form.append('file', file as Blob);
        const res = await fetch(`/api/registry/campaigns/${campaignId}/province-problems`, {
          method: 'POST',
          body: form,
          headers: { authorization: `Bearer ${session.token() ?? ''}` },
        });
        const body = await res.json().catch(() => null);
        if (res.ok) {
          onSuccess?.(body);
          await onImported(
            `已导入省级反馈问题 ${body.imported} 条${body.errors.length ? `, ${body.errors.length} 行有误` : ''}`,
          );
        } else {
          onError?.(new Error(body?.error?.message ?? String(res.status)));
          message.error(body?.error?.message ?? `导入失败 (${res.status})`);
        }
      }}
    >
      <Button>导入省级反馈问题 (XLSX)</Button>
    </Upload>
  );
}
