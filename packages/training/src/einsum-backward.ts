import { einsumOp, parseAxes, withEdges, type EdgeUse, type Layer, type MacOp } from '@trim-dse/core';
import type { BackwardIds } from './mac-backward.js';
import type { TrainingGraph } from './graph.js';
import type { PrecisionPlan } from './precision.js';

type EinsumLayer = Extract<Layer, { kind: 'einsum' }>;

/**
 * Backward of Y[out] = Σ A[a]·X[x] (X = inputs[0]; A = the parameter, or inputs[1]). Each gradient is an einsum over
 * the forward's dims, so each does exactly the forward's MACs:
 * dX[x] = Σ dY[out]·A[a] (backward-data; slot 0 A, slot 1 dY, slot 2 dX), when X needs a gradient;
 * dA[a] = Σ dY[out]·X[x] (slot 0 dY, slot 1 X, slot 2 dA): backward-weight for a parameter, backward-data for a
 * second activation (attention's keys and values get gradients, no optimizer state).
 * An input read through a padded window (`EinsumParams.pad`, conv2d's stored-zeros convention): backward-data writes
 * the gradient of the padded input (its window covers the padded extent, padding rows written like data); the real
 * input gradient is its interior, a view (no data moved), so its readers read the input's own elements. Backward-weight
 * reads the stashed input through the same padded window, as the forward does.
 */
export function einsumBackward(g: TrainingGraph, plan: PrecisionPlan, layer: EinsumLayer, ids: BackwardIds): MacOp[] {
  const p = layer.params;
  const weighted = p.weightAxes !== undefined;
  const xName = layer.inputs[0];
  const y = layer.output;
  const dyB = plan.bytes('gradients', 'backward-data', g.precisionOf(y));
  const dy: EdgeUse = { tensor: g.gradId(y), role: 'grad-outputs', elements: g.elements(y), bytes: dyB };
  const aAxes = weighted ? (p.weightAxes as string) : p.axes[1];
  const weightElems = weighted ? einsumElements(p, aAxes) : 0;
  const base = { layer: layer.name, layerKind: layer.kind, dims: p.dims };
  const ops: MacOp[] = [];
  if (g.requiresGrad(xName)) {
    const aB = weighted ? plan.bytes('weights', 'backward-data', g.precisionOf(xName)) : plan.bytes('activations', 'backward-data', g.precisionOf(layer.inputs[1]));
    const dxB = plan.bytes('gradients', 'backward-data', g.precisionOf(xName));
    const op = einsumOp({
      ...base,
      name: `${layer.name}:bwd-data`,
      phase: 'backward-data',
      operands: [
        { tensor: weighted ? 'weights' : 'inputs', axes: aAxes, bytes: aB },
        { tensor: 'grad-outputs', axes: p.out, bytes: dyB },
        { tensor: 'grad-inputs', axes: p.axes[0], bytes: dxB },
      ],
    });
    const reads = [dy, ...(weighted ? [] : [{ tensor: ids.stash(g.resolve(layer.inputs[1])), role: 'inputs', elements: g.elements(layer.inputs[1]), bytes: aB }])];
    ops.push(withEdges(op, { reads, writes: [{ tensor: g.partialGradId(xName, layer), role: 'grad-inputs', elements: gradElements(g, p, 0, xName), bytes: dxB }] }));
  }
  if (weighted || g.requiresGrad(layer.inputs[1])) {
    const phase = weighted ? 'backward-weight' : 'backward-data';
    const xB = plan.bytes('activations', phase, g.precisionOf(xName));
    const daB = weighted ? plan.bytes('weightGradients', phase, g.precisionOf(xName)) : plan.bytes('gradients', phase, g.precisionOf(layer.inputs[1]));
    const op = einsumOp({
      ...base,
      name: weighted ? `${layer.name}:bwd-weight` : `${layer.name}:bwd-data-b`,
      phase,
      operands: [
        { tensor: 'grad-outputs', axes: p.out, bytes: dyB },
        { tensor: 'inputs', axes: p.axes[0], bytes: xB },
        { tensor: weighted ? 'grad-weights' : 'grad-inputs', axes: aAxes, bytes: daB },
      ],
    });
    const write: EdgeUse = weighted
      ? { tensor: `grad-weights:${p.tiedTo ?? layer.name}`, role: 'grad-weights', elements: weightElems, bytes: daB }
      : { tensor: g.partialGradId(layer.inputs[1], layer), role: 'grad-inputs', elements: gradElements(g, p, 1, layer.inputs[1]), bytes: daB };
    const reads = [{ ...dy, bytes: dyB }, { tensor: ids.stash(g.resolve(xName)), role: 'inputs', elements: g.elements(xName), bytes: xB }];
    ops.push(withEdges(op, { reads, writes: [write] }));
  }
  return ops;
}

/** Elements of input `i`'s gradient as written: the padded input's when it is read through a padded window. */
function gradElements(g: TrainingGraph, p: EinsumLayer['params'], i: number, name: string): number {
  return (p.pad?.[i]?.length ?? 0) > 0 ? einsumElements(p, p.axes[i]) : g.elements(name);
}

/** Elements an operand's axes index: Σ (bound − 1)·coeff + 1 per axis (a window p·s + r spans (P−1)·s + (R−1)·d + 1). */
export function einsumElements(p: Extract<Layer, { kind: 'einsum' }>['params'], axes: string): number {
  const names = p.dims.map(([d]) => d);
  const bounds = p.dims.map(([, b]) => b);
  return parseAxes(axes, names, 'einsum').reduce((n, a) => n * a.terms.reduce((x, t) => x + (bounds[t.dim] - 1) * t.coeff, 1), 1);
}
