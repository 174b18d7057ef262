import { useRegisterSW } from 'virtual:pwa-register/react';

/**
 * A new version of the console is offered, never forced (#24): the service worker waits until the
 * user chooses 更新, so a form being filled in a village is never reloaded under the user's hands.
 * Plain elements, not antd; loaded after the page (App.tsx lazy), so workbox-window is not in the first load.
 */
export default function AppUpdate() {
  const {
    needRefresh: [needRefresh, setNeedRefresh],
    updateServiceWorker,
  } = useRegisterSW({ immediate: true });
  if (!needRefresh) return null;
  return (
    <div
      role="status"
      data-testid="app-update"
      style={{
        position: 'fixed',
        left: 8,
        right: 8,
        bottom: 8,
        zIndex: 2000,
        maxWidth: 480,
        margin: '0 auto',
        background: '#fff',
        border: '1px solid #d9d9d9',
        borderRadius: 8,
        boxShadow: '0 4px 12px rgba(0,0,0,0.15)',
        padding: '10px 12px',
        display: 'flex',
        alignItems: 'center',
        gap: 8,
      }}
    >
      <span style={{ flex: 1 }}>精准有新版本。填写中的表单请先提交, 再更新。</span>
      <button type="button" onClick={() => setNeedRefresh(false)}>
        稍后
      </button>
      <button
        type="button"
        onClick={() => void updateServiceWorker(true)}
        style={{ background: '#b7202e', color: '#fff', border: 0, borderRadius: 4, padding: '4px 12px' }}
      >
        更新
      </button>
    </div>
  );
}
