import type { Command } from 'commander';
import type { Registry } from '@trim-dse/core';

export interface ReportContext {
  createRegistry(): Promise<Registry>;
}

/**
 * `trim report <files...> [--html report.html]`: explore results files (JSONL) and/or `trim eval --format json`
 * documents. Without --html it prints each input's summary; with it, one self-contained HTML file with the plots
 * (the best point of each explore run is re-evaluated with the CLI's registry for its per-layer plots).
 */
export function register(program: Command, ctx?: ReportContext): void {
  program
    .command('report')
    .description('summarise explore results (.jsonl) and trim eval JSON; --html writes one self-contained page of plots')
    .argument('<files...>', 'trim explore results files (.jsonl) and/or trim eval --format json outputs')
    .option('--html <file>', 'write an HTML report (Pareto scatter, per-layer/per-phase cycles and energy, memory levels, utilisation)')
    .option('--no-best', 'do not re-evaluate the best point of explore runs for per-layer plots')
    .action(async (files: string[], opts: { html?: string; best: boolean }) => {
      const report = await import('@trim-dse/report');
      const { checkOutputFile, TrimUserError } = await import('@trim-dse/core');
      if (opts.html !== undefined) {
        if (!/\.html?$/i.test(opts.html)) throw new TrimUserError(`--html ${opts.html}: the report file must end in .html`, { field: '--html', fix: 'e.g. --html report.html' });
        checkOutputFile(opts.html, '--html');
        const registry = opts.best && ctx ? await ctx.createRegistry() : undefined;
        const { bytes, plots } = await report.writeHtmlReport(files, opts.html, { registry });
        process.stdout.write(`wrote ${opts.html} (${plots} plots, ${Math.ceil(bytes / 1024)} KB)\n`);
        return;
      }
      const { summarize, summaryTable } = await import('@trim-dse/core');
      const parts = files.map((f) => {
        const input = report.readReportInput(f);
        if (input.kind === 'eval') return report.evalTables(input.result, false);
        const h = input.header;
        return `${summaryTable(summarize({ goal: h.goal, space: h.space, search: h.search }, input.records))}\n`;
      });
      process.stdout.write(parts.join('\n'));
    });
}
