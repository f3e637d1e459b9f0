import type { z } from 'zod';
import type { HardwareModel } from './hardware.js';
import type { Network } from './ir/network.js';
import type { Mapping } from './mapping.js';
import type { Emit, MapSearch } from './map-search.js';
import type { MacOp, Op } from './op.js';
import type { Precision } from './precision.js';

/** Options every plug-in config schema is parsed with: zod (which implements Standard Schema). */
export type ConfigSchema<C> = z.ZodType<C>;

/**
 * A dataflow: which mappings of an op onto a template are allowed (Timeloop's mapspace). `mapspace` emits candidates
 * through `emit`; it may reuse and mutate one Mapping object between calls (the caller copies what it keeps), so it
 * should allocate nothing per candidate. A dataflow never prices anything: the hardware template's cost model
 * (`hw.cost`) prices every candidate, the same way for a built-in dataflow and an outside one.
 */
export interface DataflowPlugin<C = Record<string, unknown>> {
  readonly kind: 'dataflow';
  readonly name: string;
  readonly description: string;
  /** Template names it applies to, or '*' for any template. */
  readonly templates: readonly string[] | '*';
  readonly configSchema?: ConfigSchema<C>;
  supports?(op: MacOp, hw: HardwareModel): boolean;
  /**
   * `emit` returns the candidate's rank under the run's goal (lower is better, Infinity when illegal); `search` is
   * how the run wants the space walked (exhaustive, beam, a budget of candidates): a mapspace that has one walk may
   * ignore both (a caller that gives no `search` wants the default walk), and core stops any mapspace once it has
   * emitted `search.budget` candidates.
   */
  mapspace(op: MacOp, hw: HardwareModel, emit: Emit, config: C, search?: MapSearch): void;
}

/**
 * A hardware template: a zod spec, named built-in architectures, and `build` from a parsed spec to a hardware model
 * whose `cost` prices any mapping of any op (see `CostModel`).
 */
export interface HardwarePlugin<C = Record<string, unknown>> {
  readonly kind: 'hardware';
  readonly name: string;
  readonly description: string;
  readonly configSchema: ConfigSchema<C>;
  /** Built-in architectures of this template, as raw (unparsed) specs. */
  readonly builtins: Readonly<Record<string, unknown>>;
  build(config: C, name: string): HardwareModel;
  /** File formats this template reads besides its own YAML (e.g. SCALE-Sim `.cfg`). */
  readonly importers?: readonly ArchImporter[];
}

export interface ArchImporter {
  /** File extensions this importer reads (`.cfg`). YAML/JSON files are claimed by content instead (`accepts`). */
  readonly extensions: readonly string[];
  /**
   * For a YAML/JSON file without a `template:` field: whether this importer reads it, from its parsed content
   * (e.g. a Timeloop architecture has a top-level `architecture:`). The first template that accepts it wins.
   */
  accepts?(data: unknown, path: string): boolean;
  /** Turns the file's text into a raw spec of the template (validated afterwards by its schema). */
  parse(text: string, path: string): unknown;
}

/**
 * A fixed mapping read from a file (`trim eval --mapping FILE`): the mapping to evaluate for each op, or undefined
 * when the file has none for it. Evaluated as given by the template's cost model; an illegal one is a user error
 * with the template's reason.
 */
export interface FixedMapping {
  mappingFor(op: MacOp, hw: HardwareModel): Mapping | undefined;
}

/** Reads a mapping file format (Timeloop's `map.yaml`, TRIM's own printed mappings, …). */
export interface MappingReader {
  readonly kind?: 'mapping-reader';
  readonly name: string;
  readonly description: string;
  /** Whether this reader reads the file, from its parsed YAML/JSON content. */
  accepts(data: unknown, path: string): boolean;
  read(data: unknown, path: string): FixedMapping;
}

export interface PhaseOptions {
  readonly batch: number;
  readonly [option: string]: unknown;
}

/** Turns a network into the ops of one step (inference: forward; training: forward, backward and update). */
export interface PhaseModelPlugin<C = Record<string, unknown>> {
  readonly kind: 'phase';
  readonly name: string;
  readonly description: string;
  readonly configSchema?: ConfigSchema<C>;
  /** Options this phase asks of the workload (decode: `{ mode: 'decode' }`, a one-token step over a KV cache). */
  readonly workloadOptions?: Readonly<Record<string, unknown>>;
  ops(net: Network, config: C): Op[];
}

export interface WorkloadLoadOptions {
  readonly batch: number;
  readonly precision: Precision;
  readonly [k: string]: unknown;
}

/** A workload source: built-in networks by name, or files by extension. */
export interface WorkloadSourcePlugin {
  readonly kind: 'workload';
  readonly name: string;
  readonly description: string;
  readonly builtins?: readonly string[];
  readonly extensions?: readonly string[];
  /** For shared extensions (`.yaml`): whether this source reads the file; default yes for its extensions. */
  accepts?(path: string): boolean;
  /**
   * `precision` is the tensor precision to use wherever the file declares none (the user's `--precision`, else the
   * architecture's native word).
   */
  load(ref: string, options: WorkloadLoadOptions): Network | Promise<Network>;
}

/** A point of a design space: one index per dimension. */
export type SearchPoint = readonly number[];

export interface SearchSpaceView {
  /** Number of values of each dimension. */
  readonly sizes: readonly number[];
  readonly names: readonly string[];
  /** Names of the objective vector `tell` receives (first = the goal to minimise; the rest for the Pareto set). */
  readonly objectives?: readonly string[];
}

/**
 * A search strategy proposes points and is told their objectives (lower is better for each). It must be
 * deterministic for a given seed and anytime: `best()` is valid after any number of `tell`s.
 */
export interface SearchStrategy {
  /** Up to `count` new points to evaluate; an empty array means the strategy is done. */
  ask(count: number): SearchPoint[];
  tell(point: SearchPoint, objectives: readonly number[]): void;
  /** The non-dominated points told so far (optional; what `best()` would pick from). */
  front?(): ReadonlyArray<{ readonly point: SearchPoint; readonly objectives: readonly number[] }>;
}

export interface SearchPlugin<C = Record<string, unknown>> {
  readonly kind: 'search';
  readonly name: string;
  readonly description: string;
  readonly configSchema?: ConfigSchema<C>;
  /**
   * True when the points it proposes never depend on what it is told (exhaustive, random): such a search can be
   * sharded (`--shard i/N`), every shard proposing the same sequence and evaluating its own share.
   */
  readonly oblivious?: boolean;
  /** Points to evaluate when the user gives no `--budget` (default: the whole space). */
  defaultBudget?(spaceSize: number): number;
  create(space: SearchSpaceView, options: { seed: number; budget: number; config: C }): SearchStrategy;
}

/**
 * A named design space: a template, a base architecture (built-in name or raw spec) and the `--set` paths to sweep,
 * each with its list of values. Registered by templates (e.g. `fpga-vc707`) or read from a space file.
 */
export interface DesignSpaceSpec {
  readonly name: string;
  readonly description: string;
  readonly template: string;
  readonly base: string | Record<string, unknown>;
  readonly parameters: Readonly<Record<string, readonly unknown[]>>;
  readonly dataflows?: readonly string[];
}

/** Where a reference figure comes from: measured silicon, another tool's output, or a figure derived from others. */
export type ReferenceKind = 'measured' | 'simulator' | 'derived';

/** One compared figure of a validation run. `tolerance` is relative (0.01 = 1 %). */
export interface ValidationRow {
  readonly suite: string;
  readonly case: string;
  readonly metric: string;
  readonly ours: number;
  readonly reference: number;
  readonly unit: string;
  readonly tolerance: number;
  /** The reference's provenance (paper and table, tool and version) and kind, printed with the row. */
  readonly source?: { readonly citation: string; readonly kind: ReferenceKind };
}

/** Turns a folder of reference data into compared rows. `detect` says whether a folder is this suite's. */
export interface ValidationSuitePlugin {
  readonly kind: 'validation';
  readonly name: string;
  readonly description: string;
  detect(dir: string): boolean;
  run(dir: string, ctx: { registry: import('./registry.js').Registry }): Promise<ValidationRow[]>;
}

export function defineValidationSuite(v: Omit<ValidationSuitePlugin, 'kind'>): ValidationSuitePlugin {
  return { kind: 'validation', ...v };
}

export type AnyPlugin =
  | DataflowPlugin<unknown>
  | HardwarePlugin<unknown>
  | PhaseModelPlugin<unknown>
  | WorkloadSourcePlugin
  | SearchPlugin<unknown>;

/** A package's contribution: everything it registers, under the package's name. */
export interface Plugin {
  readonly name: string;
  readonly dataflows?: readonly DataflowPlugin<unknown>[];
  readonly hardware?: readonly HardwarePlugin<unknown>[];
  readonly phaseModels?: readonly PhaseModelPlugin<unknown>[];
  readonly workloadSources?: readonly WorkloadSourcePlugin[];
  readonly searches?: readonly SearchPlugin<unknown>[];
  readonly spaces?: readonly DesignSpaceSpec[];
  readonly validationSuites?: readonly ValidationSuitePlugin[];
  readonly mappingReaders?: readonly MappingReader[];
}

export function definePlugin(p: Plugin): Plugin {
  return p;
}

export function defineDataflow<C = Record<string, unknown>>(d: Omit<DataflowPlugin<C>, 'kind'>): DataflowPlugin<C> {
  return { kind: 'dataflow', ...d };
}

export function defineHardware<C>(h: Omit<HardwarePlugin<C>, 'kind'>): HardwarePlugin<C> {
  return { kind: 'hardware', ...h };
}

export function definePhaseModel<C = Record<string, unknown>>(p: Omit<PhaseModelPlugin<C>, 'kind'>): PhaseModelPlugin<C> {
  return { kind: 'phase', ...p };
}

export function defineSearch<C = Record<string, unknown>>(s: Omit<SearchPlugin<C>, 'kind'>): SearchPlugin<C> {
  return { kind: 'search', ...s };
}

export function defineWorkloadSource(w: Omit<WorkloadSourcePlugin, 'kind'>): WorkloadSourcePlugin {
  return { kind: 'workload', ...w };
}
