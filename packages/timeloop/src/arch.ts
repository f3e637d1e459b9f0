import { basename, dirname, extname, resolve } from 'node:path';
import { TrimUserError } from '@trim-dse/core';
import type { TimeloopSpecInput } from './spec.js';

type Rec = Record<string, unknown>;
const isRecord = (v: unknown): v is Rec => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Timeloop v3's storage and compute classes (`topology.hpp` bufferClasses/computeClasses): a class containing one. */
const BUFFER_CLASSES = ['DRAM', 'SRAM', 'regfile', 'smartbuffer', 'storage'];
const COMPUTE_CLASSES = ['mac', 'intmac', 'fpmac', 'compute'];

/** True when a parsed YAML document is a Timeloop tree-style architecture (`architecture:` with `subtree`/`local`). */
export function isTimeloopArchitecture(doc: unknown): boolean {
  return isRecord(doc) && isRecord(doc.architecture) && (doc.architecture.subtree !== undefined || doc.architecture.local !== undefined);
}

/** `PE[0..167]` → 168; a name without a range is one instance (Timeloop's `config::parseElementSize`). */
export function elementCount(name: string): number {
  const m = /\[\s*(\d+)\s*\.\.\s*(\d+)\s*\]\s*$/.exec(name);
  return m ? Number(m[2]) - Number(m[1]) + 1 : 1;
}

/** The component's name without its instance range (`RegisterFile[0..15]` → `RegisterFile`). */
export function baseName(name: string): string {
  return name.replace(/\[[^\]]*\]/g, '').trim();
}

/**
 * Flattens a Timeloop v0.2/v0.3 tree architecture into the `timeloop` template's spec, the way Timeloop v3 walks it
 * (`Topology::ParseTreeSpecs`): one subtree per level, each subtree's instance range multiplying everything inside
 * it; a `local` list goes from the outermost component to the innermost; storage classes become levels, the compute
 * class the MACs; networks and unknown classes are skipped (Timeloop's legacy networks cost nothing without wire
 * energies).
 */
export function timeloopArchToSpec(doc: unknown, file: string): TimeloopSpecInput {
  const where = (field: string) => `${file}: field ${field}`;
  if (!isTimeloopArchitecture(doc)) {
    throw new TrimUserError(`${file}: not a Timeloop tree architecture (no top-level "architecture" with "subtree")`, { field: 'architecture' });
  }
  const arch = (doc as Rec).architecture as Rec;
  const outerToInner: TimeloopSpecInput['levels'] = [];
  const computes: TimeloopSpecInput['compute'][] = [];
  let node: Rec = arch;
  let path = 'architecture';
  let multiplication = 1;
  while (node.subtree !== undefined) {
    const sub = node.subtree;
    if (!Array.isArray(sub) || sub.length !== 1 || !isRecord(sub[0])) {
      throw new TrimUserError(`${where(`${path}.subtree`)}: expected a list of exactly one subtree (Timeloop supports one subtree per level)`, { field: `${path}.subtree` });
    }
    node = sub[0];
    path = `${path}.subtree[0]`;
    const nodeName = typeof node.name === 'string' ? node.name : '';
    multiplication *= elementCount(nodeName);
    const local = node.local ?? [];
    if (!Array.isArray(local)) throw new TrimUserError(`${where(`${path}.local`)}: expected a list of components`, { field: `${path}.local` });
    local.forEach((c, i) => {
      const at = `${path}.local[${i}]`;
      if (!isRecord(c) || typeof c.name !== 'string') throw new TrimUserError(`${where(at)}: expected a component with a name`, { field: `${at}.name` });
      const cls = typeof c.class === 'string' ? c.class : '';
      const attrs = isRecord(c.attributes) ? c.attributes : {};
      const n = multiplication * elementCount(c.name);
      if (BUFFER_CLASSES.some((b) => cls.includes(b))) outerToInner.push(storageOf(c.name, cls, attrs, n, at, file));
      else if (COMPUTE_CLASSES.some((b) => cls.includes(b))) computes.push(computeOf(c.name, cls, attrs, n, at, file));
    });
  }
  if (computes.length !== 1) {
    throw new TrimUserError(`${file}: a Timeloop architecture has exactly one compute component (class intmac, fpmac, mac or compute); found ${computes.length}`, { field: 'architecture' });
  }
  if (outerToInner.length === 0) throw new TrimUserError(`${file}: no storage component (class DRAM, SRAM, regfile, smartbuffer or storage)`, { field: 'architecture' });
  return {
    name: basename(file, extname(file)),
    ...(arch.version !== undefined ? { version: arch.version as number | string } : {}),
    levels: outerToInner.reverse(),
    compute: computes[0],
    ...constraintsOf(doc as Rec, file),
  };
}

/** TRIM's `constraints:` key beside `architecture:`: a Timeloop constraints file, relative to the architecture file. */
function constraintsOf(doc: Rec, file: string): { constraints?: string } {
  const c = doc.constraints;
  if (c === undefined) return {};
  if (typeof c !== 'string' || c.length === 0) {
    throw new TrimUserError(`${file}: field constraints: expected the path of a Timeloop constraints file (relative to this file)`, { field: 'constraints' });
  }
  return { constraints: resolve(dirname(file), c) };
}

function num(attrs: Rec, keys: readonly string[], at: string, file: string): number | undefined {
  for (const k of keys) {
    const v = attrs[k];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) {
      throw new TrimUserError(`${file}: field ${at}.attributes.${k}: expected a positive number, got ${JSON.stringify(v)}`, { field: `${at}.attributes.${k}` });
    }
    return v;
  }
  return undefined;
}

/** A storage component's attributes under Timeloop v3's names and their aliases (`BufferLevel::ParseSpecs`). */
function storageOf(name: string, cls: string, attrs: Rec, n: number, at: string, file: string): TimeloopSpecInput['levels'][number] {
  const wordBits = num(attrs, ['word-bits', 'word_width', 'datawidth'], at, file);
  if (wordBits === undefined) throw new TrimUserError(`${file}: field ${at}.attributes.word-bits: missing (the bits of one word of ${name})`, { field: `${at}.attributes.word-bits` });
  const width = num(attrs, ['width', 'memory_width', 'data_storage_width'], at, file);
  const givenBlock = num(attrs, ['block-size', 'block_size', 'n_words'], at, file);
  const givenCluster = num(attrs, ['cluster-size'], at, file);
  // Timeloop: block × word-bits × cluster = width; whichever is missing follows from the others.
  const blockWords = givenBlock ?? (width !== undefined ? width / (givenCluster ?? 1) / wordBits : 1);
  const clusterSize = givenCluster ?? (width !== undefined ? width / (blockWords * wordBits) : 1);
  if (!Number.isInteger(blockWords) || !Number.isInteger(clusterSize) || clusterSize < 1) {
    throw new TrimUserError(`${file}: field ${at}.attributes.width: ${width} bits is not a whole number of ${blockWords}-word blocks of ${wordBits} bits`, { field: `${at}.attributes.width` });
  }
  const entries = num(attrs, ['entries'], at, file);
  const depth = num(attrs, ['depth', 'memory_depth', 'data_storage_depth'], at, file);
  const sizeKB = num(attrs, ['sizeKB'], at, file);
  const sizeWords = entries ?? (depth !== undefined ? depth * blockWords : sizeKB !== undefined ? (sizeKB * 1024 * 8) / wordBits : 'unbounded');
  const isDram = cls.includes('DRAM') || attrs.technology === 'DRAM';
  const instances = num(attrs, ['instances'], at, file) ?? n;
  const meshX = num(attrs, ['meshX'], at, file);
  const meshY = num(attrs, ['meshY'], at, file);
  const bandwidth = num(attrs, ['bandwidth'], at, file);
  const read = num(attrs, ['read_bandwidth'], at, file) ?? (bandwidth !== undefined ? bandwidth / 2 : undefined);
  const write = num(attrs, ['write_bandwidth'], at, file) ?? (bandwidth !== undefined ? bandwidth / 2 : undefined);
  const shared = num(attrs, ['shared_bandwidth'], at, file);
  const multipleBuffering = num(attrs, ['multiple-buffering'], at, file);
  return {
    name: baseName(name),
    class: isDram ? 'DRAM' : cls,
    instances,
    ...(meshX !== undefined ? { meshX } : meshY !== undefined ? { meshX: instances / meshY } : {}),
    sizeWords,
    blockWords,
    wordBits,
    ...(multipleBuffering !== undefined ? { multipleBuffering } : {}),
    clusterSize,
    ...(read !== undefined ? { readBandwidth: read } : {}),
    ...(write !== undefined ? { writeBandwidth: write } : {}),
    ...(shared !== undefined ? { sharedBandwidth: shared } : {}),
  };
}

function computeOf(name: string, cls: string, attrs: Rec, n: number, at: string, file: string): TimeloopSpecInput['compute'] {
  const bits = num(attrs, ['datawidth', 'word-bits', 'word_width'], at, file) ?? 16;
  if (bits !== 4 && bits !== 8 && bits !== 16 && bits !== 32) {
    throw new TrimUserError(`${file}: field ${at}.attributes.datawidth: ${bits}-bit MACs are not a TRIM precision (4, 8, 16 or 32 bits)`, { field: `${at}.attributes.datawidth` });
  }
  const instances = num(attrs, ['instances'], at, file) ?? n;
  const meshX = num(attrs, ['meshX'], at, file);
  const meshY = num(attrs, ['meshY'], at, file);
  return {
    name: baseName(name),
    class: cls,
    instances,
    ...(meshX !== undefined ? { meshX } : meshY !== undefined ? { meshX: instances / meshY } : {}),
    wordBits: bits,
  };
}
