/**
 * SCALE-Sim's three dataflows, named by the operand that stays in the PEs. Numeric codes for the hot path (no
 * strings there).
 */
export const WS = 0;
export const OS = 1;
export const IS = 2;
export type SystolicDataflowCode = typeof WS | typeof OS | typeof IS;

export const SYSTOLIC_DATAFLOWS = ['ws', 'os', 'is'] as const;
export type SystolicDataflow = (typeof SYSTOLIC_DATAFLOWS)[number];

/** An array wired for no particular dataflow: every stationary operand runs. */
export const ANY = -1;
export type Wiring = SystolicDataflowCode | typeof ANY;

export function dataflowCode(df: SystolicDataflow): SystolicDataflowCode {
  return df === 'ws' ? WS : df === 'os' ? OS : IS;
}

export function wiringCode(df: SystolicDataflow | 'any'): Wiring {
  return df === 'any' ? ANY : dataflowCode(df);
}

/**
 * The dataflow of the operand slot kept in the PEs: slot 0 (the weights side, the filter buffer's operand) → ws,
 * slot 1 (the inputs side, the ifmap buffer's) → is, slot 2 (the output, the ofmap buffer's) → os.
 */
export const DATAFLOW_OF_SLOT: readonly [SystolicDataflowCode, SystolicDataflowCode, SystolicDataflowCode] = [WS, IS, OS];
