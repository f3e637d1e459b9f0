import { createRequire } from 'node:module';
import { Command, CommanderError, Option, type ErrorOptions } from 'commander';
import { addTrainingOptions, PRECISION_CHOICES } from './options.js';

/**
 * Commander, with errors as one `trim:` line that lists what is valid: the options of the command for an unknown
 * option, the commands for an unknown command (with commander's own "did you mean" folded into the line).
 */
export class TrimCommand extends Command {
  override createCommand(name?: string): Command {
    return new TrimCommand(name);
  }

  override error(message: string, errorOptions?: ErrorOptions): never {
    let m = message.replace(/^error: /, '').replace(/\n\(Did you mean (.+)\?\)/, ' (did you mean $1?)');
    if (errorOptions?.code === 'commander.unknownOption') m += `; options of ${this.commandPath()}: ${this.optionList()}`;
    if (errorOptions?.code === 'commander.unknownCommand') m += `; commands: ${this.commands.map((c) => c.name()).join(', ')}`;
    return super.error(`trim: ${oneLine(m)}`, errorOptions);
  }

  /** `trim eval`, `trim show arch`: the command as typed. */
  private commandPath(): string {
    const names: string[] = [];
    for (let c: Command | null = this; c; c = c.parent) names.unshift(c.name());
    return names.join(' ');
  }

  /** This command's long options, then those of the commands above it (given before or after the command name). */
  private optionList(): string {
    const longs: string[] = [];
    for (let c: Command | null = this; c; c = c.parent) for (const o of c.options) if (o.long && !longs.includes(o.long)) longs.push(o.long);
    return [...longs, '--help'].join(', ');
  }
}

const collect = (v: string, prev: string[]) => [...prev, v];

/** The CLI's version, from its package.json (beside src/ and dist/ alike: a small file, read once). */
const VERSION = (createRequire(import.meta.url)('../package.json') as { version: string }).version;

/** Exit codes: 0 success, 1 user error (one line, no stack), 2 internal error. */
export async function main(argv: string[]): Promise<number> {
  process.exitCode = undefined;
  const program = new TrimCommand('trim')
    .description('TRIM: design-space exploration for DNN inference and training accelerators')
    .version(VERSION)
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) })
    .showHelpAfterError(false)
    .option('--config <file>', 'trim.config.yaml naming extra plug-ins (./trim.config.yaml loads only when trusted: see trim trust)')
    .option('--trust-config', 'load ./trim.config.yaml this once (its plug-ins run code: only for folders you trust)');
  program.option('--plugin-option <plugin.option=value>', "an option of a dataflow, phase model or search, checked by its schema (repeatable; e.g. rs.maxCandidates=8)", collect, []);

  const evalCmd = program
    .command('eval')
    .description('estimate cycles, energy and memory traffic of a workload on one architecture')
    .requiredOption('--workload <ref>', 'built-in network, or .onnx / SCALE-Sim .csv / Timeloop .yaml file')
    .option('--arch <ref>', 'built-in architecture (trim show arch <name> prints one), .yaml file, or SCALE-Sim .cfg', 'generic-16x16')
    .option('--dataflow <id>', 'dataflow id, or auto to pick the best per layer', 'auto')
    .addOption(new Option('--phase <phase>', 'inference, training, or LLM serving: prefill (the prompt) or decode (one token over a KV cache)').choices(['inference', 'training', 'prefill', 'decode']).default('inference'))
    .option('--batch <n>', 'batch size', '1')
    .option('--seq <n>', 'tokens per sequence of a transformer workload (default: the model\'s own, e.g. 1024 for gpt2-small)')
    .option('--context <n>', 'with --phase decode: keys each new token attends to (the KV cache length, the new token included)')
    .option('--causal', 'causal attention skips the masked key blocks (default: dense scores)')
    .addOption(new Option('--precision <format>', "tensor precision (default: the architecture's native word)").choices(PRECISION_CHOICES));
  addTrainingOptions(evalCmd)
    .option('--only <kind>', 'keep only layers of one kind (conv, linear, matmul, depthwise, pool, …; an unknown kind lists the workload\'s)')
    .option('--zero-fractions <file>', 'measured input zero fraction per layer (JSON/YAML), for templates that compress or zero-gate')
    .option('--set <path=value>', 'override a field of the architecture (repeatable)', collect, [])
    .addOption(new Option('--goal <goal>', 'what picks each layer\'s dataflow and mapping (default: the architecture\'s mapper goal, else latency)').choices(['latency', 'energy', 'edp']))
    .addOption(
      new Option('--interlayer <mode>', 'tensors between layers: on-chip hand-off where they fit, or always DRAM (default: on, off with --only)').choices(['on', 'off']),
    )
    .addOption(
      new Option('--fusion <mode>', "what runs fused: none (layer by layer), epilogue (activations, folded BatchNorm, residual adds, pooling on the producer's output path, where the architecture's output path applies them), full (also fused attention)")
        .choices(['none', 'epilogue', 'full'])
        .default('full'),
    )
    .option('--mapping <file>', 'evaluate the mapping this file gives each layer (a Timeloop map or a TRIM mapping file) instead of searching')
    .addOption(
      new Option('--mapper <mode>', 'how each layer\'s mappings are searched: exhaustive, beam (level by level, the best few kept; anytime), auto (exhaustive up to two tiled levels, beam on deeper hierarchies)')
        .choices(['auto', 'exhaustive', 'beam'])
        .default('auto'),
    )
    .option('--mapper-budget <n>', 'price at most n candidate mappings per layer and dataflow, then keep the best found (default: no limit)')
    .option('--energy-table <file>', 'per-access energies (e.g. an Accelergy ERT) for templates whose spec takes an energyTable')
    .option('--show-mapping', 'include each layer\'s chosen mapping in JSON output')
    .option('--summary', 'per phase and per layer kind instead of one row per op (JSON: adds a summary)')
    .option('--breakdown', 'energy per component (levels, NoC, MACs, leakage) and accesses per level and operand')
    .addOption(new Option('--format <fmt>', 'output format (scalesim: SCALE-Sim\'s three report CSVs into the --out folder)').choices(['table', 'json', 'csv', 'scalesim']).default('table'))
    .option('--out <path>', 'write the output to this file (--format scalesim: this folder) instead of stdout')
    .option('--quiet', 'no progress line on stderr')
    .action(async (opts: Record<string, unknown>, cmd: Command) =>
      (await import('./commands/eval.js')).run({ ...opts, dataflowGiven: cmd.getOptionValueSource('dataflow') === 'cli' }, program.opts()),
    );

  const show = program.command('show').description('print a built-in as a file you can edit and read back');
  show.action(() => show.help());
  show
    .command('arch')
    .description('a built-in architecture as commented YAML that --arch reads back unchanged')
    .argument('<name>', 'built-in architecture (trim list)')
    .action(async (name: string) => (await import('./commands/show.js')).showArch(name, program.opts()));
  show
    .command('schema')
    .description("the JSON Schema of a template's architecture files (for editors)")
    .argument('<template>', 'hardware template (trim list)')
    .action(async (template: string) => (await import('./commands/show.js')).showSchema(template, program.opts()));

  program
    .command('list')
    .description('registered plug-ins, built-in workloads, architectures and spaces')
    .addOption(new Option('--format <fmt>', 'output format').choices(['table', 'json']).default('table'))
    .action(async (opts: Record<string, unknown>) => (await import('./commands/list.js')).run(opts, program.opts()));

  program
    .command('validate')
    .description('compare the model with reference data (SCALE-Sim, Eyeriss, FPGA) and print the error per case')
    .option('--suite <dir>', 'a validation folder (default: the validation/ data of this checkout)')
    .addOption(new Option('--format <fmt>', 'output format').choices(['table', 'json']).default('table'))
    .action(async (opts: Record<string, unknown>) => (await import('./commands/validate.js')).run(opts, program.opts()));

  program
    .command('trust')
    .description('let ./trim.config.yaml (or a named config) load without --config: its plug-ins run code')
    .argument('[file]', 'the config file to trust', 'trim.config.yaml')
    .option('--remove', 'stop trusting it')
    .option('--list', 'list the trusted configs')
    .action(async (file: string, opts: Record<string, unknown>) => (await import('./commands/trust.js')).run(file, opts));

  await registerOptional(program, './commands/explore.js');
  await registerOptional(program, './commands/merge.js');
  await registerOptional(program, './commands/report.js');

  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    return reportError(e);
  }
}

export interface CommandContext {
  createRegistry: () => Promise<import('@trim-dse/core').Registry>;
}

interface Registrable {
  register(program: Command, ctx: CommandContext): void;
}

/** Commands that live in their own module register themselves (their heavy imports stay inside their actions). */
async function registerOptional(program: Command, path: string): Promise<void> {
  try {
    const mod = (await import(path)) as Partial<Registrable>;
    const ctx: CommandContext = {
      createRegistry: async () => (await import('./commands/shared.js')).registryFor(program.opts()),
    };
    mod.register?.(program, ctx);
  } catch (e) {
    if ((e as { code?: string }).code !== 'ERR_MODULE_NOT_FOUND') throw e;
  }
}

export function reportError(e: unknown): number {
  if (e instanceof CommanderError) {
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.exitCode === 0) return 0;
    return 1; // commander already printed the message
  }
  if (e instanceof Error && e.name === 'TrimUserError') {
    process.stderr.write(`trim: ${oneLine(e.message)}\n`);
    return 1;
  }
  const msg = e instanceof Error ? e.message : String(e);
  process.stderr.write(`trim: internal error: ${oneLine(msg)}\n`);
  if (process.env.TRIM_DEBUG && e instanceof Error && e.stack) process.stderr.write(`${e.stack}\n`);
  return 2;
}

/**
 * Messages can quote what a file contained (a corrupt ONNX node name, a YAML value): control characters are escaped
 * and very long messages cut, so the error stays one readable line.
 */
export function oneLine(message: string): string {
  // C0 and C1 controls and bidirectional overrides as visible escapes, the set of core's `terminalText` (written out
  // here so that `trim --help` does not load core); line breaks as spaces.
  // eslint-disable-next-line no-control-regex
  const escaped = message.replace(/\r?\n/g, ' ').replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, (c) => {
    const code = c.charCodeAt(0);
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
  return escaped.length > 600 ? `${escaped.slice(0, 600)}…` : escaped;
}
