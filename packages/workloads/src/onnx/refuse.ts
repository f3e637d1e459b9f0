import { TrimUserError } from '@trim-dse/core';
import type { OnnxGraph } from './model.js';
import { findGeluPatterns, type GeluPattern } from './gelu-pattern.js';
import { findNormPatterns, type NormPattern } from './norm-pattern.js';
import { CONSTANT_ONLY_OPS, isSupportedOp, NORM_PATTERN_OPS, REFUSAL_HINTS, SUPPORTED_OPS } from './ops.js';

/** The tensors computed from constants only (initializers, Constant nodes and operators on them): they fold. */
export function constantTensors(graph: OnnxGraph): Set<string> {
  const out = new Set(graph.initializers.keys());
  for (const n of graph.nodes) {
    const inputs = n.inputs.filter((t) => t !== '');
    if (n.opType === 'Constant' || (inputs.length > 0 && inputs.every((t) => out.has(t)))) for (const o of n.outputs) out.add(o);
  }
  return out;
}

/** Operator patterns read as one layer: at the node writing the pattern's output; `absorbed`: their other nodes. */
export interface Patterns {
  readonly norms: ReadonlyMap<number, NormPattern>;
  readonly gelus: ReadonlyMap<number, GeluPattern>;
  readonly absorbed: ReadonlySet<number>;
}

/**
 * Reads the graph before any layer is built: finds the LayerNorm/RMSNorm patterns and refuses, in ONE error, every
 * operator the importer does not map (with its node names and hints), so nothing is dropped silently.
 */
export function checkOperators(graph: OnnxGraph, networkName: string): Patterns {
  const constant = constantTensors(graph);
  const isConst = (t: string) => constant.has(t);
  const norms = findNormPatterns(graph.nodes, isConst);
  const gelus = findGeluPatterns(graph.nodes, isConst);
  const patterns: Patterns = { norms: norms.at, gelus: gelus.at, absorbed: new Set([...norms.absorbed, ...gelus.absorbed]) };
  const bad = new Map<string, string[]>();
  graph.nodes.forEach((n, i) => {
    if (patterns.norms.has(i) || patterns.gelus.has(i) || patterns.absorbed.has(i) || isSupportedOp(n.opType, n.domain)) return;
    const folds = n.inputs.filter((t) => t !== '').every(isConst);
    if ((n.domain === '' || n.domain === 'ai.onnx') && (NORM_PATTERN_OPS.has(n.opType) || CONSTANT_ONLY_OPS.has(n.opType)) && folds) return;
    const op = n.domain && n.domain !== 'ai.onnx' ? `${n.domain}.${n.opType}` : n.opType;
    bad.set(op, [...(bad.get(op) ?? []), n.name || `#${i}`]);
  });
  if (bad.size === 0) return patterns;
  const list = [...bad].map(([op, names]) => `${op} (${names.length > 3 ? `${names.slice(0, 3).join(', ')} and ${names.length - 3} more` : names.join(', ')})`);
  const hints = [...new Set([...bad.keys()].map((op) => REFUSAL_HINTS[op]).filter((h) => h !== undefined))];
  throw new TrimUserError(`ONNX model ${networkName} uses unsupported operators: ${list.join('; ')}${hints.length ? `. ${hints.join('. ')}` : ''}`, {
    field: '--workload',
    fix: `export the model with the supported operators: ${SUPPORTED_OPS.join(', ')}`,
  });
}
