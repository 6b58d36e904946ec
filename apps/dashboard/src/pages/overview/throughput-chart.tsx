import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip, type ChartData } from 'chart.js';
import { useEffect, useRef } from 'preact/hooks';
import type { ThroughputMinute } from '@taskforge/client';
import { formatCount } from '../../lib/format';
import { throughputTotals } from './overview-figures';

// Only what a stacked bar chart uses, so the bundle carries no other chart types or scales.
Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

type Series = 'completed' | 'failed';
const SERIES: ReadonlyArray<{ key: Series; label: string; color: string }> = [
  { key: 'completed', label: 'Completed', color: '--ok' },
  { key: 'failed', label: 'Failed for good', color: '--danger' },
];

function cssColor(variable: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(variable).trim() || '#888';
}

function hourMinute(iso: string): string {
  return new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
}

function chartData(minutes: readonly ThroughputMinute[]): ChartData<'bar', number[], string> {
  return {
    labels: minutes.map((entry) => hourMinute(entry.minute)),
    datasets: SERIES.map((series) => ({
      label: series.label,
      data: minutes.map((entry) => entry[series.key]),
      backgroundColor: cssColor(series.color),
      stack: 'finished',
    })),
  };
}

/**
 * Completed and failed-for-good tasks per minute, stacked. The chart is built once and its
 * data swapped on each poll (no animation), so a refresh neither flickers nor leaks canvases.
 * Screen readers get the totals from the canvas's label; the same sentence is printed below.
 */
export function ThroughputChart({ minutes }: { minutes: readonly ThroughputMinute[] }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const chart = useRef<Chart<'bar', number[], string> | null>(null);

  useEffect(() => {
    const muted = cssColor('--muted');
    const grid = cssColor('--border');
    chart.current = new Chart<'bar', number[], string>(canvas.current!, {
      type: 'bar',
      data: chartData([]),
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        interaction: { mode: 'index', intersect: false },
        scales: {
          x: { stacked: true, ticks: { color: muted, maxRotation: 0, autoSkip: true, maxTicksLimit: 8 }, grid: { display: false } },
          y: { stacked: true, beginAtZero: true, ticks: { color: muted, precision: 0 }, grid: { color: grid } },
        },
        plugins: { legend: { labels: { color: muted } } },
      },
    });
    return () => chart.current?.destroy();
  }, []);

  useEffect(() => {
    const current = chart.current;
    if (!current) return;
    const next = chartData(minutes);
    current.data.labels = next.labels;
    next.datasets.forEach((dataset, i) => {
      current.data.datasets[i]!.data = dataset.data;
    });
    current.update('none');
  }, [minutes]);

  const totals = throughputTotals(minutes);
  const summary =
    `Over the last ${minutes.length} minutes: ${formatCount(totals.completed)} completed, ` +
    `${formatCount(totals.failed)} failed for good; busiest minute ${formatCount(totals.peak)}.`;
  return (
    <figure class="throughput">
      <div class="chart-box">
        <canvas ref={canvas} role="img" aria-label={`Throughput chart. ${summary}`} />
      </div>
      {/* The canvas carries the same sentence as its label; read once. */}
      <figcaption class="muted" aria-hidden="true">
        {summary}
      </figcaption>
    </figure>
  );
}
