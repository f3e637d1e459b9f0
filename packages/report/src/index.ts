import { definePlugin } from '@trim-dse/core';

export { formatNumber, formatTable } from './table.js';
export { ASSUMPTIONS, evalCsv, evalJson, evalTables, evalTitle, validationRowError, type EvalDocument, type EvalReport, type InterlayerReport } from './eval-output.js';
export { readReportInput, type ReportInput } from './html/input.js';
export { evalRows, exploreRows, layerOf, type EnergyRow, type EvalRows, type ExploreRows, type OpRow, type PointRow } from './html/data.js';
export { renderHtmlReport, writeHtmlReport, type HtmlReportOptions } from './html/report.js';
export { bestPointEvals } from './html/best-point.js';
export { addHoverTitles, renderSvg } from './html/svg.js';

export default definePlugin({ name: '@trim-dse/report' });
