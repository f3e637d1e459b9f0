import type { DesignSpaceSpec } from '@trim-dse/core';

/** A sweep around Eyeriss: array shape, scratchpad sizes and buffer banks (`trim explore --space spatial-sweep`). */
export const spatialSweep: DesignSpaceSpec = {
  name: 'spatial-sweep',
  description: 'Eyeriss-like arrays: PE rows × cols, filter/ifmap/psum scratchpads, shared GLB banks',
  template: 'spatial',
  base: 'eyeriss',
  parameters: {
    'array.rows': [8, 12, 16],
    'array.cols': [8, 14, 16],
    'rf.weightsWords': [112, 224, 448],
    'rf.inputsWords': [12, 24],
    'rf.outputsWords': [16, 24, 32],
    'glb.banks': [13, 25, 50],
  },
  dataflows: ['rs'],
};
