import { Alert, Button, Empty, Result, Skeleton } from 'antd';
import type { ReactNode } from 'react';
import { ApiError } from '../api/http';
import { errorText } from './errorText';

interface Props {
  loading: boolean;
  error: unknown;
  empty?: boolean;
  emptyText?: string;
  retry?: () => void;
  children: ReactNode;
}

/** Every screen's three other states: loading, empty and error (with the API's reason). */
export function PageState({ loading, error, empty, emptyText, retry, children }: Props) {
  if (loading) return <Skeleton active paragraph={{ rows: 6 }} data-testid="loading" />;
  if (error) {
    if (error instanceof ApiError && error.status === 403)
      return <Result status="403" title="无权访问" subTitle={error.message} />;
    if (error instanceof ApiError && error.status === 404)
      return <Result status="404" title="未找到" subTitle={error.message} />;
    return (
      <Alert
        type="error"
        showIcon
        title="加载失败"
        description={errorText(error)}
        action={retry ? <Button onClick={retry}>重试</Button> : undefined}
      />
    );
  }
  if (empty) return <Empty description={emptyText ?? '暂无数据'} />;
  return <>{children}</>;
}

export { errorText };
