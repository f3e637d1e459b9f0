import type { Precision } from '@trim-dse/core';

/** Options shared by the zoo's network constructors. */
export interface ZooOptions {
  /**
   * Precision of every tensor. No default: the pipeline passes the user's `--precision`, else the architecture's
   * native word, so a network is never built at a number format nobody chose.
   */
  readonly precision: Precision;
}

