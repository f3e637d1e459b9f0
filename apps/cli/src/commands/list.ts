import { terminalText } from '@trim-dse/core';
import { registryFor } from './shared.js';

export async function run(opts: Record<string, unknown>, globals: Record<string, unknown>): Promise<void> {
  const r = await registryFor(globals);
  const data = {
    plugins: r.plugins,
    hardwareTemplates: r.hardware.entries().map((e) => ({ name: e.name, from: e.from, description: e.value.description })),
    architectures: r.architectures.entries().map((e) => ({ name: e.name, template: e.value.template, from: e.from })),
    dataflows: r.dataflows.entries().map((e) => ({ name: e.name, from: e.from, templates: e.value.templates, description: e.value.description })),
    phaseModels: r.phaseModels.entries().map((e) => ({ name: e.name, from: e.from })),
    workloads: r.workloadSources.entries().flatMap((e) => (e.value.builtins ?? []).map((b) => ({ name: b, from: e.from }))),
    workloadFiles: r.workloadSources.entries().flatMap((e) => (e.value.extensions ?? []).map((x) => ({ extension: x, from: e.from }))),
    searches: r.searches.entries().map((e) => ({ name: e.name, from: e.from })),
    spaces: r.spaces.entries().map((e) => ({ name: e.name, template: e.value.template, from: e.from })),
    validationSuites: r.validationSuites.entries().map((e) => ({ name: e.name, from: e.from })),
  };
  if (opts.format === 'json') {
    process.stdout.write(`${JSON.stringify(data, null, 2)}\n`);
    return;
  }
  const lines: string[] = [];
  const section = (title: string, rows: string[]) => {
    lines.push(`${title}:`);
    for (const row of rows.length ? rows : ['(none)']) lines.push(`  ${row}`);
  };
  section('Plug-ins', data.plugins);
  section('Hardware templates', data.hardwareTemplates.map((h) => `${h.name.padEnd(12)} ${h.description}`));
  section('Architectures', data.architectures.map((a) => `${a.name.padEnd(20)} (${a.template})`));
  section('Dataflows', data.dataflows.map((d) => `${d.name.padEnd(14)} ${d.description} [${d.templates === '*' ? 'any template' : d.templates.join(', ')}]`));
  section('Phase models', data.phaseModels.map((p) => p.name));
  section('Workloads', data.workloads.map((w) => w.name));
  section('Workload files', data.workloadFiles.map((w) => `${w.extension} (${w.from})`));
  section('Search strategies', data.searches.map((s) => s.name));
  section('Design spaces', data.spaces.map((s) => `${s.name.padEnd(20)} (${s.template})`));
  section('Validation suites', data.validationSuites.map((v) => v.name));
  // Names come from plug-ins and config files: escaped for the terminal.
  process.stdout.write(terminalText(`${lines.join('\n')}\n`, true));
}
