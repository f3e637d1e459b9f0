import type { OpResult } from '@trim-dse/core';

/**
 * SCALE-Sim v2's three per-layer reports, with its file names and columns, for a run on the systolic template (whose
 * levels are `sram` and `dram` and whose operands are `inputs` = ifmap, `weights` = filter, `outputs` = ofmap). One
 * row per MAC op (SCALE-Sim has no pooling or element-wise layers), numbered from 0 as SCALE-Sim numbers layers.
 *
 * What TRIM does not model the way SCALE-Sim does (docs/outputs.md):
 * - TRIM has no per-operand access window: every Start Cycle is 0 and every Stop Cycle the layer's total cycles, so
 *   each average bandwidth is accesses ÷ total cycles (SCALE-Sim's SRAM figures are that too; its DRAM figures divide
 *   by the prefetch window, which starts before the layer).
 * - Compute Util % is MACs ÷ (compute cycles × PEs) over the whole layer (SCALE-Sim averages it per fold).
 * Mapping Efficiency % is MACs ÷ (MACs + the MAC-unit cycles the cost model spent on padded folds), which is
 * SCALE-Sim's used share of the array averaged over every fold.
 */
export interface ScaleSimReports {
  readonly 'COMPUTE_REPORT.csv': string;
  readonly 'DETAILED_ACCESS_REPORT.csv': string;
  readonly 'BANDWIDTH_REPORT.csv': string;
}

const COMPUTE_HEADER = ['LayerID', 'Total Cycles', 'Stall Cycles', 'Overall Util %', 'Mapping Efficiency %', 'Compute Util %'];
const ACCESS_HEADER = [
  'LayerID',
  ...['SRAM IFMAP', 'SRAM Filter', 'SRAM OFMAP', 'DRAM IFMAP', 'DRAM Filter', 'DRAM OFMAP'].flatMap((w, i) => [`${w} Start Cycle`, `${w} Stop Cycle`, `${w} ${i % 3 === 2 ? 'Writes' : 'Reads'}`]),
];
const BANDWIDTH_HEADER = ['LayerID', 'Avg IFMAP SRAM BW', 'Avg FILTER SRAM BW', 'Avg OFMAP SRAM BW', 'Avg IFMAP DRAM BW', 'Avg FILTER DRAM BW', 'Avg OFMAP DRAM BW'];

/** The counts SCALE-Sim reports, in its column order: level, operand and direction. */
const ACCESSES = [
  ['sram', 'inputs', 'reads'],
  ['sram', 'weights', 'reads'],
  ['sram', 'outputs', 'writes'],
  ['dram', 'inputs', 'reads'],
  ['dram', 'weights', 'reads'],
  ['dram', 'outputs', 'writes'],
] as const;

/** SCALE-Sim's CSV style: `, `-separated, each line (the header too) ending in a comma. */
const line = (cells: ReadonlyArray<string | number>) => `${cells.join(', ')},`;
const file = (header: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number>>) => `${[line(header), ...rows.map(line)].join('\n')}\n`;

/** A MAC op's result and the MAC-unit cycles its cost model spent on padding (core `Cost.paddedMacs`). */
export interface ScaleSimLayer {
  readonly layer: OpResult;
  readonly paddedMacs: number;
}

/** The three reports of a run's MAC ops on an array of `macUnits` PEs. */
export function scaleSimReports(layers: readonly ScaleSimLayer[], macUnits: number): ScaleSimReports {
  const ops = layers.filter((l) => l.layer.macs > 0);
  const count = (l: OpResult, i: number) => l.accesses[ACCESSES[i][0]]?.[ACCESSES[i][1]]?.[ACCESSES[i][2]] ?? 0;
  const compute = ops.map(({ layer: l, paddedMacs }, id) => [
    id,
    l.cycles,
    l.stallCycles,
    100 * l.utilization,
    (100 * l.macs) / (l.macs + paddedMacs),
    l.computeCycles > 0 ? (100 * l.macs) / (l.computeCycles * macUnits) : 0,
  ]);
  const access = ops.map(({ layer: l }, id) => [id, ...ACCESSES.flatMap((_, i) => [0, l.cycles, count(l, i)])]);
  const bandwidth = ops.map(({ layer: l }, id) => [id, ...ACCESSES.map((_, i) => (l.cycles > 0 ? count(l, i) / l.cycles : 0))]);
  return {
    'COMPUTE_REPORT.csv': file(COMPUTE_HEADER, compute),
    'DETAILED_ACCESS_REPORT.csv': file(ACCESS_HEADER, access),
    'BANDWIDTH_REPORT.csv': file(BANDWIDTH_HEADER, bandwidth),
  };
}
