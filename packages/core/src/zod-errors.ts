import { distance } from 'fastest-levenshtein';
import type { z } from 'zod';
import { TrimUserError } from './errors.js';

/** The part of a zod schema's definition the unknown-key walk reads (zod 4's `_zod.def`). */
interface SchemaDef {
  readonly type: string;
  readonly shape?: Readonly<Record<string, Schema>>;
  readonly catchall?: Schema;
  readonly innerType?: Schema;
  readonly in?: Schema;
  readonly element?: Schema;
  readonly options?: readonly Schema[];
  readonly valueType?: Schema;
  readonly items?: readonly Schema[];
  readonly left?: Schema;
  readonly right?: Schema;
  readonly getter?: () => Schema;
}
interface Schema {
  readonly _zod: { readonly def: SchemaDef };
}

/** A schema that is not zod 4's (a plug-in may bring another validator with `safeParse`) has no definition to walk. */
function defOf(s: unknown): SchemaDef | undefined {
  const def = (s as { _zod?: { def?: SchemaDef } } | undefined)?._zod?.def;
  return def && typeof def.type === 'string' ? def : undefined;
}

/** Wrappers whose inner schema validates the value. */
const WRAPPERS = new Set(['optional', 'nullable', 'default', 'prefault', 'readonly', 'catch', 'nonoptional', 'success']);

function unwrap(s: Schema): Schema {
  let cur = s;
  for (let i = 0; i < 64; i++) {
    const d = defOf(cur);
    if (!d) return cur;
    if (WRAPPERS.has(d.type) && d.innerType) cur = d.innerType;
    else if (d.type === 'pipe' && d.in) cur = d.in;
    else if (d.type === 'lazy' && d.getter) cur = d.getter();
    else return cur;
  }
  return cur;
}

/** The object schemas a value at this node may be checked against (every object option of a union). */
function objectsAt(s: Schema): Schema[] {
  const u = unwrap(s);
  const d = defOf(u);
  if (!d) return [];
  if (d.type === 'object') return [u];
  if (d.type === 'union') return (d.options ?? []).flatMap(objectsAt);
  if (d.type === 'intersection') return [...(d.left ? objectsAt(d.left) : []), ...(d.right ? objectsAt(d.right) : [])];
  return [];
}

/** The schemas of one child (`key`) of this node. */
function childrenAt(s: Schema, key: string): Schema[] {
  const out: Schema[] = [];
  const visit = (node: Schema) => {
    const d = defOf(unwrap(node));
    if (!d) return;
    if (d.type === 'object' && d.shape && Object.hasOwn(d.shape, key)) out.push(d.shape[key]);
    else if (d.type === 'record' && d.valueType) out.push(d.valueType);
    else if (d.type === 'array' && d.element && /^\d+$/.test(key)) out.push(d.element);
    else if (d.type === 'tuple' && d.items && /^\d+$/.test(key) && d.items[Number(key)]) out.push(d.items[Number(key)]);
    else if (d.type === 'union') for (const o of d.options ?? []) visit(o);
    else if (d.type === 'intersection') {
      if (d.left) visit(d.left);
      if (d.right) visit(d.right);
    }
  };
  visit(s);
  return out;
}

/** A key the schema does not know, with the keys it does know at that place. */
export interface UnknownKey {
  readonly path: readonly string[];
  readonly key: string;
  readonly known: readonly string[];
}

/**
 * Keys of `value` that no object schema at their place declares (objects that strip or reject unknown keys; a
 * `looseObject` or a record accepts any). zod would drop them silently (or, for strict objects, report them without
 * saying what was meant): a misspelt optional field would then take its default without a word.
 */
export function unknownKeys(schema: z.ZodType, value: unknown): UnknownKey[] {
  const out: UnknownKey[] = [];
  const walk = (s: Schema, v: unknown, path: string[], depth: number) => {
    if (depth > 32 || v === null || typeof v !== 'object') return;
    if (Array.isArray(v)) {
      v.forEach((item, i) => {
        for (const c of childrenAt(s, String(i))) walk(c, item, [...path, String(i)], depth + 1);
      });
      return;
    }
    const objects = objectsAt(s);
    const open = objects.some((o) => {
      const catchall = o._zod.def.catchall;
      return catchall !== undefined && defOf(catchall)?.type !== 'never';
    });
    if (objects.length > 0 && !open) {
      const known = [...new Set(objects.flatMap((o) => Object.keys(o._zod.def.shape ?? {})))];
      for (const key of Object.keys(v)) if (!known.includes(key)) out.push({ path, key, known });
    }
    for (const [key, child] of Object.entries(v)) for (const c of childrenAt(s, key)) walk(c, child, [...path, key], depth + 1);
  };
  walk(schema as unknown as Schema, value, [], 0);
  return out;
}

/**
 * The candidate closest to `name` when it is close enough to be a slip (a case difference, or an edit distance of
 * at most a third of the name's length), else undefined.
 */
export function closestName(name: string, candidates: Iterable<string>): string | undefined {
  const lower = name.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    if (c === name) continue;
    const d = c.toLowerCase() === lower ? 0 : distance(lower, c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best !== undefined && bestDistance <= Math.max(1, Math.floor(name.length / 3)) ? best : undefined;
}

/** ` (did you mean "x"?)` when a candidate is close to `name`, else the empty string. */
export function didYouMean(name: string, candidates: Iterable<string>): string {
  const c = closestName(name, candidates);
  return c === undefined ? '' : ` (did you mean "${c}"?)`;
}

function unknownKeyError(u: UnknownKey, where: string, others: number): TrimUserError {
  const path = [...u.path, u.key].join('.');
  const near = closestName(u.key, u.known);
  const hint = near !== undefined ? `did you mean "${near}"?` : `fields here: ${u.known.join(', ') || 'none'}`;
  const more = others > 0 ? ` (and ${others} more problem${others > 1 ? 's' : ''})` : '';
  const parent = u.path.length ? `${u.path.join('.')}.` : '';
  return new TrimUserError(`${where}: field ${path}: unknown field (${hint})${more}`, {
    field: path,
    fix: near !== undefined ? `rename it to ${parent}${near}` : `remove it, or use one of: ${u.known.join(', ')}`,
  });
}

/**
 * One line naming the file, the first failing field (as a path) and what was expected. Given the value that was
 * parsed, a field the schema does not know comes first when it is a slip for one it does (`clockMhz` for
 * `clockMHz`: otherwise it reads as "clockMHz: missing"), or when `unknownKeys` is `error`.
 */
export function zodUserError(err: z.ZodError, where: string, parsed?: { readonly schema: z.ZodType; readonly value: unknown; readonly unknownKeys?: ParseOptions['unknownKeys'] }): TrimUserError {
  if (parsed) {
    const unknown = unknownKeys(parsed.schema, parsed.value);
    // An unknown field at or under the first failing field (a union that matched no option) is its cause too.
    const failing = err.issues[0].path.map(String);
    const under = (u: UnknownKey) => failing.every((p, i) => u.path[i] === p);
    const slip = parsed.unknownKeys === 'error' ? unknown[0] : unknown.find((u) => closestName(u.key, u.known) !== undefined || under(u));
    if (slip) {
      // The field the slip was meant to be is reported missing: that is the same problem.
      const meant = [...slip.path, closestName(slip.key, slip.known) ?? ''].join('.');
      const others = err.issues.filter((i) => i.code !== 'unrecognized_keys' && i.path.map(String).join('.') !== meant).length;
      return unknownKeyError(slip, where, others + unknown.length - 1);
    }
  }
  const issue = err.issues[0];
  const more = err.issues.length - 1;
  if (issue.code === 'unrecognized_keys' && issue.keys.length > 0) {
    const path = issue.path.map(String);
    const known = parsed ? [...new Set(objectsAtPath(parsed.schema as unknown as Schema, path).flatMap((o) => Object.keys(o._zod.def.shape ?? {})))] : [];
    return unknownKeyError({ path, key: issue.keys[0], known }, where, more + issue.keys.length - 1);
  }
  const path = issue.path.length ? issue.path.map(String).join('.') : '(root)';
  const absent = parsed !== undefined && issue.path.length > 0 && valueAt(parsed.value, issue.path) === undefined;
  const what = absent && !/^missing/.test(plainMessage(issue.message)) ? `missing (${plainMessage(issue.message).replace(/^Invalid option: /, '')})` : plainMessage(issue.message);
  return new TrimUserError(`${where}: field ${path}: ${what}${more > 0 ? ` (and ${more} more problem${more > 1 ? 's' : ''})` : ''}`, { field: path, fix: what });
}

/** The value at a zod issue's path (undefined when a part is absent). */
function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let v = value;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}

/** The object schemas at a path of the value (through wrappers, unions, arrays and records). */
function objectsAtPath(schema: Schema, path: readonly string[]): Schema[] {
  let nodes = [schema];
  for (const key of path) nodes = nodes.flatMap((n) => childrenAt(n, key));
  return nodes.flatMap(objectsAt);
}

/** zod's wording made plain: a missing field says so, and a non-finite number is not echoed as "Infinity". */
function plainMessage(message: string): string {
  const m = message.replace(/^Invalid input: /, '');
  const missing = /^expected (.+), received undefined$/.exec(m);
  if (missing) return `missing (expected ${missing[1]})`;
  return m.replace(/received (Infinity|-Infinity|NaN)$/, 'received a non-finite number').replace(/^expected (.+), received (\w+)$/, 'expected $1, got $2');
}

export interface ParseOptions {
  /**
   * `error`: a field no schema object declares is an error even when the rest parses (architecture files, design
   * points: a misspelt optional field would otherwise take its default silently). Default: only reported when the
   * parse fails (schemas that ignore other plug-ins' keys on purpose keep doing so).
   */
  readonly unknownKeys?: 'error';
}

/** Parses with a zod schema, turning failure into a user error that names the field. */
export function parseWith<T>(schema: z.ZodType<T>, value: unknown, where: string, options: ParseOptions = {}): T {
  const r = schema.safeParse(value);
  if (!r.success) throw zodUserError(r.error, where, { schema, value, ...(options.unknownKeys ? { unknownKeys: options.unknownKeys } : {}) });
  if (options.unknownKeys === 'error') {
    const unknown = unknownKeys(schema, value);
    if (unknown.length > 0) throw unknownKeyError(unknown[0], where, unknown.length - 1);
  }
  return r.data;
}
