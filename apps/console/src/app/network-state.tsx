import { useEffect, useState } from 'react';

/** Whether the phone has a network now: the header says 离线 when it has none. */
export function useOnline(): boolean {
  const [online, setOnline] = useState(() => navigator.onLine);
  useEffect(() => {
    const on = () => setOnline(true);
    const off = () => setOnline(false);
    window.addEventListener('online', on);
    window.addEventListener('offline', off);
    return () => {
      window.removeEventListener('online', on);
      window.removeEventListener('offline', off);
    };
  }, []);
  return online;
}

export function NetworkState() {
  const online = useOnline();
  if (online) return null;
  return (
    <span
      role="status"
      data-testid="offline"
      style={{
        background: '#fff1f0',
        color: '#a8071a',
        border: '1px solid #ffa39e',
        borderRadius: 4,
        padding: '0 6px',
      }}
    >
      离线
    </span>
  );
}
