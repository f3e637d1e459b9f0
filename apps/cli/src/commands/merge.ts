import { Option, type Command } from 'commander';

export function register(program: Command): void {
  program
    .command('merge')
    .description('join the results files of a sharded (or resumed) trim explore run into the file one run gives')
    .argument('<files...>', 'results files (.jsonl) of the shards')
    .option('--out <file>', 'merged results file')
    .option('--allow-partial', 'merge even when shards or points are missing (listed on stderr; the output is marked unfinished)')
    .addOption(new Option('--format <fmt>', 'output format').choices(['table', 'json']).default('table'))
    .action(async (files: string[], opts: Record<string, unknown>) => {
      const { checkOutputFile, mergeResultsFiles, summarize, summaryTable, terminalText, writeFileSafely } = await import('@trim-dse/core');
      // Before reading anything: the output can be written.
      if (opts.out) checkOutputFile(String(opts.out));
      const merged = mergeResultsFiles(files, { allowPartial: opts.allowPartial === true });
      for (const m of merged.missing) process.stderr.write(`trim: warning: ${terminalText(m)}\n`);
      if (opts.out) writeFileSafely(String(opts.out), merged.text);
      const summary = summarize({ goal: merged.header.goal, space: merged.header.space, search: merged.header.search }, merged.records);
      if (opts.format === 'json') process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
      else process.stdout.write(`${summaryTable(summary)}\n`);
    });
}
