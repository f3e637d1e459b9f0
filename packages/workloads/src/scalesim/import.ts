import { statSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { NetworkBuilder, readInputText, type Network, type Precision } from '@trim-dse/core';
import { parseScaleSimTopology, scaleSimOutputSize, type ScaleSimConvRow, type ScaleSimRow } from './topology.js';

export interface ScaleSimImportOptions {
  readonly batch: number;
  /** Every tensor's precision: a topology gives none (SCALE-Sim's words are 1 byte; the pipeline passes the cfg's). */
  readonly precision: Precision;
}

/**
 * SCALE-Sim layers are independent: each row becomes its own network input and one MAC layer, with SCALE-Sim's own
 * conventions (scale-sim-v2 scalesim/topology_utils.py and compute/operand_matrix.py), so that `trim eval` runs the
 * layers SCALE-Sim simulated:
 * - conv rows: the IFMAP size already includes padding. SCALE-Sim rounds the output size up (⌈(H − R)/s⌉ + 1), so
 *   its last window may hang over the bottom/right edge; those rows and columns are not in memory and are never
 *   fetched. They become bottom/right padding with `clipPadding` (core lowers it to `MacOp.inputRows`/`inputCols`),
 *   so shapes match SCALE-Sim's and no padding is read;
 * - depthwise: a conv row whose name contains "DP" runs as C single-channel layers `<name>Channel_<c>`, each with
 *   the row's filters (SCALE-Sim's `load_arrays_conv`);
 * - GEMM rows C = A(M×K)·B(K×N) become a linear layer with P = M, C = K (reduction), K = N; B is the weights-side
 *   operand, as SCALE-Sim's "filter".
 * Tensors take `options.precision` (the pipeline passes the architecture's: 1-byte for a SCALE-Sim cfg).
 */
export function scaleSimNetwork(rows: readonly ScaleSimRow[], name: string, options: ScaleSimImportOptions): Network {
  const b = new NetworkBuilder(name, options.precision);
  const conv = (layer: string, r: ScaleSimConvRow, channels: number): void => {
    const input = `${layer}.ifmap`;
    const p = scaleSimOutputSize(r.ifmapH, r.filterH, r.strideH);
    const q = scaleSimOutputSize(r.ifmapW, r.filterW, r.strideW);
    const padBottom = (p - 1) * r.strideH + r.filterH - r.ifmapH;
    const padRight = (q - 1) * r.strideW + r.filterW - r.ifmapW;
    b.input(input, [options.batch, channels, r.ifmapH, r.ifmapW]);
    b.conv(layer, input, {
      outChannels: r.filters,
      kernel: [r.filterH, r.filterW],
      stride: [r.strideH, r.strideW],
      padding: [0, 0, padBottom, padRight],
      clipPadding: true,
    });
  };
  for (const r of rows) {
    if (r.kind === 'gemm') {
      const input = `${r.name}.ifmap`;
      b.input(input, [options.batch, r.k, r.m, 1]);
      b.linear(r.name, input, r.n);
    } else if (isDepthwise(r.name)) {
      for (let c = 0; c < r.channels; c++) conv(`${r.name}Channel_${c}`, r, 1);
    } else {
      conv(r.name, r, r.channels);
    }
  }
  return b.build();
}

/** SCALE-Sim runs a conv row whose name contains "DP" channel by channel (scalesim/topology_utils.py). */
export function isDepthwise(layerName: string): boolean {
  return layerName.includes('DP');
}

/** `topology.csv` inside a case folder is named after the folder; any other file after itself. */
function networkName(path: string): string {
  const stem = basename(path, extname(path));
  return stem.toLowerCase() === 'topology' ? basename(dirname(path)) || stem : stem;
}

/** Reads a SCALE-Sim topology CSV (conv or GEMM form; an `input-type` file beside it may name the form). */
export function importScaleSimCsv(path: string, options: ScaleSimImportOptions): Network {
  const text = readInputText(path);
  const hintFile = join(dirname(path), 'input-type');
  let hinted = false;
  try {
    hinted = statSync(hintFile).isFile();
  } catch {
    /* no hint */
  }
  // SCALE-Sim's input-type file holds one word ("conv" or "gemm").
  const hint = hinted ? readInputText(hintFile, { maxBytes: 1024 }) : undefined;
  const { rows } = parseScaleSimTopology(text, path, hint);
  return scaleSimNetwork(rows, networkName(path), options);
}
