import { Spin } from 'antd';
import { useEffect, useState, type ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { session } from './session';
import { useSessionUser } from './useSession';

/**
 * The signed-in pages: without a session here, the console's open tabs are asked for theirs first
 * (a new tab, a pasted link), else the login page, which comes back to this page after sign-in.
 */
export function RequireSession({ children }: { children: ReactNode }) {
  const user = useSessionUser();
  const location = useLocation();
  const [asked, setAsked] = useState(false);
  useEffect(() => {
    if (!user && !asked) void session.fromOtherTabs().then(() => setAsked(true));
  }, [user, asked]);
  if (user) return <>{children}</>;
  if (!asked) return <Spin size="large" style={{ display: 'block', margin: 80 }} aria-label="正在恢复登录" />;
  return <Navigate to={`/login?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
}
