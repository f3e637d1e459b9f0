/**
 * The ≥ 10⁶-input run (`pnpm fuzz plan`): inputs per surface, more where inputs are cheap (flags, tampered results
 * files) and fewer where each evaluates whole networks (every template, huge sizes: up to 20 s each). About 3 CPU-hours
 * (≈ 10 ms per input, the CLI's start-up included). `pnpm test` runs a seeded 1 % slice of it (fuzz/slice.ts).
 */
export const FUZZ_PLAN: Readonly<Record<string, number>> = {
  'merge tampered results': 150_000,
  'report tampered results': 120_000,
  'special files': 100_000,
  'prototype keys': 50_000,
  'resume tampered results': 30_000,
  'concurrent writers': 10_000,
  'symlink outputs': 3_000,
  'every template, training': 10_000,
  'CLI flags': 300_000,
  '--set values': 50_000,
  'SCALE-Sim CSV': 40_000,
  'SCALE-Sim cfg': 40_000,
  'Timeloop problem YAML': 30_000,
  'ONNX bytes': 30_000,
  'design-space YAML': 20_000,
  'architecture YAML': 10_000,
  'plug-in config': 20_000,
  'huge sizes and long networks': 2_000,
};
