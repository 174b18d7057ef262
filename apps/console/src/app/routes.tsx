import { Spin } from 'antd';
import { Suspense, type ReactNode } from 'react';
import { createBrowserRouter, Navigate } from 'react-router';
import { RequireSession } from '../auth/RequireSession';
import { useSessionUser } from '../auth/useSession';
import { ForbiddenPage, NotFoundPage } from '../pages/errors/ErrorPages';

import { AppLayout } from './AppLayout';
import type { Role } from '../auth/session';
import { homeOf } from './menu';
import { Callback, Login, ROUTES } from './routeTable';

/** A route for the roles the route table gives it; others see the 403 page, never a broken screen. */
function Guard({ roles, children }: { roles: readonly Role[]; children: ReactNode }) {
  const user = useSessionUser();
  if (!user) return <RequireSession>{null}</RequireSession>;
  if (!roles.includes(user.role)) return <ForbiddenPage />;
  return <Suspense fallback={<Spin size="large" style={{ display: 'block', margin: 80 }} />}>{children}</Suspense>;
}

function Home() {
  const user = useSessionUser();
  return <Navigate to={user ? homeOf(user.role) : '/login'} replace />;
}

export const router = createBrowserRouter([
  {
    path: '/login',
    element: (
      <Suspense fallback={<Spin size="large" style={{ display: 'block', margin: 80 }} />}>
        <Login />
      </Suspense>
    ),
  },
  {
    path: '/auth/callback',
    element: (
      <Suspense fallback={<Spin size="large" style={{ display: 'block', margin: 80 }} />}>
        <Callback />
      </Suspense>
    ),
  },
  {
    path: '/',
    element: <AppLayout />,
    children: [
      { index: true, element: <Home /> },
      ...ROUTES.map(({ path, roles, Page }) => ({
        path,
        element: (
          <Guard roles={roles}>
            <Page />
          </Guard>
        ),
      })),
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);
