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
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(o).sort()) if (o[k] !== undefined) out[k] = sortKeys(o[k]);
    return out;
  }
  if (typeof v === 'number' && !Number.isFinite(v)) throw new RangeError(`canonicalJson: ${v} is not a JSON number`);
  return v;
}
