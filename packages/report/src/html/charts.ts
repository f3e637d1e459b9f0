import type { TopLevelSpec } from 'vega-lite';
import type { EvalRows, ExploreRows } from './data.js';

/** A titled Vega-Lite chart for the page. */
export interface Chart {
  readonly id: string;
  readonly title: string;
  readonly note: string;
  readonly spec: TopLevelSpec;
}

const FONT = 'system-ui, -apple-system, "Segoe UI", sans-serif';
const config = { font: FONT, view: { stroke: null }, axis: { labelFontSize: 11, titleFontSize: 12 }, legend: { labelFontSize: 11 } } as const;
const BAR_STEP = 16;

/** Latency vs energy of every explored point; the front is joined by a line. Hover shows the configuration. */
export function paretoChart(id: string, rows: ExploreRows): Chart {
  const tooltip = [
    { field: 'point', type: 'quantitative', title: 'point' },
    { field: 'status', type: 'nominal', title: 'status' },
    { field: 'seconds', type: 'quantitative', title: 'time s', format: '.4~g' },
    { field: 'energyUj', type: 'quantitative', title: 'energy µJ', format: '.4~g' },
    ...rows.params.map((p, i) => ({ field: `p${i}`, type: 'nominal', title: p })),
  ];
  const x = { field: 'seconds', type: 'quantitative', title: 'time per run (s)', scale: { zero: false, nice: true } } as const;
  const y = { field: 'energyUj', type: 'quantitative', title: 'energy per run (µJ)', scale: { zero: false, nice: true } } as const;
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    config,
    width: 560,
    height: 360,
    data: { values: rows.points },
    layer: [
      {
        transform: [{ filter: "datum.status === 'Pareto front'" }],
        mark: { type: 'line', color: '#e45756', strokeDash: [4, 3] },
        encoding: { x, y, order: { field: 'seconds', type: 'quantitative' } },
      },
      {
        mark: { type: 'point', filled: true, size: 60, opacity: 0.85 },
        encoding: {
          x,
          y,
          color: {
            field: 'status',
            type: 'nominal',
            title: null,
            scale: { domain: ['Pareto front', 'feasible', 'infeasible'], range: ['#e45756', '#4c78a8', '#bab0ac'] },
          },
          shape: { field: 'status', type: 'nominal', title: null, scale: { domain: ['Pareto front', 'feasible', 'infeasible'], range: ['diamond', 'circle', 'cross'] } },
          tooltip,
        },
      },
    ],
  } as TopLevelSpec;
  return { id, title: 'Explored points: latency vs energy', note: `${rows.points.length} points plotted (${rows.feasible} feasible of ${rows.evaluated} evaluated); hover a point for its configuration.`, spec };
}

function stackedByLayer(rows: EvalRows, values: unknown[], field: string, yTitle: string, colorField: string, colorTitle: string, colorDomain: string[]): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    config,
    width: { step: BAR_STEP },
    height: 260,
    data: { values },
    mark: 'bar',
    encoding: {
      x: { field: 'layer', type: 'nominal', sort: rows.layers, title: 'layer', axis: { labelAngle: -60 } },
      y: { aggregate: 'sum', field, type: 'quantitative', title: yTitle, stack: 'zero' },
      color: { field: colorField, type: 'nominal', title: colorTitle, scale: { domain: colorDomain } },
      tooltip: [
        { field: 'layer', type: 'nominal' },
        { field: colorField, type: 'nominal', title: colorTitle },
        { aggregate: 'sum', field, type: 'quantitative', title: yTitle, format: ',.4~g' },
      ],
    },
  } as TopLevelSpec;
}

export function layerCyclesChart(id: string, rows: EvalRows): Chart {
  return {
    id,
    title: 'Cycles per layer',
    note: rows.phases.length > 1 ? 'Stacked by training phase.' : 'Forward pass.',
    spec: stackedByLayer(rows, rows.ops, 'cycles', 'cycles', 'phase', 'phase', rows.phases),
  };
}

export function layerEnergyChart(id: string, rows: EvalRows): Chart {
  return {
    id,
    title: 'Energy per layer',
    note: 'Stacked by component: MACs, ALU, each memory level (innermost first), network-on-chip, leakage.',
    spec: stackedByLayer(rows, rows.energy, 'energyUj', 'energy (µJ)', 'component', 'component', rows.components),
  };
}

/** Cycles (compute vs stall) and energy (by component) per phase, side by side. */
export function phaseChart(id: string, rows: EvalRows): Chart {
  const cycles = rows.ops.flatMap((o) => [
    { phase: o.phase, part: 'compute', cycles: o.computeCycles },
    { phase: o.phase, part: 'stall', cycles: o.stallCycles },
  ]);
  const x = { field: 'phase', type: 'nominal', sort: rows.phases, title: 'phase', axis: { labelAngle: 0 } } as const;
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    config,
    resolve: { scale: { color: 'independent' } },
    hconcat: [
      {
        width: { step: 70 },
        height: 240,
        data: { values: cycles },
        mark: 'bar',
        encoding: {
          x,
          y: { aggregate: 'sum', field: 'cycles', type: 'quantitative', title: 'cycles' },
          color: { field: 'part', type: 'nominal', title: 'cycles', scale: { domain: ['compute', 'stall'], range: ['#4c78a8', '#f58518'] } },
          tooltip: [{ field: 'phase' }, { field: 'part' }, { aggregate: 'sum', field: 'cycles', type: 'quantitative', title: 'cycles', format: ',.4~g' }],
        },
      },
      {
        width: { step: 70 },
        height: 240,
        data: { values: rows.energy },
        mark: 'bar',
        encoding: {
          x,
          y: { aggregate: 'sum', field: 'energyUj', type: 'quantitative', title: 'energy (µJ)' },
          color: { field: 'component', type: 'nominal', title: 'energy', scale: { domain: rows.components, scheme: 'tableau10' } },
          tooltip: [{ field: 'phase' }, { field: 'component' }, { aggregate: 'sum', field: 'energyUj', type: 'quantitative', title: 'energy µJ', format: ',.4~g' }],
        },
      },
    ],
  } as TopLevelSpec;
  return { id, title: 'Cycles and energy per phase', note: 'Left: compute and stall cycles. Right: energy by component.', spec };
}

export function energyByLevelChart(id: string, rows: EvalRows): Chart {
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    config,
    width: 520,
    height: { step: 26 },
    data: { values: rows.energy },
    mark: 'bar',
    encoding: {
      y: { field: 'component', type: 'nominal', sort: rows.components, title: null },
      x: { aggregate: 'sum', field: 'energyUj', type: 'quantitative', title: 'energy (µJ)' },
      color: { field: 'phase', type: 'nominal', title: 'phase', scale: { domain: rows.phases } },
      tooltip: [{ field: 'component' }, { field: 'phase' }, { aggregate: 'sum', field: 'energyUj', type: 'quantitative', title: 'energy µJ', format: ',.4~g' }],
    },
  } as TopLevelSpec;
  const levels = rows.memoryLevels.length ? rows.memoryLevels.join(', ') : 'none reported';
  return { id, title: 'Energy by memory level', note: `Whole workload. Memory levels innermost first: ${levels}.`, spec };
}

export function utilizationChart(id: string, rows: EvalRows): Chart {
  const macOps = rows.ops.filter((o) => o.macs > 0);
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    config,
    width: { step: BAR_STEP },
    height: 220,
    data: { values: macOps },
    mark: 'bar',
    encoding: {
      x: { field: 'layer', type: 'nominal', sort: rows.layers.filter((l) => macOps.some((o) => o.layer === l)), title: 'layer', axis: { labelAngle: -60 } },
      xOffset: { field: 'phase', type: 'nominal', sort: rows.phases },
      y: { field: 'utilizationPct', type: 'quantitative', title: 'MAC utilisation (%)', scale: { domain: [0, 100] } },
      color: { field: 'phase', type: 'nominal', title: 'phase', scale: { domain: rows.phases } },
      tooltip: [
        { field: 'op', title: 'op' },
        { field: 'dataflow' },
        { field: 'utilizationPct', type: 'quantitative', title: 'utilisation %', format: '.1f' },
        { field: 'cycles', type: 'quantitative', format: ',.4~g' },
      ],
    },
  } as TopLevelSpec;
  return { id, title: 'Utilisation per layer', note: 'MAC layers only: MACs ÷ (cycles × MAC units).', spec };
}
