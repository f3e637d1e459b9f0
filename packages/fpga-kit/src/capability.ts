import { defineCapability } from '@trim-dse/core';
import { z } from 'zod';

const count = z.number().int().positive();

/**
 * One unrolled convolution engine (Zhang et al. FPGA'15; pixel and kernel unroll as in Ma et al. FPGA'17) and its
 * banked buffers, as the template sized them. Banks are counted in words of the datapath (`wordBytes` each):
 * - weights: Tm·Tk banks, each entry Tn words wide (read together by the Tn input-channel lanes);
 * - inputs: Tn·Tp banks (one input channel, one column phase);
 * - outputs: Tm·Tp lanes, each with two memories (one accumulates while the other drains).
 */
export const fpgaEngineSchema = z
  .object({
    /** Output channels unrolled (array x). */
    Tm: count,
    /** Input channels unrolled (array y). */
    Tn: count,
    /** Output columns unrolled (x), Ma et al.'s Pox; 1 = none. */
    Tp: count,
    /** Filter columns unrolled (y), Ma et al.'s Pkx; 1 = none. */
    Tk: count,
    /** Entries per weight bank, both ping-pong halves. */
    weightBankDepth: count,
    /** Words per input bank, both ping-pong halves. */
    inputBankWords: count,
    /** Words per output memory (each output lane has two). */
    outputBankWords: count,
  })
  .strict();

export type FpgaEngine = z.infer<typeof fpgaEngineSchema>;

export const ORGANISATIONS = ['single-engine', 'layer-pipelined'] as const;
export type Organisation = (typeof ORGANISATIONS)[number];

export const fpgaEngineCapabilitySchema = z
  .object({
    /** One engine time-shared by every layer, or one engine per layer (a layer pipeline). */
    organisation: z.enum(ORGANISATIONS),
    /** Bytes of one bank word: the datapath's native precision. */
    wordBytes: z.number().positive(),
    /** The time-shared engine, or the largest stage of a layer pipeline. */
    engine: fpgaEngineSchema,
    /** Per-layer engines of a layer-pipelined design, by layer name (empty for a single engine). */
    stages: z.record(z.string(), fpgaEngineSchema),
  })
  .strict();

export type FpgaEngineFacts = z.infer<typeof fpgaEngineCapabilitySchema>;

/**
 * The capability the `fpga` template publishes and the FPGA dataflows read (`capabilityOf(hw, fpgaEngineCapability)`):
 * the engine(s) a design has, so a mapspace can unroll the op as the engine's lanes do.
 */
export const fpgaEngineCapability = defineCapability<FpgaEngineFacts>('fpga-engine', fpgaEngineCapabilitySchema);
