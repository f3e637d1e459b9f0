/**
 * A deliberately naive re-statement of SCALE-Sim's CALC-mode ifmap/filter DRAM counting for small layers, used to
 * check the fast paths of src/scalesim: it materialises every demand (fold, cycle, array lane, address)
 * of the operand, sorts them into SCALE-Sim's service order and runs them through a Set-based "flush when the
 * active half is full" buffer.
 */
export interface NaiveConv {
  H: number;
  W: number;
  R: number;
  S: number;
  C: number;
  K: number;
  stride: number;
  /** Output size (SCALE-Sim rounds up; may hang over H). */
  P: number;
  Q: number;
}

function flushMisses(stream: number[], cap: number): number {
  let epoch = new Set<number>();
  let misses = 0;
  for (const a of stream) {
    if (a < 0 || epoch.has(a)) continue;
    epoch.add(a);
    misses++;
    if (epoch.size === cap) epoch = new Set();
  }
  return misses;
}

export function naiveDram(l: NaiveConv, df: 'ws' | 'os' | 'is', rows: number, cols: number, cap: number): { ifmap: number; filter: number } {
  const pixels = l.P * l.Q;
  const window = l.R * l.S * l.C;
  const ifmap = (i: number, j: number): number => {
    const p = Math.floor(i / l.Q);
    const q = i % l.Q;
    const c = j % l.C;
    const s = Math.floor(j / l.C) % l.S;
    const r = Math.floor(j / (l.C * l.S));
    const y = p * l.stride + r;
    const x = q * l.stride + s;
    return y < l.H && x < l.W ? (y * l.W + x) * l.C + c : -1;
  };
  const filter = (j: number, k: number): number => k * window + j;
  const [Sr, Sc, T] = df === 'ws' ? [window, l.K, pixels] : df === 'os' ? [pixels, l.K, window] : [window, pixels, l.K];
  const rf = Math.ceil(Sr / rows);
  const cf = Math.ceil(Sc / cols);
  const ifDemands: Array<[number, number, number, number]> = []; // fold, line, lane, address
  const fDemands: Array<[number, number, number, number]> = [];
  let fold = 0;
  for (let fc = 0; fc < cf; fc++) {
    for (let fr = 0; fr < rf; fr++, fold++) {
      for (let lane = 0; lane < rows; lane++) {
        const a = fr * rows + lane;
        if (a >= Sr) continue;
        for (let t = 0; t < T; t++) {
          if (df === 'ws') ifDemands.push([fold, t + lane, lane, ifmap(t, a)]);
          if (df === 'os') ifDemands.push([fold, t + lane, lane, ifmap(a, t)]);
          if (df === 'is') fDemands.push([fold, t + lane, lane, filter(a, t)]);
        }
      }
      for (let lane = 0; lane < cols; lane++) {
        const b = fc * cols + lane;
        if (b >= Sc) continue;
        for (let row = 0; row < rows; row++) {
          const a = fr * rows + row;
          if (a >= Sr) continue;
          // Stationary operand: loaded bottom row first, one array row per cycle.
          if (df === 'ws') fDemands.push([fold, rows - 1 - row, lane, filter(a, b)]);
          if (df === 'is') ifDemands.push([fold, rows - 1 - row, lane, ifmap(b, a)]);
        }
        if (df === 'os') for (let t = 0; t < T; t++) fDemands.push([fold, t + lane, lane, filter(t, b)]);
      }
    }
  }
  const order = (x: [number, number, number, number], y: [number, number, number, number]) => x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
  return {
    ifmap: flushMisses(ifDemands.sort(order).map((d) => d[3]), cap),
    filter: flushMisses(fDemands.sort(order).map((d) => d[3]), cap),
  };
}
