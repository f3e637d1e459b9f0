import type { z } from 'zod';
import { TrimInternalError } from './errors.js';

/**
 * A typed fact a hardware template publishes for the dataflows that map onto it (e.g. an FPGA engine's unroll
 * factors and bank depths). Defined once, in a kit package both sides depend on, as a name and a zod schema; the
 * template provides a value when it builds a model, and readers get it typed and validated (once per model).
 * This replaces untyped `meta` bags: a reader can never see a malformed value, and a template that publishes one
 * fails at build time naming the capability and the field.
 */
export interface Capability<T> {
  readonly name: string;
  readonly schema: z.ZodType<T>;
}

/** What a hardware model carries: capability name → value (validated when provided). */
export type Capabilities = Readonly<Record<string, unknown>>;

export function defineCapability<T>(name: string, schema: z.ZodType<T>): Capability<T> {
  return { name, schema };
}

/** Validated entries for `HardwareModel.capabilities`: `capabilities(provide(a, x), provide(b, y))`. */
export function provide<T>(cap: Capability<T>, value: T): readonly [string, T] {
  const r = cap.schema.safeParse(value);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new TrimInternalError(`capability ${cap.name}: field ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`);
  }
  return [cap.name, r.data];
}

export function capabilities(...entries: ReadonlyArray<readonly [string, unknown]>): Capabilities {
  const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const [k, v] of entries) out[k] = v;
  return Object.freeze(out);
}

const seen = new WeakMap<Capabilities, Map<string, unknown>>();

/**
 * The capability's value on a hardware model, validated by its schema (once per model), or undefined when the
 * template does not provide it. A value that fails the schema is a template bug: an internal error naming both.
 */
export function capabilityOf<T>(hw: { readonly capabilities: Capabilities; readonly name: string }, cap: Capability<T>): T | undefined {
  let cache = seen.get(hw.capabilities);
  if (cache === undefined) {
    cache = new Map();
    seen.set(hw.capabilities, cache);
  }
  if (cache.has(cap.name)) return cache.get(cap.name) as T | undefined;
  if (!Object.hasOwn(hw.capabilities, cap.name)) {
    cache.set(cap.name, undefined);
    return undefined;
  }
  const r = cap.schema.safeParse(hw.capabilities[cap.name]);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new TrimInternalError(`hardware ${hw.name}: capability ${cap.name} is malformed at ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`);
  }
  cache.set(cap.name, r.data);
  return r.data;
}
