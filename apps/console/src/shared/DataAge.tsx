import { Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useOnline } from '../app/network-state';
import { fmtDateTime } from './time';

/** How old the data on screen is, and whether it is the phone's copy (offline) or fresh from the registry (#24). */
export function DataAge({ at }: { at: number }) {
  const online = useOnline();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(t);
  }, []);
  if (!at) return null;
  const minutes = Math.max(0, Math.round((now - at) / 60_000));
  const age = minutes < 1 ? '刚刚' : minutes < 60 ? `${minutes} 分钟前` : fmtDateTime(new Date(at).toISOString());
  return (
    <Typography.Text
      type="secondary"
      data-testid="data-age"
      style={{ fontSize: 12, ...(online ? {} : { color: '#873800' }) }}
    >
      {online ? `数据更新于 ${age}` : `离线: 显示手机上保存的数据 (更新于 ${age})`}
    </Typography.Text>
  );
}
