import { definePlugin } from '@trim-dse/core';

export { formatNumber, formatTable } from './table.js';
export { evalCsv, evalJson, evalTables, validationRowError, type EvalResult } from './eval-output.js';

export default definePlugin({ name: '@trim-dse/report' });
