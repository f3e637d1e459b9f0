/**
 * Keys that reach an object's prototype when data is copied key by key (`o[k] = v`): refused in every file TRIM reads
 * into objects it copies (design spaces, `--set` paths, results files), so no input can pollute `Object.prototype`.
 */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * JSON with object keys sorted at every depth, so that equal data always gives equal bytes (results files are
 * compared byte for byte across runs, workers and shards). Non-finite numbers are refused: they are not JSON.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    // A prototype-less copy: a key named __proto__ (JSON.parse makes it an own property) stays a plain key.
    const out = Object.create(null) as Record<string, unknown>;
    for (const k of Object.keys(o).sort()) if (o[k] !== undefined) out[k] = sortKeys(o[k]);
    return out;
  }
  if (typeof v === 'number' && !Number.isFinite(v)) throw new RangeError(`canonicalJson: ${v} is not a JSON number`);
  return v;
}
