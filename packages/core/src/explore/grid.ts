import { TrimUserError } from '../errors.js';
import type { SearchPoint } from '../plugin.js';
import type { ParameterValue, SpaceParameter } from './space.js';

/**
 * The points of a design space as a mixed-radix number: point index = Σ value index × stride, the last parameter
 * varying fastest. Indices give every point a stable name for results files, sharding and merging.
 */
export class Grid {
  readonly sizes: readonly number[];
  readonly names: readonly string[];
  readonly size: number;
  private readonly strides: number[];

  constructor(readonly parameters: readonly SpaceParameter[]) {
    this.sizes = parameters.map((p) => p.values.length);
    this.names = parameters.map((p) => p.path);
    this.strides = new Array<number>(parameters.length);
    let s = 1;
    for (let i = parameters.length - 1; i >= 0; i--) {
      this.strides[i] = s;
      s *= this.sizes[i];
    }
    if (!Number.isSafeInteger(s)) throw new TrimUserError(`the design space has too many points (${s})`, { field: 'parameters', fix: 'sweep fewer values' });
    this.size = s;
  }

  indexOf(point: SearchPoint): number {
    let idx = 0;
    for (let i = 0; i < this.sizes.length; i++) {
      const v = point[i];
      if (!Number.isInteger(v) || v < 0 || v >= this.sizes[i]) throw new RangeError(`point coordinate ${i} = ${v} is outside 0..${this.sizes[i] - 1}`);
      idx += v * this.strides[i];
    }
    return idx;
  }

  pointAt(index: number): number[] {
    return this.strides.map((s, i) => Math.floor(index / s) % this.sizes[i]);
  }

  /** The parameter values of a point, by path (in the space's parameter order). */
  valuesAt(index: number): Record<string, ParameterValue> {
    const p = this.pointAt(index);
    const out: Record<string, ParameterValue> = {};
    this.parameters.forEach((par, i) => {
      out[par.path] = par.values[p[i]];
    });
    return out;
  }

  /** The `--set path=value` strings that turn the base spec into this point. */
  setsAt(index: number): string[] {
    return Object.entries(this.valuesAt(index)).map(([path, v]) => `${path}=${String(v)}`);
  }
}
