import { Registry, corePlugin } from '@trim-dse/core';
import hw from './src/index.js';
const r = new Registry().use(corePlugin).use(hw);
const t0 = Date.now();
const rows = await hw.validationSuites![0].run('/work/shared/validation/scalesim', { registry: r });
const worst: Record<string, number> = {};
let fails = 0;
for (const row of rows) {
  const e = Math.abs(row.ours - row.reference) / Math.max(1, Math.abs(row.reference));
  worst[row.metric] = Math.max(worst[row.metric] ?? 0, e);
  if (e > row.tolerance) { fails++; if (process.argv.includes('-v')) console.log(row.case, row.metric, row.ours, row.reference, e.toFixed(4)); }
}
console.log(rows.length, 'rows', fails, 'fail', Date.now() - t0, 'ms');
console.log(worst);
