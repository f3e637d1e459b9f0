import type { TopLevelSpec } from 'vega-lite';
import { componentScale, config, dataflowScale, kindScale, labelWidthPx, phaseScale, PLOT_WIDTH_PX, SCHEMA, siAxis, type Chart } from './chart-style.js';
import type { EvalRows } from './data.js';

// Whole-workload views: a handful of bars however many layers the network has.

const GAP_PX = 40;
/** Room the share printed at a bar's end (`100.0%`) takes right of the longest bar, px. */
const SHARE_LABEL_PX = 44;
const BAR_STEP_PX = 24;
const CYCLES = { field: 'cycles', title: 'cycles', unit: 'cycles', format: ',.0f' };
const ENERGY = { field: 'energyUj', title: 'energy (µJ)', unit: 'µJ', format: ',.4~r' };

/** Width of one of two side-by-side panels, their category labels beside them included, px. */
const halfWidthPx = (categories: readonly string[]) => Math.floor((PLOT_WIDTH_PX - GAP_PX) / 2 - labelWidthPx(categories) - SHARE_LABEL_PX);

/** A text layer printing each bar's share of the whole at its end (e.g. `38.2%`). */
function shareLabels(y: object, field: string, category: string): object {
  return {
    transform: [
      { aggregate: [{ op: 'sum', field, as: 'sum' }], groupby: [category] },
      { joinaggregate: [{ op: 'sum', field: 'sum', as: 'all' }] },
      { calculate: 'datum.all > 0 ? datum.sum / datum.all : 0', as: 'share' },
      { calculate: "datum.share > 0 && datum.share < 0.001 ? '<0.1%' : format(datum.share, '.1%')", as: 'shareText' },
    ],
    mark: { type: 'text', align: 'left', dx: 4, fontSize: 10, color: '#444', aria: false },
    encoding: { y, x: { field: 'sum', type: 'quantitative' }, text: { field: 'shareText', type: 'nominal' } },
  };
}

interface Measure {
  readonly field: string;
  readonly title: string;
  /** Unit and d3 number format in the hover text (`cycles`, `µJ`). */
  readonly unit: string;
  readonly format: string;
}

/**
 * One horizontal stacked-bar panel: a bar per category, a segment per `color` value (the sum of its rows), its share
 * printed at the bar's end. Hover: `conv2d, rs: 1,234,567 cycles over 81 ops`.
 */
function panel(values: readonly object[], category: { field: string; sort: readonly string[] }, x: Measure, color: { field: string; title: string; scale: object }): object {
  const y = { field: category.field, type: 'nominal', sort: [...category.sort], title: null, axis: { labelLimit: labelWidthPx(category.sort) } };
  const hover = `datum['${category.field}'] + ', ' + datum['${color.field}'] + ': ' + format(datum.sum, '${x.format}') + ' ${x.unit} over ' + datum.ops + ' ops'`;
  return {
    width: halfWidthPx(category.sort),
    height: { step: BAR_STEP_PX },
    data: { values: [...values] },
    layer: [
      {
        transform: [
          { aggregate: [{ op: 'sum', field: x.field, as: 'sum' }, { op: 'count', as: 'ops' }], groupby: [category.field, color.field] },
          { calculate: hover, as: 'hover' },
        ],
        mark: { type: 'bar', stroke: 'white', strokeWidth: 0.5 },
        encoding: {
          y,
          x: { field: 'sum', type: 'quantitative', title: x.title, stack: 'zero', axis: siAxis, scale: { nice: true } },
          color: { field: color.field, type: 'nominal', title: color.title, scale: color.scale },
          description: { field: 'hover', type: 'nominal' },
        },
      },
      shareLabels(y, x.field, category.field),
    ],
  };
}

function sideBySide(left: object, right: object, sharedColor: boolean): TopLevelSpec {
  return { $schema: SCHEMA, config, spacing: GAP_PX, hconcat: [left, right], resolve: { scale: { color: sharedColor ? 'shared' : 'independent' } } } as TopLevelSpec;
}

/** Cycles and energy of each layer kind, split by the dataflow that mapped its ops: 500 layers summed into a few bars. */
export function kindChart(id: string, rows: EvalRows): Chart {
  const kind = { field: 'kind', sort: rows.kinds };
  const color = { field: 'dataflow', title: 'dataflow', scale: dataflowScale(rows.dataflows) };
  const spec = sideBySide(panel(rows.ops, kind, CYCLES, color), panel(rows.energy, kind, ENERGY, color), true);
  return { id, title: 'Cycles and energy per layer kind', note: 'Every op of the run summed by its layer kind, split by the dataflow chosen for it; the figure at a bar’s end is its share of the whole.', spec };
}

/** Cycles (compute vs stall) and energy (by component) per phase. */
export function phaseChart(id: string, rows: EvalRows): Chart {
  const cycles = rows.ops.flatMap((o) => [
    { phase: o.phase, part: 'compute', cycles: o.computeCycles },
    { phase: o.phase, part: 'stall', cycles: o.stallCycles },
  ]);
  const phase = { field: 'phase', sort: rows.phases };
  const parts = { field: 'part', title: 'cycles', scale: { domain: ['compute', 'stall'], range: ['#4c78a8', '#f58518'] } };
  const spec = sideBySide(panel(cycles, phase, CYCLES, parts), panel(rows.energy, phase, ENERGY, { field: 'component', title: 'energy', scale: componentScale(rows.components) }), false);
  return { id, title: 'Cycles and energy per phase', note: 'Left: compute and stall cycles. Right: energy by component.', spec };
}

/** Energy of each component (MACs, ALU, each memory level innermost first, network, leakage) by phase and by layer kind. */
export function energyByLevelChart(id: string, rows: EvalRows): Chart {
  const component = { field: 'component', sort: rows.components };
  const spec = sideBySide(
    panel(rows.energy, component, ENERGY, { field: 'phase', title: 'phase', scale: phaseScale(rows.phases) }),
    panel(rows.energy, component, ENERGY, { field: 'kind', title: 'layer kind', scale: kindScale(rows.kinds) }),
    false,
  );
  const levels = rows.memoryLevels.length ? rows.memoryLevels.join(', ') : 'none reported';
  return { id, title: 'Energy by memory level', note: `Whole workload, left by phase, right by layer kind. Memory levels innermost first: ${levels}.`, spec };
}
