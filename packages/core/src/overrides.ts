import { TrimUserError } from './errors.js';
import { FORBIDDEN_KEYS } from './explore/canonical-json.js';

/** A `--set path=value` value: numbers, booleans and "unbounded"-style words as written; JSON for lists/objects. */
export function parseSetValue(raw: string): unknown {
  const t = raw.trim();
  if (t === 'true') return true;
  if (t === 'false') return false;
  if (t !== '' && /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(t)) return Number(t);
  if (t.startsWith('[') || t.startsWith('{')) {
    let forbidden: string | undefined;
    let value: unknown;
    try {
      value = JSON.parse(t, (k, v: unknown) => {
        if (FORBIDDEN_KEYS.has(k)) forbidden = k;
        return v;
      });
    } catch {
      throw new TrimUserError(`--set value "${raw}" looks like JSON but does not parse`, { field: '--set', fix: 'quote lists and objects as valid JSON' });
    }
    if (forbidden !== undefined) throw new TrimUserError(`--set value "${raw}": "${forbidden}" is not a field name`, { field: '--set', fix: 'name fields of the spec only' });
    return value;
  }
  return t;
}

/**
 * Applies `path=value` to a raw (unparsed) spec, in place on a copy. Paths are dotted; numeric parts index arrays,
 * and a part may also name an array element by its `name` field (`levels.glb.capacityWords=65536`).
 */
export function applySets(spec: unknown, sets: readonly string[]): unknown {
  if (sets.length === 0) return spec;
  const root = structuredClone(spec) as Record<string, unknown>;
  for (const s of sets) {
    const eq = s.indexOf('=');
    if (eq <= 0) throw new TrimUserError(`--set "${s}": expected path=value`, { field: '--set', fix: 'write --set clockMHz=100' });
    const path = s.slice(0, eq).split('.');
    const bad = path.find((p) => FORBIDDEN_KEYS.has(p));
    // A part such as __proto__ would reach Object.prototype (every object would gain the field): never a spec field.
    if (bad !== undefined) throw new TrimUserError(`--set "${s}": "${bad}" is not a field name`, { field: '--set', fix: 'name a field of the spec (trim show arch <name> lists them)' });
    const value = parseSetValue(s.slice(eq + 1));
    let node: unknown = root;
    for (let i = 0; i < path.length - 1; i++) node = child(node, path[i], s, true);
    const last = path[path.length - 1];
    if (Array.isArray(node)) {
      const idx = indexIn(node, last, s);
      node[idx] = value;
    } else if (node !== null && typeof node === 'object') {
      (node as Record<string, unknown>)[last] = value;
    } else throw new TrimUserError(`--set "${s}": ${path.slice(0, -1).join('.')} is not an object`, { field: path.join('.') });
  }
  return root;
}

function indexIn(arr: unknown[], part: string, s: string): number {
  if (/^\d+$/.test(part)) {
    const i = Number(part);
    if (i >= arr.length) throw new TrimUserError(`--set "${s}": index ${i} is past the end (${arr.length} entries)`, { field: s });
    return i;
  }
  const i = arr.findIndex((e) => e !== null && typeof e === 'object' && (e as { name?: unknown }).name === part);
  if (i < 0) throw new TrimUserError(`--set "${s}": no entry named "${part}"`, { field: s });
  return i;
}

function child(node: unknown, part: string, s: string, create: boolean): unknown {
  if (Array.isArray(node)) return node[indexIn(node, part, s)];
  if (node !== null && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    // Creating a path through a non-object value (e.g. `dram.bandwidth.GBps` on an "unbounded" base) replaces it.
    if (create && (!Object.hasOwn(o, part) || o[part] === undefined || o[part] === null || typeof o[part] !== 'object')) o[part] = {};
    return o[part];
  }
  throw new TrimUserError(`--set "${s}": cannot descend into "${part}"`, { field: s });
}
