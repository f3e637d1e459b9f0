import { createPointContext, evaluatePoint } from '../../src/index.js';
import { fixtureRegistry, prepareFixture } from './helpers.js';
const prepared = prepareFixture();
const ctx = await createPointContext(fixtureRegistry(), prepared.job);
const t0 = performance.now();
let m = 0;
for (let rep = 0; rep < 2; rep++) for (let i = 0; i < 192; i++) m += evaluatePoint(ctx, i).mappings;
console.log(((performance.now() - t0) / 384).toFixed(2), 'ms/point', m / 384, 'mappings/point');
