import type { SpatialSpecInput } from './schema.js';

/**
 * An NLR variant of a spatial spec at equal on-chip storage: the PE scratchpads are removed and their bytes
 * (PEs × spad words × word bytes) become extra shared buffer banks (rounded down to whole banks). SRAM is denser
 * per byte than register files, so this slightly favours NLR; ISCA 2016 equalised area the same way in spirit.
 */
export function equalAreaNoLocalReuse(spec: SpatialSpecInput): SpatialSpecInput {
  const wordBytes = (spec.wordBits ?? 16) / 8;
  const pes = spec.array.rows * spec.array.cols;
  const spadBytes = pes * (spec.rf.weightsWords + spec.rf.inputsWords + spec.rf.outputsWords) * wordBytes;
  const extraBanks = Math.floor(spadBytes / (spec.glb.bankKB * 1024));
  return {
    ...spec,
    name: `${spec.name ?? 'spatial'}-nlr`,
    rf: { weightsWords: 0, inputsWords: 0, outputsWords: 0 },
    glb: { ...spec.glb, banks: spec.glb.banks + extraBanks },
  };
}
