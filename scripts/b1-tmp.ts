import { macOp, Cost, evaluate, resolveArchitecture, Registry, corePlugin, tiledMapspace, copyMapping, type Mapping } from '../packages/core/src/index.js';
const reg = new Registry().use(corePlugin);
const hw = resolveArchitecture(reg, 'generic-16x16').model;
const op = macOp({ name: 'c', layer: 'c', layerKind: 'conv2d', phase: 'forward', bounds: { N: 1, K: 128, C: 128, P: 28, Q: 28, R: 3, S: 3 },
  operands: [{ tensor: 'weights', projection: 'filter', bytes: 2, density: 1 }, { tensor: 'inputs', projection: 'window', bytes: 2, density: 1 }, { tensor: 'outputs', projection: 'output', bytes: 2, density: 1 }] });
const maps: Mapping[] = [];
let n = 0;
const t0 = performance.now();
tiledMapspace(op, hw, { spatialX: ['K'], spatialY: ['C'], peOrder: ['P','Q','R','S'], outerOrders: [['K','C','N','P','Q','R','S']] }, (m) => { n++; if (maps.length < 2000) maps.push(copyMapping(m)); });
console.log('mapspace', n, (performance.now() - t0).toFixed(0), 'ms');
const cost = new Cost(hw.levels.length);
for (let rep = 0; rep < 3; rep++) {
  const t = performance.now(); let k = 0;
  while (performance.now() - t < 1000) { for (const m of maps) { evaluate(op, hw, m, cost); k++; } }
  console.log('evals/s', Math.round(k / ((performance.now() - t) / 1000)));
}
