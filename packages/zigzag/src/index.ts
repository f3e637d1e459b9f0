import { definePlugin } from '@trim-dse/core';
import { zigzagHardware } from './template.js';

export { isZigZagAccelerator, zigzagToGenericSpec } from './accelerator.js';
export { zigzagHardware } from './template.js';
export { readEnergyPerWordPj, zigzagAccessesPerPeriod, zigzagWordAccesses } from './words.js';

/** ZigZag input: accelerator YAML files read as architectures (the generic template's spec). */
export default definePlugin({ name: '@trim-dse/zigzag', hardware: [zigzagHardware] });
