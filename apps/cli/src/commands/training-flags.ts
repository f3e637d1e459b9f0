/** The training flags (commander's camel-case keys) and the training phase model's option each sets. */
export const TRAINING_FLAGS = [
  ['optimizer', 'optimizer'],
  ['recompute', 'recompute'],
  ['mixed', 'mixed'],
  ['weightGradient', 'weightGradient'],
] as const;
