import { defineHardware } from '@trim-dse/core';
import { parse as parseYaml } from 'yaml';
import { isTimeloopArchitecture, timeloopArchToSpec } from './arch.js';
import { buildTimeloop } from './build.js';
import { timeloopSchema, type TimeloopSpec } from './spec.js';

/**
 * The `timeloop` hardware template: a Timeloop v0.2/v0.3 architecture (claimed by content: a top-level
 * `architecture:` tree), priced by core's loop-nest engine with Timeloop v3's accounting. Energies come from
 * Accelergy's ERT (`--energy-table`, the spec's `energyTable`), areas from its ART (`--set areaTable=ART.yaml`).
 */
export const timeloopHardware = defineHardware<TimeloopSpec>({
  name: 'timeloop',
  description: 'A Timeloop v0.2/v0.3 architecture (subtree/local tree) with Accelergy ERT energies, priced by the loop-nest engine with Timeloop v3 accounting',
  configSchema: timeloopSchema as unknown as import('zod').z.ZodType<TimeloopSpec>,
  builtins: {},
  build: buildTimeloop,
  importers: [
    {
      extensions: [],
      accepts: (data) => isTimeloopArchitecture(data),
      parse: (text, path) => timeloopArchToSpec(parseYaml(text) as unknown, path),
    },
  ],
});
