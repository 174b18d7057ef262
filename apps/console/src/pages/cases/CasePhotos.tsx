import { useQuery } from '@tanstack/react-query';
import { Card, Image, Space, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { data, download, registry } from '../../api/http';
import type { CasePhoto } from '../../api/views';
import { fmtDateTime } from '../../shared/time';

/** One photo, fetched with the user's token (an <img src> would carry none) and shown from memory. */
function PhotoImage({ photo, size }: { photo: CasePhoto; size: number }) {
  const [url, setUrl] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let made: string | null = null;
    download(`/api/registry/photos/${photo.id}`).then(
      (blob) => {
        made = URL.createObjectURL(blob);
        setUrl(made);
      },
      () => setFailed(true),
    );
    return () => {
      if (made) URL.revokeObjectURL(made);
    };
  }, [photo.id]);
  if (failed) return <Typography.Text type="secondary">照片加载失败</Typography.Text>;
  if (!url) return <div style={{ width: size, height: size, background: '#f5f5f5' }} aria-busy="true" />;
  return <Image src={url} width={size} height={size} style={{ objectFit: 'cover' }} alt={photo.label} />;
}

/**
 * 照片 (#24): the photos recorded with the case's visits and verifications, with what each shows and
 * when it was taken; served only to who may read the household, never on a notice.
 */
export function CasePhotos({ caseId, compact }: { caseId: string; compact?: boolean }) {
  const q = useQuery({
    queryKey: ['case-photos', caseId],
    queryFn: () => data(registry.GET('/cases/{id}/photos', { params: { path: { id: caseId } } })),
  });
  if (q.isLoading) return <Card size="small" loading title="照片" />;
  if (q.error) return <Typography.Text type="secondary">照片暂不可用</Typography.Text>;
  const photos = q.data ?? [];
  if (photos.length === 0)
    return compact ? null : (
      <Card size="small" title="照片">
        暂无照片
      </Card>
    );
  const size = compact ? 72 : 120;
  return (
    <Card size="small" title={`照片 (${photos.length})`} data-testid="case-photos" style={{ marginBottom: 16 }}>
      <Image.PreviewGroup>
        <Space wrap>
          {photos.map((p) => (
            <Space key={p.id} orientation="vertical" size={2} data-testid="case-photo">
              <PhotoImage photo={p} size={size} />
              <Typography.Text style={{ fontSize: 12 }}>{p.label}</Typography.Text>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {fmtDateTime(p.takenAt)}
              </Typography.Text>
            </Space>
          ))}
        </Space>
      </Image.PreviewGroup>
    </Card>
  );
}
