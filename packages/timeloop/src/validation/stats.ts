import { readFileSync } from 'node:fs';

/** Per-instance counts of one data space at one storage level, as `timeloop-model.stats.txt` prints them. */
export interface StatsCounts {
  reads: number;
  fills: number;
  updates: number;
  utilizedInstances: number;
}

/** What a Timeloop v3 `timeloop-model.stats.txt` reports that TRIM compares. */
export interface TimeloopStats {
  readonly cycles: number;
  /** As printed (two decimals). */
  readonly utilization: number;
  readonly utilizationText: string;
  readonly computes: number;
  /** Total energy per compute, pJ (the `fJ/Compute … Total` line / 1000). */
  readonly pjPerCompute: number;
  /** Storage levels innermost first: name → data space → counts. */
  readonly levels: ReadonlyArray<{ readonly name: string; readonly dataSpaces: Readonly<Record<string, StatsCounts>> }>;
}

const number = (s: string): number => Number(s.replace(/,/g, ''));

/** Parses the parts of a `timeloop-model.stats.txt` the validation compares (one-pass, line by line). */
export function parseTimeloopStats(path: string): TimeloopStats {
  const lines = readFileSync(path, 'utf8').split(/\r?\n/);
  const levels: Array<{ name: string; dataSpaces: Record<string, StatsCounts> }> = [];
  let current: { name: string; dataSpaces: Record<string, StatsCounts> } | undefined;
  let space: StatsCounts | undefined;
  let inLevels = true;
  let inEnergy = false;
  let cycles = NaN;
  let utilization = NaN;
  let utilizationText = '';
  let computes = NaN;
  let pjPerCompute = NaN;
  for (const line of lines) {
    if (/^Networks\s*$/.test(line)) inLevels = false;
    if (inLevels) {
      const lvl = /^=== (.+) ===\s*$/.exec(line);
      if (lvl) {
        current = { name: lvl[1], dataSpaces: {} };
        space = undefined;
        // The arithmetic level (MACs) has no data spaces; only storage levels are kept.
        levels.push(current);
        continue;
      }
      const ds = /^ {4}(\w+):\s*$/.exec(line);
      if (ds && current) {
        space = { reads: NaN, fills: NaN, updates: NaN, utilizedInstances: NaN };
        current.dataSpaces[ds[1]] = space;
        continue;
      }
      const kv = /^\s+(Scalar reads|Scalar fills|Scalar updates) \(per-instance\)\s*:\s*([\d.,]+)/.exec(line) ?? /^\s+(Utilized instances) \(max\)\s*:\s*([\d.,]+)/.exec(line);
      if (kv && space) {
        const v = number(kv[2]);
        if (kv[1] === 'Scalar reads') space.reads = v;
        else if (kv[1] === 'Scalar fills') space.fills = v;
        else if (kv[1] === 'Scalar updates') space.updates = v;
        else space.utilizedInstances = v;
      }
      continue;
    }
    const cyclesM = /^Cycles: (\d+)/.exec(line);
    const utilM = cyclesM ? null : /^Utilization: ([\d.]+)/.exec(line);
    const computesM = cyclesM || utilM ? null : /^Computes = (\d+)/.exec(line);
    if (cyclesM) cycles = number(cyclesM[1]);
    else if (utilM) {
      utilization = number(utilM[1]);
      utilizationText = utilM[1];
    } else if (computesM) computes = number(computesM[1]);
    else if (/^fJ\/Compute/.test(line)) inEnergy = true;
    else if (inEnergy) {
      const totalM = /^\s+Total\s+= ([\d.]+)/.exec(line);
      if (totalM) pjPerCompute = number(totalM[1]) / 1000;
    }
  }
  const storage = levels.filter((l) => Object.keys(l.dataSpaces).length > 0);
  if (![cycles, utilization, computes, pjPerCompute].every(Number.isFinite) || storage.length === 0) {
    throw new Error(`${path}: not a complete timeloop-model stats file (cycles, utilization, computes, pJ/compute, storage levels)`);
  }
  return { cycles, utilization, utilizationText, computes, pjPerCompute, levels: storage };
}
