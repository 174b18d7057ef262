import { Button, Result } from 'antd';
import { useNavigate } from 'react-router';

export function ForbiddenPage({ reason }: { reason?: string }) {
  const navigate = useNavigate();
  return (
    <Result
      status="403"
      title="403 无权访问"
      subTitle={reason ?? '您的角色或管辖范围不能打开此页面。'}
      extra={<Button onClick={() => navigate('/')}>返回首页</Button>}
    />
  );
}

export function NotFoundPage() {
  const navigate = useNavigate();
  return <Result status="404" title="页面不存在" extra={<Button onClick={() => navigate('/')}>返回首页</Button>} />;
}
