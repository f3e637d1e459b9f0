import { z } from 'zod';

// Physical ranges: beyond them a spec is a typo, and counts derived from it would overflow.
const count = z.number().int().positive().max(2 ** 40);
const instances = z.number().int().positive().max(2 ** 24);
const wordsPerCycle = z.number().min(1e-6).max(1e9);
const energyPj = z.number().nonnegative().max(1e7);

/**
 * One storage level of a Timeloop architecture, as Timeloop v3 reads it (`BufferLevel::ParseSpecs`): sizes in words
 * of `wordBits`, accesses in vectors of `blockWords` words, bandwidths in words per cycle per instance, energies per
 * vector access (Accelergy's ERT entries, or given here).
 */
export const storageSchema = z
  .object({
    name: z.string().min(1),
    /** Timeloop's class (`DRAM`, `SRAM`, `regfile`, `smartbuffer_RF`, …): a DRAM class is the unbounded backing store. */
    class: z.string().min(1).default('SRAM'),
    /** Instances in the whole accelerator (the `[0..N-1]` counts of the component and the subtrees above it). */
    instances: instances.default(1),
    /** Instances along the array's x axis (Timeloop's `meshX`; default all of them). */
    meshX: instances.optional(),
    /** Words per instance (`depth` × `block-size`, or `entries`), or "unbounded" (a DRAM without a depth). */
    sizeWords: z.union([count, z.literal('unbounded')]),
    /** Words one access moves (Timeloop's `block-size`, its vector width). */
    blockWords: count.default(1),
    wordBits: z.number().int().min(1).max(1024),
    /** Timeloop's `multiple-buffering`: tiles must fit in `sizeWords / multipleBuffering` words. */
    multipleBuffering: z.number().min(1).max(64).default(1),
    /** Instances sharing one vector access (Timeloop's `cluster-size`). */
    clusterSize: count.default(1),
    readBandwidth: wordsPerCycle.optional(),
    writeBandwidth: wordsPerCycle.optional(),
    sharedBandwidth: wordsPerCycle.optional(),
    /** Energy per vector access, pJ (read, fill, update): set here, or from the ERT (`energyTable`). */
    readEnergyPj: energyPj.optional(),
    fillEnergyPj: energyPj.optional(),
    updateEnergyPj: energyPj.optional(),
    /** Area per instance, µm² (from the ART, `areaTable`). */
    areaUm2: z.number().nonnegative().max(1e12).optional(),
  })
  .strict();

/** The arithmetic level (Timeloop's `intmac`/`fpmac`/`compute` class). */
export const computeSchema = z
  .object({
    name: z.string().min(1),
    class: z.string().min(1).default('intmac'),
    instances: instances.default(1),
    meshX: instances.optional(),
    wordBits: z.union([z.literal(4), z.literal(8), z.literal(16), z.literal(32)]).default(16),
    /** Energy per MAC, pJ (from the ERT's `mac_random`, or given here). */
    energyPj: energyPj.optional(),
    areaUm2: z.number().nonnegative().max(1e12).optional(),
  })
  .strict();

/**
 * A Timeloop v0.2/v0.3 architecture flattened into TRIM's order: storage levels innermost (next to the MACs) first,
 * the last the backing store, and the compute units. `energyTable`/`areaTable` are Accelergy ERT/ART files whose
 * entries replace the energies and areas given here (`trim eval --energy-table` sets `energyTable`).
 */
export const timeloopSchema = z
  .object({
    name: z.string().default('timeloop'),
    /** Timeloop reports cycles; its summary's GFLOPs assume 1 GHz (`GFLOPs (@1GHz)`), so the default clock is 1 GHz. */
    clockMHz: z.number().min(1e-6).max(1e5).default(1000),
    version: z.union([z.number(), z.string()]).optional(),
    levels: z.array(storageSchema).min(1, 'at least one storage level (the backing store)'),
    compute: computeSchema,
    energyTable: z.string().min(1).optional(),
    areaTable: z.string().min(1).optional(),
    /**
     * A Timeloop constraints file whose `architecture_constraints` (what each level keeps, the factors and loop
     * orders its temporal loops and fanout allow) the template enforces as hardware facts (`--set constraints=FILE`;
     * in an architecture file, relative to it). Its `mapspace_constraints` (search hints) are not read.
     */
    constraints: z.string().min(1).optional(),
  })
  .strict();

export type TimeloopSpec = z.infer<typeof timeloopSchema>;
export type TimeloopSpecInput = z.input<typeof timeloopSchema>;
export type StorageSpec = z.infer<typeof storageSchema>;
