import { createHash } from 'node:crypto';
import { mkdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { readInputBytes, readInputText, TrimUserError, writeFileSafely } from '@trim-dse/core';

/**
 * Which `trim.config.yaml` files may load without being named. A config names plug-ins, and loading a plug-in runs
 * its code: a config found in the current folder (a cloned repository, a downloaded example) is loaded only when the
 * user trusts it — for one run with `--trust-config`, or from then on with `trim trust`, which records the file's
 * path and SHA-256 in the user's config folder (as direnv's `direnv allow` does). A trusted file that changed is
 * untrusted again until trusted anew. A file named with `--config` is loaded: the user chose it.
 */

const LIST_SCHEMA = 'trim.trusted-configs/v1';

/** The user's config folder: $XDG_CONFIG_HOME/trim, else ~/.config/trim. */
export function userConfigDir(): string {
  const xdg = process.env.XDG_CONFIG_HOME;
  return join(xdg?.startsWith('/') ? xdg : join(homedir(), '.config'), 'trim');
}

export function trustListPath(): string {
  return join(userConfigDir(), 'trusted-configs.json');
}

/** Trusted config files: absolute path → SHA-256 of the content trusted. */
function readTrustList(): Record<string, string> {
  const path = trustListPath();
  try {
    statSync(path);
  } catch {
    return {};
  }
  let doc: unknown;
  try {
    doc = JSON.parse(readInputText(path, { label: path, maxBytes: 1024 * 1024 }));
  } catch (e) {
    if (e instanceof TrimUserError) throw e;
    throw new TrimUserError(`${path}: malformed list of trusted configs`, { field: path, fix: `delete it and trust your configs again with trim trust` });
  }
  const configs = (doc as { schema?: unknown; configs?: unknown } | null)?.configs;
  if ((doc as { schema?: unknown } | null)?.schema !== LIST_SCHEMA || configs === null || typeof configs !== 'object' || Array.isArray(configs)) {
    throw new TrimUserError(`${path}: malformed list of trusted configs`, { field: path, fix: 'delete it and trust your configs again with trim trust' });
  }
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [k, v] of Object.entries(configs)) if (typeof v === 'string') out[k] = v;
  return out;
}

function writeTrustList(list: Record<string, string>): void {
  const dir = userConfigDir();
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch {
    /* writeFileSafely names the problem */
  }
  const sorted = Object.fromEntries(Object.keys(list).sort().map((k) => [k, list[k]]));
  writeFileSafely(trustListPath(), `${JSON.stringify({ schema: LIST_SCHEMA, configs: sorted }, null, 2)}\n`, 'trusted-configs.json');
}

function contentHash(path: string): string {
  return createHash('sha256').update(readInputBytes(path, { label: path })).digest('hex');
}

export type TrustState = 'trusted' | 'untrusted' | 'changed';

/** Whether the config at `path` is on the user's list with its current content. */
export function trustState(path: string): TrustState {
  const abs = resolve(path);
  const hash = readTrustList()[abs];
  if (hash === undefined) return 'untrusted';
  return hash === contentHash(abs) ? 'trusted' : 'changed';
}

/** Adds (or refreshes) a config on the list; returns its absolute path. */
export function trustConfig(path: string): string {
  const abs = resolve(path);
  const list = readTrustList();
  list[abs] = contentHash(abs);
  writeTrustList(list);
  return abs;
}

/** Removes a config from the list; false when it was not there. */
export function untrustConfig(path: string): boolean {
  const abs = resolve(path);
  const list = readTrustList();
  if (list[abs] === undefined) return false;
  delete list[abs];
  writeTrustList(list);
  return true;
}

/** Every trusted config with its state now (a file that changed or went away is listed as such). */
export function trustedConfigs(): Array<{ path: string; state: TrustState | 'missing' }> {
  return Object.keys(readTrustList())
    .sort()
    .map((path) => {
      try {
        return { path, state: trustState(path) };
      } catch {
        return { path, state: 'missing' as const };
      }
    });
}

export const DEFAULT_CONFIG = 'trim.config.yaml';

export interface ConfigChoice {
  /** `--config`: a file the user named (always loaded); null: load none (worker threads told so by their parent). */
  readonly config?: string | null;
  /** `--trust-config`: load ./trim.config.yaml this once. */
  readonly trustConfig?: boolean;
  readonly warn?: (msg: string) => void;
}

/** The config file to load for this run, or undefined: the rule above. */
export function configToLoad(o: ConfigChoice): string | undefined {
  if (o.config === null) return undefined;
  if (typeof o.config === 'string') return o.config;
  let present = false;
  try {
    present = statSync(DEFAULT_CONFIG).isFile();
  } catch {
    /* none here */
  }
  if (!present) {
    if (o.trustConfig) throw new TrimUserError(`--trust-config: there is no ${DEFAULT_CONFIG} in this folder`, { field: '--trust-config', fix: 'run in the folder of the config, or name it with --config' });
    return undefined;
  }
  if (o.trustConfig) return DEFAULT_CONFIG;
  const state = trustState(DEFAULT_CONFIG);
  if (state === 'trusted') return DEFAULT_CONFIG;
  o.warn?.(
    `./${DEFAULT_CONFIG} was not loaded: ${state === 'changed' ? 'it changed since you trusted it' : 'this folder\'s config is not trusted'} and its plug-ins would run code; ` +
      `load it with --trust-config, trust it with \`trim trust\`, or name it with --config`,
  );
  return undefined;
}
