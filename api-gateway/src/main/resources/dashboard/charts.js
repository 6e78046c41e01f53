// Rolling series over the last minutes, drawn with uPlot (from its WebJar).
import uPlot from '/webjars/uplot/1.6.30/dist/uPlot.esm.js';

const BUCKET_S = 5;
const BUCKETS = 120; // ten minutes

function cssVar(name) {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}

/** Buckets of BUCKET_S seconds ending now; each holds numbers added to it. */
export class Rolling {
  constructor() { this.buckets = new Map(); }
  add(timestampMs, value = 1) {
    const key = Math.floor(timestampMs / 1000 / BUCKET_S) * BUCKET_S;
    let b = this.buckets.get(key);
    if (!b) this.buckets.set(key, (b = []));
    b.push(value);
    if (this.buckets.size > BUCKETS * 2) {
      const oldest = Math.min(...this.buckets.keys());
      this.buckets.delete(oldest);
    }
  }
  /** [times, values] with `reduce` over each bucket (null when empty). */
  series(reduce) {
    const end = Math.floor(Date.now() / 1000 / BUCKET_S) * BUCKET_S;
    const xs = []; const ys = [];
    for (let t = end - (BUCKETS - 1) * BUCKET_S; t <= end; t += BUCKET_S) {
      const b = this.buckets.get(t);
      xs.push(t);
      ys.push(b && b.length ? reduce(b) : null);
    }
    return [xs, ys];
  }
}

export const count = (b) => b.length;
export const mean = (b) => Math.round(b.reduce((a, v) => a + v, 0) / b.length);

/** A line chart in `element` with one series per label, resized with its panel; `points` for sparse series. */
export function lineChart(element, labels, colors, points = false) {
  const axis = { stroke: cssVar('--muted'), grid: { stroke: cssVar('--line') }, ticks: { stroke: cssVar('--line') } };
  const opts = {
    width: Math.max(200, element.clientWidth), height: 200,
    series: [{}, ...labels.map((label, i) => ({ label, stroke: colors[i], width: 2, spanGaps: true, points: { show: points, size: 5, fill: colors[i] } }))],
    axes: [axis, { ...axis, size: 50 }],
    scales: { x: { time: true } },
    legend: { live: false },
  };
  const xs = [];
  const plot = new uPlot(opts, [xs, ...labels.map(() => [])], element);
  new ResizeObserver(() => plot.setSize({ width: Math.max(200, element.clientWidth), height: 200 })).observe(element);
  return { update: (data) => plot.setData(data) };
}
