/**
 * Zhang et al. FPGA'15 closed-form model of one convolution layer on a Tm × Tn engine with Tr × Tc tiles, in the
 * paper's names: M output channels, N input channels, R × C output plane, K × K kernel, stride S (per group; groups
 * run one after another).
 */
export interface ConvLayerShape {
  readonly M: number;
  readonly N: number;
  readonly R: number;
  readonly C: number;
  readonly K: number;
  readonly S: number;
  readonly groups: number;
}

export interface EngineTiling {
  readonly Tm: number;
  readonly Tn: number;
  readonly Tr: number;
  readonly Tc: number;
}

export function layerMacs(l: ConvLayerShape): number {
  return l.groups * l.M * l.N * l.R * l.C * l.K * l.K;
}

/** Cycles with the pipelined K × K × Tr × Tc loops at one iteration per cycle: ⌈M/Tm⌉⌈N/Tn⌉⌈R/Tr⌉⌈C/Tc⌉·Tr·Tc·K². */
export function zhangCycles(l: ConvLayerShape, t: EngineTiling): number {
  const tiles = Math.ceil(l.M / t.Tm) * Math.ceil(l.N / t.Tn) * Math.ceil(l.R / t.Tr) * Math.ceil(l.C / t.Tc);
  return l.groups * tiles * t.Tr * t.Tc * l.K * l.K;
}

/** Computational roof, GOPS (2 operations per MAC) at `clockMHz`. */
export function computationalRoofGops(l: ConvLayerShape, t: EngineTiling, clockMHz: number): number {
  return (2 * layerMacs(l) * clockMHz) / zhangCycles(l, t) / 1000;
}

/**
 * External traffic in words with the paper's loop order (rows, columns, output channels, input channels): inputs
 * and weights load once per (row, col, to, ti) tile; outputs store once per (row, col, to).
 */
export function externalWords(l: ConvLayerShape, t: EngineTiling): { inputs: number; weights: number; outputs: number } {
  const planeTiles = Math.ceil(l.R / t.Tr) * Math.ceil(l.C / t.Tc);
  const alphaIn = Math.ceil(l.M / t.Tm) * Math.ceil(l.N / t.Tn) * planeTiles;
  const alphaOut = Math.ceil(l.M / t.Tm) * planeTiles;
  const inTile = t.Tn * (l.S * t.Tr + l.K - l.S) * (l.S * t.Tc + l.K - l.S);
  const wTile = t.Tm * t.Tn * l.K * l.K;
  const outTile = t.Tm * t.Tr * t.Tc;
  return { inputs: l.groups * alphaIn * inTile, weights: l.groups * alphaIn * wTile, outputs: l.groups * alphaOut * outTile };
}

/** Computation-to-communication ratio: operations per byte of external traffic. */
export function ctcRatio(l: ConvLayerShape, t: EngineTiling, bytesPerWord: number): number {
  const w = externalWords(l, t);
  return (2 * layerMacs(l)) / ((w.inputs + w.weights + w.outputs) * bytesPerWord);
}

/** Roofline: attainable GOPS = min(computational roof, CTC × bandwidth). */
export function attainableGops(l: ConvLayerShape, t: EngineTiling, clockMHz: number, bytesPerWord: number, GBps: number): number {
  return Math.min(computationalRoofGops(l, t, clockMHz), ctcRatio(l, t, bytesPerWord) * GBps);
}
