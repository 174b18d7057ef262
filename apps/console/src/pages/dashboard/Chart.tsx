import { BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
import { init, use, type EChartsCoreOption } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

use([BarChart, GridComponent, LegendComponent, MarkLineComponent, TooltipComponent, SVGRenderer]);

/**
 * One ECharts chart; only the parts the dashboard uses are bundled. With `onBar`, a bar opens the
 * list behind it (the chart's figure is that list's count).
 */
export function Chart({
  option,
  height = 280,
  label,
  onBar,
}: {
  option: EChartsCoreOption;
  height?: number;
  label: string;
  onBar?: (bar: { dataIndex: number; seriesIndex: number }) => void;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const click = useRef(onBar);
  click.current = onBar;
  useEffect(() => {
    const chart = init(ref.current!, undefined, { renderer: 'svg' });
    chart.setOption(option);
    chart.on('click', (p) => click.current?.({ dataIndex: p.dataIndex, seriesIndex: p.seriesIndex ?? 0 }));
    // Follow the card's width (the grid settles after the first paint; phones rotate).
    const observer = new ResizeObserver(() => chart.resize());
    observer.observe(ref.current!);
    return () => {
      observer.disconnect();
      chart.dispose();
    };
  }, [option]);
  return (
    <div
      ref={ref}
      style={{ width: '100%', height, cursor: onBar ? 'pointer' : undefined }}
      role="img"
      aria-label={onBar ? `${label} (点击柱条查看名单)` : label}
    />
  );
}
