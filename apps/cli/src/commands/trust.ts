import { terminalText, TrimUserError } from '@trim-dse/core';
import { trustConfig, trustedConfigs, trustListPath, untrustConfig } from '../config-trust.js';

/** `trim trust [file] [--remove | --list]`: the user's list of configs that load without `--config`. */
export async function run(file: string, opts: Record<string, unknown>): Promise<void> {
  if (opts.list) {
    const rows = trustedConfigs();
    process.stdout.write(rows.length ? `${rows.map((r) => `${r.state.padEnd(9)} ${terminalText(r.path)}`).join('\n')}\n` : `no trusted configs (${trustListPath()})\n`);
    return;
  }
  if (opts.remove) {
    const removed = untrustConfig(file);
    process.stdout.write(removed ? `no longer trusted: ${terminalText(file)}\n` : `${terminalText(file)} was not trusted\n`);
    return;
  }
  let path: string;
  try {
    path = trustConfig(file);
  } catch (e) {
    if (e instanceof TrimUserError) throw e;
    throw new TrimUserError(`trim trust ${file}: ${(e as Error).message}`, { field: 'file' });
  }
  process.stdout.write(`trusted ${terminalText(path)}: trim loads it (and runs the plug-ins it names) without --config until it changes\n`);
}
