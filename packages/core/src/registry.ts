import { TrimUserError } from './errors.js';
import type {
  DataflowPlugin,
  DesignSpaceSpec,
  ValidationSuitePlugin,
  HardwarePlugin,
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
      throw new TrimUserError(`unknown ${this.what} "${name}" (known: ${known})`, {
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
  readonly plugins: string[] = [];
  /** From `trim.config.yaml`: what to do when a plug-in fails while running (loading failures follow it too). */
  onPluginError: 'stop' | 'skip' = 'stop';

  use(plugin: Plugin): this {
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
    return this;
  }

  /** Dataflows that declare support for a template. */
  dataflowsFor(template: string): DataflowPlugin<unknown>[] {
    return this.dataflows.values().filter((d) => d.templates === '*' || d.templates.includes(template));
  }
}
