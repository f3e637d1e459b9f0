import { fuzzSlice } from './fuzz/slice.js';

// Part 2 of the seeded 1 % slice of `pnpm fuzz plan` (fuzz/slice.ts); part 1 is fuzz.test.ts.
fuzzSlice(1);
