/**
 * What a training step keeps in memory (bytes), as the training phase model reports it (`stepFootprint` of
 * `@trim-dse/training`: the same shape, read here without importing that plug-in).
 */
export interface MemoryFootprint {
  readonly weightsBytes: number;
  readonly masterWeightsBytes: number;
  readonly weightGradientBytes: number;
  readonly optimizerStateBytes: number;
  readonly stashBytes: number;
  readonly peakLiveBytes: number;
  readonly peakAt: string;
  readonly peakBytes: number;
}

/** Bytes in binary units (KiB = 1024 B), 4 significant digits. */
export function bytesText(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes;
  let u = 0;
  while (Math.abs(v) >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${Math.round(v)} B` : `${v.toPrecision(4)} ${units[u]}`;
}

/** The footprint as lines under the table. */
export function footprintText(f: MemoryFootprint): string {
  const parts = [
    `weights ${bytesText(f.weightsBytes)}`,
    ...(f.masterWeightsBytes > 0 ? [`master weights ${bytesText(f.masterWeightsBytes)}`] : []),
    `weight gradients ${bytesText(f.weightGradientBytes)}`,
    `optimizer state ${bytesText(f.optimizerStateBytes)}`,
    `activation stash ${bytesText(f.stashBytes)}`,
  ];
  return [
    `memory of one step: ${parts.join(', ')}`,
    `peak footprint ${bytesText(f.peakBytes)} at ${f.peakAt}: the weights${f.masterWeightsBytes > 0 ? ', master weights' : ''} and optimizer state (resident all step) + ${bytesText(f.peakLiveBytes)} of activations and gradients alive at once`,
  ].join('\n');
}
