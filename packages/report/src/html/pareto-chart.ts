import type { TopLevelSpec } from 'vega-lite';
import { config, SCHEMA, type Chart } from './chart-style.js';
import type { ExploreRows, PointRow } from './data.js';

const STATUSES: PointRow['status'][] = ['Pareto front', 'dominated', 'infeasible'];
const FRONT_RED = '#d62728';
const DOMINATED_BLUE = '#4c78a8';
const INFEASIBLE_GREY = '#9d9d9d';
/** Drawing order (points are drawn in data order): infeasible, then dominated, then the front on top. */
const Z_ORDER: Record<PointRow['status'], number> = { infeasible: 0, dominated: 1, 'Pareto front': 2 };
const PANEL_WIDTH_PX = 470;
const PANEL_HEIGHT_PX = 380;

/**
 * Log axes when every value is positive: explored points spread over decades, and a linear axis packs the
 * fast, frugal corner (where the front is) into a few pixels.
 */
const axisScale = (values: readonly number[]) => (values.every((v) => v > 0) ? { type: 'log', nice: false, zero: false, padding: 12 } : { zero: false, nice: true, padding: 12 });

/**
 * Whether the front is a staircase in this plane (energy falls as time grows). A front over latency, energy and area
 * is not: its points are then joined in time order instead.
 */
function isStaircase(rows: ExploreRows): boolean {
  const front = rows.points.filter((p) => p.status === 'Pareto front').sort((a, b) => a.seconds - b.seconds);
  return front.every((p, i) => i === 0 || p.energyUj < front[i - 1].energyUj);
}

function panel(rows: ExploreRows, title: string, domains?: { seconds: [number, number]; energyUj: [number, number] }): object {
  const scale = (field: 'seconds' | 'energyUj') => ({ ...axisScale(rows.points.map((p) => p[field])), ...(domains ? { domain: domains[field] } : {}) });
  const x = { field: 'seconds', type: 'quantitative', title: 'time per run (s)', scale: scale('seconds'), axis: { format: '~g', grid: true } };
  const y = { field: 'energyUj', type: 'quantitative', title: 'energy per run (µJ)', scale: scale('energyUj'), axis: { format: '~s', grid: true } };
  const layers: object[] = [
    {
      transform: [{ filter: "datum.status === 'Pareto front'" }],
      // The attainment staircase: every point up and to the right of it is dominated by a front point.
      mark: { type: 'line', color: FRONT_RED, strokeWidth: 1.5, interpolate: isStaircase(rows) ? 'step-after' : 'linear', aria: false, clip: true },
      encoding: { x, y, order: { field: 'seconds', type: 'quantitative' } },
    },
    {
      // Hover: `point 12 (Pareto front): 0.001634 s, 1.708e+4 µJ — rows=128 cols=256 …`, every swept parameter.
      transform: [{ calculate: "'point ' + datum.point + ' (' + datum.status + '): ' + format(datum.seconds, '.4~g') + ' s, ' + format(datum.energyUj, '.4~g') + ' µJ — ' + datum.config", as: 'hover' }],
      mark: { type: 'point', filled: true, strokeWidth: 1, clip: true },
      encoding: {
        x,
        y,
        color: { field: 'status', type: 'nominal', title: null, scale: { domain: STATUSES, range: [FRONT_RED, DOMINATED_BLUE, INFEASIBLE_GREY] } },
        shape: { field: 'status', type: 'nominal', title: null, scale: { domain: STATUSES, range: ['diamond', 'circle', 'cross'] } },
        size: { field: 'status', type: 'nominal', title: null, scale: { domain: STATUSES, range: [110, 30, 30] } },
        opacity: { field: 'status', type: 'nominal', title: null, scale: { domain: STATUSES, range: [1, 0.35, 0.6] } },
        description: { field: 'hover', type: 'nominal' },
      },
    },
  ];
  const best = rows.best;
  if (best?.totals) {
    const at = { seconds: best.totals.seconds, energyUj: best.totals.energyPj * 1e-6, label: `best #${best.index}` };
    layers.push({
      data: { values: [at] },
      layer: [
        { mark: { type: 'point', shape: 'circle', size: 320, stroke: '#111', strokeWidth: 1.5, filled: false, aria: false, clip: true }, encoding: { x, y } },
        { mark: { type: 'text', align: 'left', dx: 12, dy: -10, fontSize: 11, fontWeight: 'bold', aria: false, clip: true }, encoding: { x, y, text: { field: 'label' } } },
      ],
    });
  }
  const values = [...rows.points].sort((a, b) => Z_ORDER[a.status] - Z_ORDER[b.status] || a.point - b.point);
  return { title: { text: title, fontSize: 12, anchor: 'start' }, width: PANEL_WIDTH_PX, height: PANEL_HEIGHT_PX, data: { values }, layer: layers };
}

/** The front's bounding box, widened by half its span (a factor on log axes) so its neighbours show around it. */
function aroundFront(rows: ExploreRows): { seconds: [number, number]; energyUj: [number, number] } | undefined {
  const front = rows.points.filter((p) => p.status === 'Pareto front');
  if (front.length < 2) return undefined;
  const widen = (vs: number[]): [number, number] => {
    const lo = Math.min(...vs);
    const hi = Math.max(...vs);
    if (lo > 0) {
      const f = Math.max(1.02, Math.sqrt(hi / lo));
      return [lo / f, hi * f];
    }
    const pad = (hi - lo) / 2 || Math.abs(hi) / 10 || 1;
    return [lo - pad, hi + pad];
  };
  return { seconds: widen(front.map((p) => p.seconds)), energyUj: widen(front.map((p) => p.energyUj)) };
}

/** Latency vs energy of every explored point, the front highlighted and joined; a second panel zooms on the front. */
export function paretoChart(id: string, rows: ExploreRows): Chart {
  const zoom = aroundFront(rows);
  const all = panel(rows, 'All points');
  const spec = (zoom ? { $schema: SCHEMA, config, spacing: 40, hconcat: [all, panel(rows, 'Around the Pareto front', zoom)] } : { $schema: SCHEMA, config, ...all }) as TopLevelSpec;
  const frontSize = rows.points.filter((p) => p.status === 'Pareto front').length;
  return {
    id,
    title: 'Explored points: latency vs energy',
    note: `${rows.points.length} points plotted (${rows.feasible} feasible of ${rows.evaluated} evaluated), ${frontSize} on the Pareto front (red, ${isStaircase(rows) ? 'joined by its staircase' : 'joined in time order: it also weighs area'}); dominated points faded. Hover a point for its configuration.`,
    spec,
  };
}
