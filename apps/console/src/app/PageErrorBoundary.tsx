import { CloseCircleFilled } from '@ant-design/icons';
import { Button } from 'antd';
import { Component, type ReactNode } from 'react';
import { errorText } from '../shared/errorText';

/**
 * A page that fails to render shows an error state with a way back, never a blank screen. Plain
 * parts only: it is in every page's first load (antd's Result would bring its illustrations along).
 */
export class PageErrorBoundary extends Component<{ children: ReactNode }, { error: Error | null }> {
  state = { error: null as Error | null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  render() {
    if (this.state.error) {
      return (
        <div
          role="alert"
          style={{
            display: 'flex',
            flexDirection: 'column',
            alignItems: 'center',
            gap: 12,
            padding: '48px 0',
            textAlign: 'center',
          }}
        >
          <CloseCircleFilled style={{ fontSize: 56, color: '#cf1322' }} aria-hidden />
          <h3 style={{ margin: 0, fontSize: 24, fontWeight: 600 }}>页面出错了</h3>
          <span style={{ color: 'rgba(0,0,0,0.65)' }}>{errorText(this.state.error)}</span>
          <Button type="primary" onClick={() => location.reload()}>
            重新加载
          </Button>
        </div>
      );
    }
    return this.props.children;
  }
}
