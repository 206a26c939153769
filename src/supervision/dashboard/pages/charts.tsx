import { useId } from 'react';

/**
 * A horizontal bar chart drawn on the server as SVG: no script, scales with the page, readable in
 * high contrast (forced colours: the stylesheet draws bars in system colours). role="img" named by
 * its <title> (aria-labelledby) and described by its <desc> (aria-describedby); the table that
 * follows it on the page carries the same figures.
 */
export function BarChart({ title, description, bars, noData }: { title: string; description: string; bars: { label: string; value: number | null }[]; noData: string }) {
  const id = useId().replace(/[^a-zA-Z0-9_-]/g, '');
  const rowHeight = 26;
  const labelWidth = 220;
  const barWidth = 360;
  const height = bars.length * rowHeight + 10;
  const width = labelWidth + barWidth + 70;
  return (
    <svg className="bar-chart" role="img" aria-labelledby={`${id}-title`} aria-describedby={`${id}-desc`} viewBox={`0 0 ${width} ${height}`} width="100%" style={{ maxWidth: `${width}px` }}>
      <title id={`${id}-title`}>{title}</title>
      <desc id={`${id}-desc`}>{description}</desc>
      {bars.map((bar, index) => {
        const y = 5 + index * rowHeight;
        const length = bar.value === null ? 0 : Math.max(1, Math.round(bar.value * barWidth));
        const label = bar.label.length > 16 ? `${bar.label.slice(0, 15)}…` : bar.label;
        return (
          <g key={index}>
            <text x={labelWidth - 8} y={y + 16} textAnchor="end" fontSize="13" fill="#0b0c0c">
              {label}
            </text>
            <rect className="bar-chart__track" x={labelWidth} y={y + 3} width={barWidth} height={rowHeight - 8} fill="#f3f2f1" />
            {bar.value === null ? null : <rect className="bar-chart__bar" x={labelWidth} y={y + 3} width={length} height={rowHeight - 8} fill="#1d70b8" />}
            <text x={labelWidth + barWidth + 6} y={y + 16} fontSize="13" fill="#0b0c0c">
              {bar.value === null ? noData : `${(bar.value * 100).toFixed(1)}%`}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
