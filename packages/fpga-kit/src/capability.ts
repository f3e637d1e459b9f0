import { defineCapability } from '@trim-dse/core';
import { z } from 'zod';

const count = z.number().int().positive();

/**
 * Engine families (published FPGA engines):
 * - `unrolled`: Zhang et al. FPGA'15 — Tm output × Tn input channels (× Tp output columns, Ty output rows, Tk filter
 *   columns, Tr filter rows), every lane fed from its own buffer bank;
 * - `unrolled-reuse`: Ma et al. FPGA'17 — the same loop unrolling, with input pixels shifted between neighbouring
 *   PEs of a row (data reuse across PEs), so only one input bank per input channel and output row lane;
 * - `convolver`: Qiu et al. FPGA'16 — Tm PEs of Tn K×K convolvers (line buffers) whose products an adder tree sums;
 * - `winograd`: F(m×m, r×r) tiles — Tm × Tn PEs each multiplying (m+r−1)² transformed values per cycle, worth m²·r²
 *   MACs (layers with an r×r kernel at stride 1; others run directly on the same multipliers);
 * - `depthwise`: the Tm output lanes also take the groups of a depthwise convolution, each lane with its own input.
 */
export const ENGINE_FAMILIES = ['unrolled', 'unrolled-reuse', 'convolver', 'winograd', 'depthwise'] as const;
export type EngineFamily = (typeof ENGINE_FAMILIES)[number];

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
    /** Output rows unrolled (x), Ma et al.'s Poy; absent = 1. */
    Ty: count.optional(),
    /** Filter rows unrolled (y), Ma et al.'s Pky (a convolver's K); absent = 1. */
    Tr: count.optional(),
    /** The engine family; absent = `unrolled`. */
    family: z.enum(ENGINE_FAMILIES).optional(),
    /** A Winograd engine's F(m×m, r×r): m×m outputs of an r×r kernel per tile (Tp = Ty = m, Tk = Tr = r). */
    winograd: z.object({ m: count, r: count }).strict().optional(),
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
