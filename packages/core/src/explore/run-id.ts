import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { MAX_ONNX_BYTES, readInputBytes } from '../safe-file.js';
import { canonicalJson } from './canonical-json.js';
import type { WorkloadEntry } from './space.js';

/** Hex digits kept of a SHA-256: 64 bits tell runs and records apart (these are integrity checks, not signatures). */
const HEX_DIGITS = 16;

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex').slice(0, HEX_DIGITS);
}

/**
 * SHA-256 of every workload that is a file (built-in names are code, versioned with TRIM): a run resumed or merged
 * after its ONNX or CSV changed would otherwise mix results of two networks.
 */
export function workloadFileHashes(workloads: readonly WorkloadEntry[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const w of workloads) {
    let isFile = false;
    try {
      isFile = statSync(w.workload).isFile();
    } catch {
      /* a built-in name */
    }
    if (isFile && !Object.hasOwn(out, w.workload)) out[w.workload] = sha256Hex(readInputBytes(w.workload, { label: `workload ${w.workload}`, maxBytes: MAX_ONNX_BYTES }));
  }
  return out;
}

/**
 * The identifier of a run: a hash of every header field that decides which points it evaluates and what they come
 * to (space, base, parameters, dataflows, workloads and their file hashes, goal, constraints, search, seed, budget,
 * plug-in options, shard count). The shard index and the finished-run count are not part of it: the shards of one
 * run share it.
 */
export function runIdOf(fields: Record<string, unknown>): string {
  const { runId: _id, shard: _shard, evaluated: _evaluated, ...identity } = fields;
  return sha256Hex(canonicalJson(identity));
}

/** A record's checksum: its canonical JSON (without `run` and `sum`) under the run's identifier. */
export function recordSum(runId: string, recordJson: string): string {
  return sha256Hex(`${runId}\n${recordJson}`);
}
