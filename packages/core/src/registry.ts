import { TrimUserError } from './errors.js';
import { validatePluginShape } from './plugin-shape.js';
import { didYouMean, unknownKeys, zodUserError } from './zod-errors.js';
import type {
  DataflowPlugin,
  DesignSpaceSpec,
  ValidationSuitePlugin,
  HardwarePlugin,
  MappingReader,
  PhaseModelPlugin,
  Plugin,
  SearchPlugin,
  WorkloadSourcePlugin,
} from './plugin.js';

interface Entry<T> {
  readonly value: T;
  readonly from: string;
}

class Table<T extends { name: string }> {
  private readonly map = new Map<string, Entry<T>>();
  constructor(private readonly what: string) {}

  add(value: T, from: string): void {
    const had = this.map.get(value.name);
    if (had) {
      throw new TrimUserError(
        `${this.what} "${value.name}" is registered twice: by ${had.from} and by ${from}`,
        { field: 'plugins', fix: `remove one of the two plug-ins from the config, or rename the ${this.what}` },
      );
    }
    this.map.set(value.name, { value, from });
  }

  get(name: string): T {
    const e = this.map.get(name);
    if (!e) {
      const known = [...this.map.keys()].sort().join(', ') || 'none';
      throw new TrimUserError(`unknown ${this.what} "${name}"${didYouMean(name, this.map.keys())} (known: ${known})`, {
        fix: `use one of the registered names, or load the plug-in that provides it`,
      });
    }
    return e.value;
  }

  has(name: string): boolean {
    return this.map.has(name);
  }

  entries(): Array<{ name: string; from: string; value: T }> {
    return [...this.map.entries()].map(([name, e]) => ({ name, from: e.from, value: e.value }));
  }

  values(): T[] {
    return [...this.map.values()].map((e) => e.value);
  }
}

/** A named built-in architecture: the template that builds it and its raw spec. */
export interface ArchitectureEntry {
  readonly name: string;
  readonly template: string;
  readonly spec: unknown;
}

/**
 * Everything the plug-ins registered, by name. Names are unique per kind; a duplicate is an error that names both
 * packages.
 */
export class Registry {
  readonly dataflows = new Table<DataflowPlugin<unknown>>('dataflow');
  readonly hardware = new Table<HardwarePlugin<unknown>>('hardware template');
  readonly phaseModels = new Table<PhaseModelPlugin<unknown>>('phase model');
  readonly workloadSources = new Table<WorkloadSourcePlugin>('workload source');
  readonly searches = new Table<SearchPlugin<unknown>>('search strategy');
  readonly architectures = new Table<ArchitectureEntry>('architecture');
  readonly spaces = new Table<DesignSpaceSpec>('design space');
  readonly validationSuites = new Table<ValidationSuitePlugin>('validation suite');
  readonly mappingReaders = new Table<MappingReader>('mapping reader');
  readonly plugins: string[] = [];
  /** From `trim.config.yaml`: what to do when a plug-in fails while running (loading failures follow it too). */
  onPluginError: 'stop' | 'skip' = 'stop';

  /** Options given to configurable contributions, by `kind:name`, with where they came from (for messages). */
  private readonly options = new Map<string, { values: Record<string, unknown>; from: string[] }>();
  private readonly parsed = new Map<string, unknown>();

  use(input: Plugin): this {
    const plugin = validatePluginShape(input, typeof (input as { name?: unknown })?.name === 'string' ? input.name : '(unnamed)');
    const from = plugin.name;
    if (this.plugins.includes(from)) throw new TrimUserError(`plug-in ${from} is loaded twice`, { field: 'plugins' });
    this.plugins.push(from);
    for (const d of plugin.dataflows ?? []) this.dataflows.add(d, from);
    for (const h of plugin.hardware ?? []) {
      this.hardware.add(h, from);
      for (const [name, spec] of Object.entries(h.builtins)) this.architectures.add({ name, template: h.name, spec }, from);
    }
    for (const p of plugin.phaseModels ?? []) this.phaseModels.add(p, from);
    for (const w of plugin.workloadSources ?? []) this.workloadSources.add(w, from);
    for (const s of plugin.searches ?? []) this.searches.add(s, from);
    for (const s of plugin.spaces ?? []) this.spaces.add(s, from);
    for (const v of plugin.validationSuites ?? []) this.validationSuites.add(v, from);
    for (const r of plugin.mappingReaders ?? []) this.mappingReaders.add(r, from);
    return this;
  }

  /** Dataflows that declare support for a template. */
  dataflowsFor(template: string): DataflowPlugin<unknown>[] {
    return this.dataflows.values().filter((d) => d.templates === '*' || d.templates.includes(template));
  }

  /** The configurable contributions (dataflows, phase models, searches) named `name`, as `kind:name` keys. */
  private targets(name: string): string[] {
    const out: string[] = [];
    for (const [kind, table] of CONFIGURABLE) if (this[table].has(name) && this[table].get(name).configSchema) out.push(`${kind}:${name}`);
    return out;
  }

  /**
   * Gives options to the contribution `target` (`rs`, or `dataflow:rs` when several kinds share the name), merged
   * over earlier ones. They reach the contribution's config schema, parsed when it is first used (`configOf`) with
   * errors naming the option; `from` says where they came from (`--plugin-option`, a config file).
   */
  setOptions(target: string, values: Record<string, unknown>, from: string): void {
    const colon = target.indexOf(':');
    const keys = colon > 0 ? [target] : this.targets(target);
    const known = () => [...CONFIGURABLE].flatMap(([, t]) => this[t].values().filter((v) => v.configSchema).map((v) => v.name)).sort().join(', ');
    if (keys.length === 0 || (colon > 0 && !this.targets(target.slice(colon + 1)).includes(target))) {
      throw new TrimUserError(`${from}: no configurable plug-in named "${target}"${didYouMean(target, known().split(', '))} (configurable: ${known()})`, { field: from, fix: 'name a dataflow, phase model or search strategy (trim list)' });
    }
    if (keys.length > 1) {
      throw new TrimUserError(`${from}: "${target}" names several plug-ins (${keys.join(', ')})`, { field: from, fix: `write ${keys[0]}.<option>=…` });
    }
    const key = keys[0];
    const had = this.options.get(key) ?? { values: {}, from: [] };
    this.options.set(key, { values: { ...had.values, ...values }, from: [...new Set([...had.from, from])] });
    this.parsed.delete(key);
  }

  /**
   * A contribution's parsed config: its schema applied to the options given to it (or `{}`), once. `extra` adds
   * per-run values (a phase model's `batch`, the CLI's training flags) on top, parsed each call.
   */
  configOf(kind: ConfigurableKind, plugin: { readonly name: string; readonly configSchema?: import('./plugin.js').ConfigSchema<unknown> }, extra?: Record<string, unknown>): unknown {
    const key = `${kind}:${plugin.name}`;
    if (!extra && this.parsed.has(key)) return this.parsed.get(key);
    const given = this.options.get(key);
    const raw = { ...(given?.values ?? {}), ...(extra ?? {}) };
    if (!plugin.configSchema) {
      const unknown = Object.keys(given?.values ?? {});
      if (unknown.length > 0) throw new TrimUserError(`${given!.from.join(', ')}: ${kind} ${plugin.name} takes no options (given: ${unknown.join(', ')})`, { field: `${plugin.name}.${unknown[0]}` });
      return raw;
    }
    const r = plugin.configSchema.safeParse(raw);
    // An option the schema does not declare would be dropped without a word: name it, and what was meant.
    const unknown = given && r.success ? unknownKeys(plugin.configSchema, given.values) : [];
    if (unknown.length > 0) {
      const u = unknown[0];
      throw new TrimUserError(`${given!.from.join(', ')}: ${kind} ${plugin.name} has no option "${[...u.path, u.key].join('.')}"${didYouMean(u.key, u.known)} (options: ${u.known.join(', ')})`, {
        field: `${plugin.name}.${[...u.path, u.key].join('.')}`,
      });
    }
    if (!r.success) throw zodUserError(r.error, `options of ${kind} ${plugin.name}${given ? ` (from ${given.from.join(', ')})` : ''}`, { schema: plugin.configSchema, value: raw });
    if (!extra) this.parsed.set(key, r.data);
    return r.data;
  }
}

export type ConfigurableKind = 'dataflow' | 'phase' | 'search';
const CONFIGURABLE: ReadonlyArray<readonly [ConfigurableKind, 'dataflows' | 'phaseModels' | 'searches']> = [
  ['dataflow', 'dataflows'],
  ['phase', 'phaseModels'],
  ['search', 'searches'],
];
