import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { NetworkBuilder, TrimUserError, type Network, type Precision } from '@trim-dse/core';
import { DEFAULT_PRECISION } from '../zoo/options.js';
import { parseScaleSimTopology, scaleSimOutputSize, type ScaleSimRow } from './topology.js';

export interface ScaleSimImportOptions {
  readonly batch: number;
  readonly precision?: Precision;
}

/**
 * SCALE-Sim layers are independent: each row becomes its own network input and one MAC layer.
 * Conv rows: the IFMAP size already includes padding, so no padding is added, except that SCALE-Sim rounds the output
 * size up (⌈(H − R)/s⌉ + 1); when (H − R) is not a multiple of the stride the missing bottom/right rows are added as
 * padding so our shapes match SCALE-Sim's. GEMM rows C = A(M×K)·B(K×N) become a linear layer with P = M,
 * C = K (reduction), K = N; B is the weights-side operand, as SCALE-Sim's "filter".
 */
export function scaleSimNetwork(rows: readonly ScaleSimRow[], name: string, options: ScaleSimImportOptions): Network {
  const b = new NetworkBuilder(name, options.precision ?? DEFAULT_PRECISION);
  for (const r of rows) {
    const input = `${r.name}.ifmap`;
    if (r.kind === 'gemm') {
      b.input(input, [options.batch, r.k, r.m, 1]);
      b.linear(r.name, input, r.n);
      continue;
    }
    const p = scaleSimOutputSize(r.ifmapH, r.filterH, r.strideH);
    const q = scaleSimOutputSize(r.ifmapW, r.filterW, r.strideW);
    const padBottom = (p - 1) * r.strideH + r.filterH - r.ifmapH;
    const padRight = (q - 1) * r.strideW + r.filterW - r.ifmapW;
    b.input(input, [options.batch, r.channels, r.ifmapH, r.ifmapW]);
    b.conv(r.name, input, {
      outChannels: r.filters,
      kernel: [r.filterH, r.filterW],
      stride: [r.strideH, r.strideW],
      padding: [0, 0, padBottom, padRight],
    });
  }
  return b.build();
}

/** `topology.csv` inside a case folder is named after the folder; any other file after itself. */
function networkName(path: string): string {
  const stem = basename(path, extname(path));
  return stem.toLowerCase() === 'topology' ? basename(dirname(path)) || stem : stem;
}

/** Reads a SCALE-Sim topology CSV (conv or GEMM form; an `input-type` file beside it may name the form). */
export function importScaleSimCsv(path: string, options: ScaleSimImportOptions): Network {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new TrimUserError(`cannot read ${path}`, { field: path, fix: 'check the path' });
  }
  const hintFile = join(dirname(path), 'input-type');
  const hint = existsSync(hintFile) ? readFileSync(hintFile, 'utf8') : undefined;
  const { rows } = parseScaleSimTopology(text, path, hint);
  return scaleSimNetwork(rows, networkName(path), options);
}
