import { Option, type Command } from 'commander';

export function register(program: Command): void {
  program
    .command('merge')
    .description('join the results files of a sharded (or resumed) trim explore run into the file one run gives')
    .argument('<files...>', 'results files (.jsonl) of the shards')
    .option('--out <file>', 'merged results file')
    .addOption(new Option('--format <fmt>', 'output format').choices(['table', 'json']).default('table'))
    .action(async (files: string[], opts: Record<string, unknown>) => {
      const { mergeResultsFiles, summarize, summaryTable, writeFileAtomic } = await import('@trim-dse/core');
      const merged = mergeResultsFiles(files);
      if (opts.out) writeFileAtomic(String(opts.out), merged.text);
      const summary = summarize({ goal: merged.header.goal, space: merged.header.space, search: merged.header.search }, merged.records);
      if (opts.format === 'json') process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
      else process.stdout.write(`${summaryTable(summary)}\n`);
    });
}
