import { accessEnergiesPj } from './energy.js';
import type { SpatialSpec } from './schema.js';

/**
 * Run-length code of feature maps on the DRAM link: each `codeWordBits` word carries as many (run, level) pairs as
 * fit, so a non-zero costs codeWordBits / pairs bits and a run of zeros up to 2^runBits − 1 is free.
 */
export interface RlcCode {
  readonly bitsPerNonzero: number;
  /** Longest run of zeros one pair encodes; longer runs need an extra pair with a zero level. */
  readonly maxRun: number;
}

/**
 * What the spatial template adds to the loop-nest engine, fixed per hardware point and closed over by its cost
 * model (private to the template; dataflows never see it). Energies in pJ per byte.
 */
export interface SpatialEffects {
  /** GLB banks shared by input-side and output-side tiles, each bank wholly one operand's, and bytes per bank. */
  readonly sharedBanks: number;
  readonly bankBytes: number;
  /** Feature maps cross the DRAM link run-length coded (undefined: dense). */
  readonly rlc: RlcCode | undefined;
  /** A zero input value skips the MAC and the filter spad read (energy only; the cycle still passes). */
  readonly zeroGating: boolean;
  /** The MAC takes operands only from the PE's spads: an operand the mapping does not keep there still passes through. */
  readonly operandsThroughRf: boolean;
  /** NoC charged per receiving PE (unicast, or ISCA 2016's multicast accounting) instead of once per buffer read. */
  readonly chargePerReceiver: boolean;
  /** A partial sum passed between neighbouring PEs of a spatial reduction, pJ per byte. */
  readonly interPePjPerByte: number;
  /** The filter spad has one port: writing a pass's weights into it stops the MAC. */
  readonly weightsFillStallsMac: boolean;
  /** A psum arriving from a neighbour PE or the buffer takes a cycle of the PE's adder. */
  readonly psumArrivalsUseAdder: boolean;
}

export function rlcCode(rlc: NonNullable<SpatialSpec['dramRlc']>): RlcCode {
  const pairs = Math.floor(rlc.codeWordBits / (rlc.runBits + rlc.levelBits));
  return { bitsPerNonzero: rlc.codeWordBits / pairs, maxRun: 2 ** rlc.runBits - 1 };
}

/** The effects a spec declares. */
export function spatialEffects(spec: SpatialSpec): SpatialEffects {
  const wordBytes = spec.wordBits / 8;
  return {
    sharedBanks: spec.glb.banks,
    bankBytes: Math.floor(spec.glb.bankKB * 1024),
    rlc: spec.dramRlc !== undefined ? rlcCode(spec.dramRlc) : undefined,
    zeroGating: spec.zeroGating,
    operandsThroughRf: spec.rf.macReadsRfOnly,
    chargePerReceiver: spec.noc.mode === 'unicast' || spec.noc.chargePer === 'receiver',
    // A psum hop between neighbouring PEs is one inter-PE transfer (ISCA 2016's "array" level: the noc energy).
    interPePjPerByte: accessEnergiesPj(spec.energy).noc / wordBytes,
    weightsFillStallsMac: spec.rf.weightsSinglePort,
    psumArrivalsUseAdder: spec.rf.psumArrivalsUseAdder,
  };
}
