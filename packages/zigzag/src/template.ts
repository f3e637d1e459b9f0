import { buildGeneric, defineHardware, genericSchema, type GenericSpec } from '@trim-dse/core';
import { parse as parseYaml } from 'yaml';
import { isZigZagAccelerator, zigzagToGenericSpec } from './accelerator.js';

/**
 * ZigZag accelerators as architectures. ZigZag's model (memories priced per access, capacities, port bandwidths,
 * operand-holding levels over a MAC array) has no effect that core's loop-nest engine lacks, so the importer
 * produces the `generic` template's spec and builds it with the generic template: no second cost model. The
 * plug-in is a template only because importers belong to one (core's `ArchImporter`).
 */
export const zigzagHardware = defineHardware<GenericSpec>({
  name: 'zigzag',
  description: "A ZigZag accelerator YAML (memories with per-operand levels, ports, served dimensions, operational array) as the generic template's spec",
  configSchema: genericSchema as unknown as import('zod').z.ZodType<GenericSpec>,
  builtins: {},
  build: buildGeneric,
  importers: [
    {
      extensions: [],
      accepts: (data) => isZigZagAccelerator(data),
      parse: (text, path) => zigzagToGenericSpec(parseYaml(text) as unknown, path),
    },
  ],
});
