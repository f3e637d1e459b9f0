import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import type { Registry } from '@trim-dse/core';
import { addTrainingOptions, PRECISION_CHOICES } from '../options.js';

export interface ExploreContext {
  createRegistry: () => Promise<Registry>;
}

// Kept here (not imported from core) so that registering the command loads nothing heavy.
const GOALS = ['latency', 'energy', 'edp', 'throughput-per-area', 'throughput-per-watt'];
const collect = (v: string, prev: string[]) => [...prev, v];

/** The module every worker thread builds its registry from: the CLI's built-ins (source or built). */
function builtinsModule(): string {
  const ext = new URL(import.meta.url).pathname.endsWith('.ts') ? '.ts' : '.js';
  return new URL(`../builtins${ext}`, import.meta.url).href;
}

export function register(program: Command, _ctx?: ExploreContext): void {
  const cmd = program
    .command('explore')
    .description('search a hardware design space (× dataflows × mappings) for the best point and the Pareto front')
    .requiredOption('--space <ref>', 'built-in design space (trim list) or a design-space .yaml file')
    .option('--workload <ref>', 'built-in network or workload file (default: the workloads of the space file)')
    .option('--set <path=value>', 'override a field of the base architecture (repeatable)', collect, [])
    .option('--only <kind>', 'keep only layers of one kind (conv, linear, matmul, depthwise, …)')
    .addOption(new Option('--goal <goal>', 'what to minimise / maximise (default: the space file\'s, else the architecture\'s mapper goal, else latency)').choices(GOALS))
    .option('--search <id>', 'search strategy: exhaustive, random, genetic, anneal, …', 'exhaustive')
    .option('--budget <n>', 'hardware points to evaluate (default: the strategy\'s; exhaustive: all)')
    .option('--seed <n>', 'seed of the search strategy', '1')
    .addOption(new Option('--mapper <mode>', "how each point's layer mappings are searched (as trim eval): exhaustive, beam, auto").choices(['auto', 'exhaustive', 'beam']).default('auto'))
    .option('--mapper-budget <n>', 'price at most n candidate mappings per layer and dataflow at every point (default: no limit)')
    .option('--workers <n>', 'worker threads evaluating points in parallel', '1')
    .option('--shard <i/N>', 'evaluate only points whose index mod N = i−1 (merge the shards with trim merge)')
    .option('--out <file>', 'results file (JSONL, one point a line, in point order)')
    .option('--resume', 'continue an interrupted run from its --out file')
    .addOption(new Option('--format <fmt>', 'output format').choices(['table', 'json']).default('table'))
    .addOption(new Option('--phase <phase>', 'inference, training, prefill or decode (with --workload; the training flags also reach a space file\'s training workloads)').choices(['inference', 'training', 'prefill', 'decode']).default('inference'))
    .option('--batch <n>', 'batch size (with --workload)', '1')
    .option('--seq <n>', 'with --workload: tokens per sequence of a transformer (the prompt, with --phase prefill)')
    .option('--context <n>', 'with --workload --phase decode: keys each new token attends to (the KV cache length)')
    .option('--causal', 'with --workload: causal attention skips the masked key blocks (default: dense scores)')
    .addOption(new Option('--precision <format>', "tensor precision (default: each point's native word)").choices(PRECISION_CHOICES));
  addTrainingOptions(cmd)
    .option('--quiet', 'no progress bar')
    .action(async (opts: Record<string, unknown>) => {
      const { runExploreCommand } = await import('./explore-run.js');
      const globals = program.opts();
      const { configFor, pluginOptionEntries, registryFor } = await import('./shared.js');
      // The config is chosen once, here: every worker thread loads exactly the same one (or none), no more.
      const config = configFor(globals) ?? null;
      await runExploreCommand(opts, {
        createRegistry: () => registryFor(globals, config),
        pluginOptions: pluginOptionEntries(globals),
        registryModule: builtinsModule(),
        registryOptions: { config: config === null ? null : resolve(config) },
      });
    });
}
