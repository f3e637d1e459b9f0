import { definePlugin } from '@trim-dse/core';

export { formatNumber, formatTable, terminalText } from './table.js';
export { csvDocument, csvField, csvRecord } from './csv.js';
export { ASSUMPTIONS, assumptionLines, evalCsv, evalJson, evalJsonChunks, evalTables, evalTitle, validationRowError, type EvalDocument, type EvalReport, type InterlayerReport, type TableOptions } from './eval-output.js';
export { dataflowText, dramLink, dramText, type DramLink, type HardwareFacts } from './assumptions.js';
export { accessTable, breakdownCsvColumns, energyComponents, energyTable } from './breakdown.js';
export { bytesText, footprintText, type MemoryFootprint } from './footprint.js';
export { groupLayers, groupTable, runSummary, summaryCsv, type GroupRow, type RunSummary } from './summary.js';
export { scaleSimReports, type ScaleSimLayer, type ScaleSimReports } from './scalesim-report.js';
export { architectureYaml, type ArchitectureYamlOptions, type JsonSchemaNode } from './arch-yaml.js';
export { readReportInput, type ReportInput } from './html/input.js';
export { evalRows, exploreRows, layerOf, type EnergyRow, type EvalRows, type ExploreRows, type OpRow, type PointRow } from './html/data.js';
export { renderHtmlReport, writeHtmlReport, type HtmlReportOptions } from './html/report.js';
export { bestPointEvals } from './html/best-point.js';
export { addHoverTitles, renderSvg } from './html/svg.js';

export default definePlugin({ name: '@trim-dse/report' });
