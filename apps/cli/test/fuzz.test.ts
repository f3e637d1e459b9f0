import { fuzzSlice } from './fuzz/slice.js';

// Part 1 of the seeded 1 % slice of `pnpm fuzz plan` (fuzz/slice.ts); part 2 is fuzz-2.test.ts.
fuzzSlice(0);
