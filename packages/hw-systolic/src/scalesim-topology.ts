import { macOp, TrimUserError, type MacOp } from '@trim-dse/core';

/** One layer of a SCALE-Sim topology as SCALE-Sim runs it: a MAC op and the input extent actually fetched. */
export interface ScaleSimLayer {
  readonly name: string;
  readonly op: MacOp;
  /** Input rows and columns present in memory (SCALE-Sim's rounded-up output size may overhang them). */
  readonly inputRows: number;
  readonly inputCols: number;
}

const operands = [
  { tensor: 'weights', projection: 'filter', bytes: 1, density: 1 },
  { tensor: 'inputs', projection: 'window', bytes: 1, density: 1 },
  { tensor: 'outputs', projection: 'output', bytes: 1, density: 1 },
] as const;

function int(v: string | undefined, what: string, path: string, line: number): number {
  const n = Number((v ?? '').trim());
  if (!Number.isInteger(n) || n < 1) {
    throw new TrimUserError(`${path}:${line}: ${what} "${(v ?? '').trim()}" is not a positive integer`, { field: what });
  }
  return n;
}

/** SCALE-Sim's output size: ⌈(H − R + stride) / stride⌉ (rounded up; the last window may hang over the edge). */
export function scaleSimOutputSize(input: number, kernel: number, stride: number): number {
  return Math.ceil((input - kernel + stride) / stride);
}

/**
 * Parses a SCALE-Sim topology CSV with SCALE-Sim's own conventions: a header line, rows ending in a comma, conv rows
 * `name, H, W, R, S, C, K, stride[, strideW]` with H and W already padded, GEMM rows `name, M, N, K`, and conv
 * layers whose name contains `DP` run as C single-channel layers (depthwise). Used by the validation suite so the
 * ops are exactly those SCALE-Sim simulated.
 */
export function parseScaleSimTopology(text: string, gemm: boolean, path: string): ScaleSimLayer[] {
  const out: ScaleSimLayer[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 1; i < lines.length; i++) {
    const row = lines[i].trim();
    if (row === '') continue;
    const e = row.split(',');
    if (e[e.length - 1].trim() === '') e.pop();
    const name = e[0].trim();
    const at = i + 1;
    if (gemm) {
      const m = int(e[1], 'M', path, at);
      const n = int(e[2], 'N', path, at);
      const k = int(e[3], 'K', path, at);
      const op = macOp({ name, layer: name, layerKind: 'matmul', phase: 'forward', bounds: { P: m, C: k, K: n }, operands });
      out.push({ name, op, inputRows: m, inputCols: k });
      continue;
    }
    const h = int(e[1], 'IFMAP Height', path, at);
    const w = int(e[2], 'IFMAP Width', path, at);
    const r = int(e[3], 'Filter Height', path, at);
    const s = int(e[4], 'Filter Width', path, at);
    const c = int(e[5], 'Channels', path, at);
    const k = int(e[6], 'Num Filter', path, at);
    const sh = int(e[7], 'Strides', path, at);
    const sw = e.length > 8 ? int(e[8], 'Stride width', path, at) : sh;
    if (r > h || s > w) throw new TrimUserError(`${path}:${at}: layer ${name}: the filter is larger than the input`, { field: 'Filter Height' });
    const build = (layer: string, channels: number): ScaleSimLayer => ({
      name: layer,
      op: macOp({
        name: layer,
        layer,
        layerKind: 'conv2d',
        phase: 'forward',
        bounds: { K: k, C: channels, P: scaleSimOutputSize(h, r, sh), Q: scaleSimOutputSize(w, s, sw), R: r, S: s },
        strideH: sh,
        strideW: sw,
        operands,
      }),
      inputRows: h,
      inputCols: w,
    });
    if (name.includes('DP')) for (let ch = 0; ch < c; ch++) out.push(build(`${name}Channel_${ch}`, 1));
    else out.push(build(name, c));
  }
  return out;
}
