import { CameraOutlined, DeleteOutlined } from '@ant-design/icons';
import { PHOTO_LABELS, PHOTO_MAX_BYTES, PHOTO_MAX_PER_RECORD } from '@jingzhun/domain/src/offline-policy';
import { Alert, Button, Select, Space, Typography } from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { OutboxPhoto } from './field-db';

/**
 * A photo made small enough to send on a weak link: JPEG, the longer side at most 1600 px, the quality
 * lowered (then the size) until it is under PHOTO_MAX_BYTES (500 kB).
 */
export async function compressPhoto(file: Blob): Promise<Blob> {
  const bitmap = await createImageBitmap(file);
  let scale = Math.min(1, 1600 / Math.max(bitmap.width, bitmap.height));
  for (let quality = 0.8; ; ) {
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.round(bitmap.width * scale));
    canvas.height = Math.max(1, Math.round(bitmap.height * scale));
    const ctx = canvas.getContext('2d')!;
    // White under a transparent PNG: JPEG has no alpha.
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    const blob = await new Promise<Blob | null>((r) => canvas.toBlob(r, 'image/jpeg', quality));
    if (!blob) throw new Error('照片无法处理');
    if (blob.size <= PHOTO_MAX_BYTES) return blob;
    if (quality > 0.45) quality -= 0.15;
    else scale *= 0.75;
  }
}

function Thumb({ photo, onRemove }: { photo: OutboxPhoto; onRemove: () => void }) {
  const url = useMemo(() => URL.createObjectURL(photo.blob), [photo.blob]);
  useEffect(() => () => URL.revokeObjectURL(url), [url]);
  return (
    <Space orientation="vertical" size={2} style={{ width: 96 }} data-testid="photo-thumb">
      <img src={url} alt={photo.label} style={{ width: 96, height: 96, objectFit: 'cover', borderRadius: 4 }} />
      <Typography.Text style={{ fontSize: 12 }}>
        {photo.label} · {Math.ceil(photo.blob.size / 1024)} kB
      </Typography.Text>
      <Button size="small" icon={<DeleteOutlined />} onClick={onRemove} aria-label={`删除照片 ${photo.label}`}>
        删除
      </Button>
    </Space>
  );
}

/**
 * 拍照留证: the signed acknowledgement and the documents seen, from the phone's camera (or its
 * gallery), compressed on the phone, kept with the record in the outbox until sent.
 */
export function PhotoPicker({ value, onChange }: { value: OutboxPhoto[]; onChange: (v: OutboxPhoto[]) => void }) {
  const input = useRef<HTMLInputElement>(null);
  const [label, setLabel] = useState<string>(PHOTO_LABELS[0]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const add = async (files: FileList | null) => {
    if (!files?.length) return;
    setBusy(true);
    setError(null);
    try {
      const added: OutboxPhoto[] = [];
      for (const f of Array.from(files).slice(0, PHOTO_MAX_PER_RECORD - value.length)) {
        if (!f.type.startsWith('image/')) throw new Error(`${f.name} 不是图片`);
        added.push({ id: crypto.randomUUID(), label, blob: await compressPhoto(f) });
      }
      onChange([...value, ...added]);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
      if (input.current) input.current.value = '';
    }
  };
  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid="photo-picker">
      <Space wrap>
        <Select
          value={label}
          onChange={setLabel}
          options={PHOTO_LABELS.map((l) => ({ value: l, label: l }))}
          style={{ width: 120 }}
          aria-label="照片内容"
        />
        <Button
          icon={<CameraOutlined />}
          loading={busy}
          disabled={value.length >= PHOTO_MAX_PER_RECORD}
          onClick={() => input.current?.click()}
        >
          拍照留证
        </Button>
        <input
          ref={input}
          type="file"
          accept="image/*"
          capture="environment"
          multiple
          style={{ display: 'none' }}
          data-testid="photo-input"
          aria-label="拍照或选择照片"
          onChange={(e) => void add(e.target.files)}
        />
      </Space>
      {error && <Alert type="error" showIcon title={error} />}
      {value.length > 0 && (
        <Space wrap>
          {value.map((p) => (
            <Thumb key={p.id} photo={p} onRemove={() => onChange(value.filter((x) => x.id !== p.id))} />
          ))}
        </Space>
      )}
    </Space>
  );
}
