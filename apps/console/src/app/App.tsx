import { QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { ConfigProvider } from 'antd';
// antd 6 zero-runtime: components' styles come from this prebuilt stylesheet, not from style generation on every first render.
import 'antd/dist/antd.css';
import zhCN from 'antd/locale/zh_CN';
import { lazy, Suspense } from 'react';
import { RouterProvider } from 'react-router';
import { ApiError } from '../api/http';
import '../shared/time';
import { inboxQuery } from '../pages/inbox/inboxQuery';
import { session } from '../auth/session';
import { preloadCurrentPage } from './routeTable';
import { router } from './routes';

/** The new-version offer (#24), in a chunk of its own: the service worker's client is not in the first load. */
const AppUpdate = lazy(() => import('./pwa-update'));

const queryClient = new QueryClient({
  queryCache: new QueryCache(),
  defaultOptions: {
    queries: {
      staleTime: 10_000,
      // 4xx answers are final: retrying a 403 only delays the message.
      retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
    },
  },
});

// Boot: the page's code and, on the inbox, its first request start now, in parallel with the layout.
preloadCurrentPage(location.pathname);
if (location.pathname === '/inbox' && session.token())
  void queryClient.prefetchQuery(inboxQuery(new URLSearchParams(location.search)));

// Field work (#24), in a chunk of its own (not in the first load): the day's data back from the phone, kept as it
// changes, refreshed while online; the outbox sends what waits.
void Promise.all([import('../offline/day-cache'), import('../offline/outbox')]).then(
  ([{ keepDay, prefetchDay, restoreDay }, { onSent, startOutbox }]) => {
    const day = async () => {
      const restoredAt = await restoreDay(queryClient).catch(() => null);
      await prefetchDay(queryClient, restoredAt).catch(() => undefined);
    };
    keepDay(queryClient);
    void day();
    session.subscribe(() => void day());
    window.addEventListener('online', () => void prefetchDay(queryClient).catch(() => undefined));
    // A record sent from the outbox: its task is done and its case moved; the pages read them again.
    onSent(() => {
      for (const key of ['tasks', 'case', 'case-evidence', 'case-photos', 'household'])
        void queryClient.invalidateQueries({ queryKey: [key] });
    });
    startOutbox();
  },
);

export function App() {
  return (
    <ConfigProvider
      locale={zhCN}
      // "办理", not "办 理": buttons read as the words they are (screen readers, tests, copy-paste).
      button={{ autoInsertSpace: false }}
      theme={{
        zeroRuntime: true,
        // Text colours darker than antd's defaults: at least 4.5:1 contrast on white (WCAG AA, checked by axe).
        token: {
          colorPrimary: '#b7202e',
          colorLink: '#0958d9',
          colorError: '#cf1322',
          colorTextSecondary: 'rgba(0, 0, 0, 0.65)',
          colorTextDescription: 'rgba(0, 0, 0, 0.62)',
          colorTextTertiary: 'rgba(0, 0, 0, 0.62)',
          colorTextPlaceholder: 'rgba(0, 0, 0, 0.58)',
        },
      }}
    >
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={router} />
        <Suspense fallback={null}>
          <AppUpdate />
        </Suspense>
      </QueryClientProvider>
    </ConfigProvider>
  );
}
