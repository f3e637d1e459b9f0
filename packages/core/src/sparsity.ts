import { z } from 'zod';
import { TrimUserError } from './errors.js';
import { withOperands, type MacOp, type Op } from './op.js';
import { readYamlFile } from './resolve.js';
import { parseWith } from './zod-errors.js';

/**
 * Applies measured activation sparsity to a chain of MAC ops: the input density of each op is 1 − its layer's
 * published input zero fraction (the network's first MAC layer takes the image, dense and never compressed); the
 * output density of op i is the input density of the next MAC op (post-ReLU zeros are at least as many before
 * pooling, so the compressed size is over-estimated); the last op reuses its own input density. Weights stay dense.
 * Only templates that model compression or zero-gating read densities; elsewhere they change nothing.
 */
export function withInputZeroFractions(ops: readonly Op[], zeroFraction: Readonly<Record<string, number>>): Op[] {
  const macs = ops.filter((o): o is MacOp => o.kind === 'mac');
  const inDensity = new Map<MacOp, number>();
  macs.forEach((op, i) => inDensity.set(op, i === 0 ? 1 : 1 - (zeroFraction[op.layer] ?? 0)));
  return ops.map((op) => {
    if (op.kind !== 'mac') return op;
    const i = macs.indexOf(op);
    const dIn = inDensity.get(op)!;
    const dOut = i + 1 < macs.length ? inDensity.get(macs[i + 1])! : dIn;
    const [w, x, y] = op.operands;
    return withOperands(op, [w, { ...x, density: dIn }, { ...y, density: dOut }]);
  });
}

const fractions = z.record(z.string(), z.number().min(0).lt(1));

/**
 * Reads per-layer input zero fractions from JSON/YAML: either a flat `{ layer: fraction }` map, or a reference
 * file carrying one under `workload.ifmapZeroFractionPerLayer` (as validation/eyeriss has; its `source`
 * string is ignored).
 */
export function readZeroFractions(path: string): Record<string, number> {
  const doc = readYamlFile(path);
  if (doc === null || typeof doc !== 'object') throw new TrimUserError(`${path}: expected a map of layer names to zero fractions`, { field: '--zero-fractions' });
  const nested = (doc as { workload?: { ifmapZeroFractionPerLayer?: unknown } }).workload?.ifmapZeroFractionPerLayer;
  const raw = nested !== undefined ? nested : doc;
  const numeric = Object.fromEntries(Object.entries(raw as Record<string, unknown>).filter(([k]) => k !== 'source'));
  return parseWith(fractions, numeric, path);
}
