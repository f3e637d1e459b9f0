import { basename } from 'node:path';
import { TrimUserError, type ArchImporter } from '@trim-dse/core';
import type { SystolicSpecInput } from './schema.js';

/** `key: value` / `key = value` lines of an INI file, keys lower-cased, sections ignored. */
export function parseIni(text: string): Map<string, string> {
  const kv = new Map<string, string>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('[') || line.startsWith('#') || line.startsWith(';')) continue;
    const m = /^([^:=]+)[:=](.*)$/.exec(line);
    if (m) kv.set(m[1].trim().toLowerCase(), m[2].trim());
  }
  return kv;
}

function need(kv: Map<string, string>, key: string, path: string): string {
  const v = kv.get(key.toLowerCase());
  if (v === undefined || v === '') {
    throw new TrimUserError(`${path}: SCALE-Sim config lacks ${key}`, { field: key, fix: `add "${key}: <value>" under [architecture_presets]` });
  }
  return v;
}

function positiveNumber(kv: Map<string, string>, key: string, path: string, integer = false): number {
  const v = Number(need(kv, key, path));
  if (!(v > 0) || (integer && !Number.isInteger(v))) {
    throw new TrimUserError(`${path}: ${key} must be a positive ${integer ? 'integer' : 'number'}`, { field: key });
  }
  return v;
}

/**
 * A SCALE-Sim v2 `.cfg` as a raw `systolic` spec: ArrayHeight/ArrayWidth → rows/cols, Ifmap/Filter/OfmapSramSzkB,
 * Dataflow, and the DRAM: `InterfaceBandwidth: CALC` → unbounded, `USER` → `Bandwidth` words per cycle per operand.
 * SCALE-Sim uses 1-byte words (wordBits 8); offsets and MemoryBanks do not change the counts and are ignored.
 */
export function parseScaleSimConfig(text: string, path: string): SystolicSpecInput {
  const kv = parseIni(text);
  const df = need(kv, 'Dataflow', path).toLowerCase();
  if (df !== 'ws' && df !== 'os' && df !== 'is') {
    throw new TrimUserError(`${path}: Dataflow "${df}" is not ws, os or is`, { field: 'Dataflow' });
  }
  const mode = (kv.get('interfacebandwidth') ?? 'CALC').toUpperCase();
  if (mode !== 'CALC' && mode !== 'USER') {
    throw new TrimUserError(`${path}: InterfaceBandwidth "${mode}" is not CALC or USER`, { field: 'InterfaceBandwidth' });
  }
  let bandwidth: number | 'unbounded' = 'unbounded';
  if (mode === 'USER') {
    const first = Number(need(kv, 'Bandwidth', path).split(',')[0]);
    if (!(first > 0)) throw new TrimUserError(`${path}: Bandwidth must be a positive number of words per cycle`, { field: 'Bandwidth' });
    bandwidth = first;
  }
  return {
    name: kv.get('run_name') || basename(path).replace(/\.cfg$/i, ''),
    rows: positiveNumber(kv, 'ArrayHeight', path, true),
    cols: positiveNumber(kv, 'ArrayWidth', path, true),
    dataflow: df,
    wordBits: 8,
    sram: {
      ifmapKB: positiveNumber(kv, 'IfmapSramSzkB', path),
      filterKB: positiveNumber(kv, 'FilterSramSzkB', path),
      ofmapKB: positiveNumber(kv, 'OfmapSramSzkB', path),
    },
    dram: { bandwidth, interfaces: 'per-operand' },
  };
}

export const scaleSimImporter: ArchImporter = { extensions: ['.cfg'], parse: parseScaleSimConfig };
