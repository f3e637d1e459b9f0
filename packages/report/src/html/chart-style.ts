import type { TopLevelSpec } from 'vega-lite';

/** A titled Vega-Lite chart for the page. */
export interface Chart {
  readonly id: string;
  readonly title: string;
  readonly note: string;
  readonly spec: TopLevelSpec;
}

export const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

const FONT = 'system-ui, -apple-system, "Segoe UI", sans-serif';
export const LABEL_FONT_PX = 11;

/** Legends above the plot, laid out in rows: they stay inside the page however many entries or layers there are. */
export const config = {
  font: FONT,
  view: { stroke: null },
  axis: { labelFontSize: LABEL_FONT_PX, titleFontSize: 12 },
  legend: { labelFontSize: LABEL_FONT_PX, titleFontSize: 12, orient: 'top', direction: 'horizontal', columns: 8, labelLimit: 0 },
  header: { labelFontSize: 12, labelFontWeight: 'bold' },
} as const;

/**
 * Width every plot fits in, legends and axis labels included: the page's content column is 1200 px (page.ts
 * `max-width`), less room for the figure's own margin. Narrower windows scale the SVG down (page.ts).
 */
export const PLOT_WIDTH_PX = 1140;

/** One bar row per layer: 11 px labels need 14 px rows to stay legible when 500 of them are stacked. */
export const ROW_STEP_PX = 14;

/** Vega sizes text without a browser as 0.8 em a character (vega-scenegraph `estimateWidth`); layout uses that too. */
const VEGA_EM_PER_CHAR = 0.8;

/** Longest axis label shown in full; longer names are cut with an ellipsis and read in full on their bar's hover. */
const MAX_LABEL_CHARS = 48;

/**
 * Label width limit for the longest of these labels (capped at MAX_LABEL_CHARS): vega keeps a label whose estimated
 * width (truncated to whole pixels) is strictly below the limit, hence the extra pixel.
 */
export function labelWidthPx(labels: readonly string[]): number {
  const chars = Math.min(MAX_LABEL_CHARS, Math.max(1, ...labels.map((l) => l.length)));
  return Math.floor(chars * VEGA_EM_PER_CHAR * LABEL_FONT_PX) + 1;
}

/** Colours for dataflows: Dark2 for the MAC dataflows, grey for vector ops (they have no spatial dataflow). */
const DATAFLOW_COLORS = ['#1b9e77', '#d95f02', '#7570b3', '#e7298a', '#66a61e', '#e6ab02', '#a6761d'];
const VECTOR_COLOR = '#9d9d9d';

export function dataflowScale(dataflows: readonly string[]): { domain: string[]; range: string[] } {
  let i = 0;
  const range = dataflows.map((d) => (d === 'vector' ? VECTOR_COLOR : DATAFLOW_COLORS[i++ % DATAFLOW_COLORS.length]));
  return { domain: [...dataflows], range };
}

/** Categorical schemes (vega): layer kinds in category10, phases and energy components in tableau10. */
export const kindScale = (kinds: readonly string[]) => ({ domain: [...kinds], scheme: 'category10' });
export const phaseScale = (phases: readonly string[]) => ({ domain: [...phases], scheme: 'tableau10' });
export const componentScale = (components: readonly string[]) => ({ domain: [...components], scheme: 'tableau10' });

/**
 * Axis ticks with SI prefixes from 1000 up (16M, 250k), plain below (0.5, not 500m): narrow facets stay readable and
 * hover titles give every digit. A label expression, as an axis `format` would put one prefix on every tick (0M).
 */
export const siAxis = { labelExpr: "abs(datum.value) >= 1000 ? format(datum.value, '~s') : format(datum.value, '~g')" } as const;
