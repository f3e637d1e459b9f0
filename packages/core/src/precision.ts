/** Numeric formats an accelerator stores or computes in. */
export const PRECISIONS = ['int4', 'int8', 'int16', 'int32', 'fp8', 'fp16', 'bf16', 'fp32'] as const;
export type Precision = (typeof PRECISIONS)[number];

const BITS: Record<Precision, number> = {
  int4: 4,
  int8: 8,
  int16: 16,
  int32: 32,
  fp8: 8,
  fp16: 16,
  bf16: 16,
  fp32: 32,
};

export function precisionBits(p: Precision): number {
  return BITS[p];
}

export function precisionBytes(p: Precision): number {
  return BITS[p] / 8;
}

export function isPrecision(s: string): s is Precision {
  return (PRECISIONS as readonly string[]).includes(s);
}

/**
 * The usual format of a datapath word when a spec gives only its width: integer up to 16 bits (inference
 * accelerators), fp32 at 32 bits. Only the bytes matter to the cost model; the name is what reports show.
 */
export function precisionOfBits(bits: number): Precision {
  switch (bits) {
    case 4:
      return 'int4';
    case 8:
      return 'int8';
    case 16:
      return 'int16';
    case 32:
      return 'fp32';
    default:
      throw new RangeError(`no precision of ${bits} bits`);
  }
}
