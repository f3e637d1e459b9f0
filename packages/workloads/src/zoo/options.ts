import type { Precision } from '@trim-dse/core';

/** Options shared by the zoo's network constructors. */
export interface ZooOptions {
  /** Precision of every tensor (default int16). */
  readonly precision?: Precision;
}

export const DEFAULT_PRECISION: Precision = 'int16';
