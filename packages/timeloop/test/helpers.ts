import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { macOp, type MacOp } from '@trim-dse/core';

export const EXERCISES = fileURLToPath(new URL('../../../validation/timeloop/inputs/timeloop_exercises', import.meta.url));
export const RUNS = fileURLToPath(new URL('../../../validation/timeloop/fixed-mapping-runs', import.meta.url));

/** Writes `text` to a fresh temporary file named `name` and returns its path. */
export function tempFile(name: string, text: string): string {
  const f = join(mkdtempSync(join(tmpdir(), 'trim-timeloop-')), name);
  writeFileSync(f, text);
  return f;
}

/** A forward conv op at 1-byte precision (Timeloop's exercises use 8-bit words). */
export function conv(bounds: Partial<Record<'N' | 'K' | 'C' | 'P' | 'Q' | 'R' | 'S', number>>, bytes = 1): MacOp {
  return macOp({
    name: 'conv',
    layer: 'conv',
    layerKind: 'conv2d',
    phase: 'forward',
    bounds,
    operands: [
      { tensor: 'weights', projection: 'filter', bytes, density: 1 },
      { tensor: 'inputs', projection: 'window', bytes, density: 1 },
      { tensor: 'outputs', projection: 'output', bytes, density: 1 },
    ],
  });
}
