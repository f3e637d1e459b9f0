import { TrimUserError } from './errors.js';
import type { Plugin } from './plugin.js';

type Rule = 'string' | 'function' | 'object' | 'boolean' | 'schema' | 'templates' | 'string[]';

/** What every contribution of each kind must carry (optional members are checked when present). */
const CONTRIBUTIONS: Record<string, { readonly required: Record<string, Rule>; readonly optional: Record<string, Rule>; readonly forbidden?: Record<string, string> }> = {
  dataflows: {
    required: { name: 'string', description: 'string', templates: 'templates', mapspace: 'function' },
    optional: { configSchema: 'schema', supports: 'function', kind: 'string' },
    forbidden: {
      evaluate: 'a dataflow only proposes mappings; the hardware template prices them (move the cost into the template, see docs/plugins.md)',
    },
  },
  hardware: {
    required: { name: 'string', description: 'string', configSchema: 'schema', builtins: 'object', build: 'function' },
    optional: { importers: 'object', kind: 'string' },
  },
  phaseModels: { required: { name: 'string', description: 'string', ops: 'function' }, optional: { configSchema: 'schema', kind: 'string' } },
  workloadSources: {
    required: { name: 'string', description: 'string', load: 'function' },
    optional: { builtins: 'string[]', extensions: 'string[]', accepts: 'function', kind: 'string' },
  },
  searches: {
    required: { name: 'string', description: 'string', create: 'function' },
    optional: { configSchema: 'schema', defaultBudget: 'function', oblivious: 'boolean', kind: 'string' },
  },
  spaces: { required: { name: 'string', description: 'string', template: 'string', parameters: 'object' }, optional: { dataflows: 'string[]' } },
  validationSuites: { required: { name: 'string', description: 'string', detect: 'function', run: 'function' }, optional: { kind: 'string' } },
  mappingReaders: { required: { name: 'string', description: 'string', accepts: 'function', read: 'function' }, optional: { kind: 'string' } },
};

function satisfies(v: unknown, rule: Rule): boolean {
  switch (rule) {
    case 'string':
      return typeof v === 'string' && v.length > 0;
    case 'function':
      return typeof v === 'function';
    case 'object':
      return v !== null && typeof v === 'object';
    case 'boolean':
      return typeof v === 'boolean';
    case 'schema':
      return v !== null && typeof v === 'object' && typeof (v as { safeParse?: unknown }).safeParse === 'function';
    case 'templates':
      return v === '*' || (Array.isArray(v) && v.every((x) => typeof x === 'string'));
    case 'string[]':
      return Array.isArray(v) && v.every((x) => typeof x === 'string');
  }
}

const WANT: Record<Rule, string> = {
  string: 'a non-empty string',
  function: 'a function',
  object: 'an object',
  boolean: 'true or false',
  schema: 'a zod schema',
  templates: "'*' or a list of template names",
  'string[]': 'a list of strings',
};

/**
 * Checks a plug-in's whole shape when it is registered, so that a malformed outside plug-in fails at load time with
 * one line naming the plug-in, the contribution and the member — not later, mid-run, with a TypeError.
 */
export function validatePluginShape(p: unknown, where: string): Plugin {
  const bad = (what: string, fix?: string): never => {
    throw new TrimUserError(`plug-in ${where}: ${what}`, { field: 'plugins', ...(fix ? { fix } : {}) });
  };
  if (p === null || typeof p !== 'object') bad('is not an object (expected definePlugin({ name, … }))');
  const plugin = p as Record<string, unknown>;
  if (typeof plugin.name !== 'string' || plugin.name.length === 0) bad('has no name');
  for (const key of Object.keys(plugin)) {
    if (key !== 'name' && !(key in CONTRIBUTIONS)) bad(`unknown field "${key}" (known: name, ${Object.keys(CONTRIBUTIONS).join(', ')})`);
  }
  for (const [list, rules] of Object.entries(CONTRIBUTIONS)) {
    const items = plugin[list];
    if (items === undefined) continue;
    if (!Array.isArray(items)) bad(`${list} must be a list`);
    (items as unknown[]).forEach((item, i) => {
      const label = `${list}[${i}]${item && typeof (item as { name?: unknown }).name === 'string' ? ` (${(item as { name: string }).name})` : ''}`;
      if (item === null || typeof item !== 'object') bad(`${label} is not an object`);
      const o = item as Record<string, unknown>;
      for (const [k, rule] of Object.entries(rules.required)) if (!satisfies(o[k], rule)) bad(`${label}.${k} must be ${WANT[rule]}`);
      for (const [k, rule] of Object.entries(rules.optional)) if (o[k] !== undefined && !satisfies(o[k], rule)) bad(`${label}.${k} must be ${WANT[rule]}`);
      for (const [k, why] of Object.entries(rules.forbidden ?? {})) if (o[k] !== undefined) bad(`${label}.${k}: ${why}`);
    });
  }
  return plugin as unknown as Plugin;
}
