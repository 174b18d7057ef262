import { Button, Result } from 'antd';
import { Component, type ReactNode } from 'react';
import { errorText } from '../shared/PageState';

/** A page that fails to render shows an error state with a way back, never a blank screen. */
export class PageErrorBoundary extends Component<{ children: ReactNode }, { error: Error | null }> {
  state = { error: null as Error | null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  render() {
    if (this.state.error) {
      return <Result status="error" title="页面出错了" subTitle={errorText(this.state.error)} extra={<Button onClick={() => location.reload()}>重新加载</Button>} />;
    }
    return this.props.children;
  }
}
