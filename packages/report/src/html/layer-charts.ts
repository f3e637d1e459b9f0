import type { TopLevelSpec } from 'vega-lite';
import { componentScale, config, dataflowScale, kindScale, labelWidthPx, PLOT_WIDTH_PX, ROW_STEP_PX, SCHEMA, siAxis, type Chart } from './chart-style.js';
import type { EvalRows } from './data.js';

// One bar row per layer, the page scrolls down: a network of 500 layers is 500 rows, every label in full. Training
// phases are side-by-side columns (facets) sharing the rows and the scale, so a layer's phases read across one line.

/** Space between facet columns, px. */
const FACET_GAP_PX = 12;
/** The y axis' tick and padding beside the labels, px. */
const AXIS_PAD_PX = 16;

interface RowsPlot {
  readonly values: readonly object[];
  /** Row labels in display order. */
  readonly rows: readonly string[];
  readonly rowField: string;
  readonly x: { readonly field: string; readonly title: string; readonly domain?: readonly number[] };
  readonly color: { readonly field: string; readonly title: string; readonly scale: object };
  /** Columns: the phases, or none. */
  readonly columns?: readonly string[];
  /** Segments stacked in a row (ops of a layer, components of an op). */
  readonly stackBy: readonly string[];
  /** Vega expression of a bar's hover text; it starts with the op's full name and a space. */
  readonly hover: string;
}

/** Width of one facet cell so that labels plus every column fit PLOT_WIDTH_PX. */
function cellWidthPx(rows: readonly string[], columns: number): number {
  return Math.floor((PLOT_WIDTH_PX - labelWidthPx(rows) - AXIS_PAD_PX - FACET_GAP_PX * (columns - 1)) / columns);
}

/**
 * Horizontal bars, one row per label, an x axis above (next to the legend and headers) and below. The axis above
 * comes from an invisible copy of the bars drawn first, so it shares the scale and never takes the hover.
 */
function rowsSpec(p: RowsPlot): TopLevelSpec {
  const columns = p.columns ?? [];
  const width = cellWidthPx(p.rows, Math.max(1, columns.length));
  const scale = p.x.domain ? { domain: [...p.x.domain], clamp: true } : {};
  const x = (orient: 'top' | 'bottom') => ({
    aggregate: 'sum',
    field: p.x.field,
    type: 'quantitative',
    title: orient === 'bottom' ? p.x.title : null,
    scale,
    axis: { orient, ...siAxis, tickCount: 5, labelFlush: true },
  });
  const y = { field: p.rowField, type: 'nominal', sort: [...p.rows], title: null, axis: { labelLimit: labelWidthPx(p.rows), ticks: false } };
  const detail = p.stackBy.map((field) => ({ field, type: 'nominal' }));
  const inner = {
    width,
    height: { step: ROW_STEP_PX },
    layer: [
      { mark: { type: 'bar', opacity: 0, aria: false }, encoding: { y, x: x('top'), detail } },
      {
        mark: { type: 'bar', stroke: 'white', strokeWidth: 0.3 },
        encoding: { y, x: x('bottom'), detail, color: { field: p.color.field, type: 'nominal', title: p.color.title, scale: p.color.scale }, description: { field: 'hover', type: 'nominal' } },
      },
    ],
    resolve: { axis: { x: 'independent' } },
  };
  const base = { $schema: SCHEMA, config, data: { values: [...p.values] }, transform: [{ calculate: p.hover, as: 'hover' }] };
  if (columns.length === 0) return { ...base, ...inner } as TopLevelSpec;
  return {
    ...base,
    spacing: FACET_GAP_PX,
    facet: { column: { field: 'phase', type: 'nominal', sort: [...columns], title: null } },
    spec: inner,
  } as TopLevelSpec;
}

/** `conv1:bwd-data (conv2d, backward-data, dataflow rs): ` — every bar's hover text starts with its op. */
const OP_HOVER = "datum.op + ' (' + datum.kind + ', ' + datum.phase + ', dataflow ' + datum.dataflow + '): '";

/** Cycles of every layer, one column per phase, coloured by layer kind. */
export function layerCyclesChart(id: string, rows: EvalRows): Chart {
  const spec = rowsSpec({
    values: rows.ops,
    rows: rows.layers,
    rowField: 'layer',
    x: { field: 'cycles', title: 'cycles' },
    color: { field: 'kind', title: 'layer kind', scale: kindScale(rows.kinds) },
    columns: rows.phases.length > 1 ? rows.phases : undefined,
    stackBy: ['op'],
    hover: `${OP_HOVER} + format(datum.cycles, ',') + ' cycles, ' + format(datum.stallCycles, ',') + ' stalled'`,
  });
  const phases = rows.phases.length > 1 ? ` One column per phase (${rows.phases.join(', ')}), same scale.` : '';
  return { id, title: 'Cycles per layer', note: `${rows.layers.length} layers in network order, coloured by layer kind.${phases} Hover a bar for its op, dataflow and cycles.`, spec };
}

/** Energy of every layer by component (MACs, ALU, memory levels, network, leakage), one column per phase. */
export function layerEnergyChart(id: string, rows: EvalRows): Chart {
  const spec = rowsSpec({
    values: rows.energy,
    rows: rows.layers,
    rowField: 'layer',
    x: { field: 'energyUj', title: 'energy (µJ)' },
    color: { field: 'component', title: 'energy', scale: componentScale(rows.components) },
    columns: rows.phases.length > 1 ? rows.phases : undefined,
    stackBy: ['op', 'component'],
    hover: `${OP_HOVER} + datum.component + ' ' + format(datum.energyUj, ',.4~r') + ' µJ'`,
  });
  const phases = rows.phases.length > 1 ? ' One column per phase, same scale.' : '';
  return { id, title: 'Energy per layer', note: `Stacked by component: MACs, ALU, each memory level (innermost first), network-on-chip, leakage.${phases}`, spec };
}

/**
 * MAC utilisation of every MAC op (utilisation does not add up, so sub-ops of a layer keep their own rows), in run
 * order, coloured by the dataflow that mapped it.
 */
export function utilizationChart(id: string, rows: EvalRows): Chart {
  const macOps = rows.ops.filter((o) => o.macs > 0);
  const macDataflows = rows.dataflows.filter((d) => macOps.some((o) => o.dataflow === d));
  const spec = rowsSpec({
    values: macOps,
    rows: macOps.map((o) => o.op),
    rowField: 'op',
    x: { field: 'utilizationPct', title: 'MAC utilisation (%)', domain: [0, 100] },
    color: { field: 'dataflow', title: 'dataflow', scale: dataflowScale(macDataflows) },
    stackBy: [],
    hover: `${OP_HOVER} + format(datum.utilizationPct, '.1f') + ' % MAC utilisation over ' + format(datum.cycles, ',') + ' cycles'`,
  });
  return { id, title: 'Utilisation per MAC op', note: `${macOps.length} MAC ops in run order: MACs ÷ (cycles × MAC units), coloured by the dataflow chosen.`, spec };
}
