import { TrimUserError } from '@trim-dse/core';

/** One SCALE-Sim convolution row. IFMAP height/width already include any padding. */
export interface ScaleSimConvRow {
  readonly kind: 'conv';
  readonly name: string;
  readonly ifmapH: number;
  readonly ifmapW: number;
  readonly filterH: number;
  readonly filterW: number;
  readonly channels: number;
  readonly filters: number;
  readonly strideH: number;
  readonly strideW: number;
}

/** One SCALE-Sim GEMM row: C = A(M×K) · B(K×N). */
export interface ScaleSimGemmRow {
  readonly kind: 'gemm';
  readonly name: string;
  readonly m: number;
  readonly n: number;
  readonly k: number;
}

export type ScaleSimRow = ScaleSimConvRow | ScaleSimGemmRow;
export type ScaleSimForm = 'conv' | 'gemm';

export const CONV_COLUMNS = ['Layer name', 'IFMAP Height', 'IFMAP Width', 'Filter Height', 'Filter Width', 'Channels', 'Num Filter', 'Strides'] as const;
export const GEMM_COLUMNS = ['Layer', 'M', 'N', 'K'] as const;

interface Line {
  readonly row: number;
  readonly fields: string[];
}

/** Non-blank lines split on commas, fields trimmed, trailing empty fields (the customary trailing comma) dropped. */
function lines(text: string): Line[] {
  const out: Line[] = [];
  text.split(/\r?\n|\r/).forEach((raw, i) => {
    if (raw.trim() === '') return;
    const fields = raw.split(',').map((f) => f.trim());
    while (fields.length > 0 && fields[fields.length - 1] === '') fields.pop();
    out.push({ row: i + 1, fields });
  });
  return out;
}

/** The form a header announces, or undefined when it names neither. */
export function formOfHeader(header: readonly string[]): ScaleSimForm | undefined {
  const h = header.map((f) => f.toLowerCase());
  if (h.length >= 4 && h[1] === 'm' && h[2] === 'n' && h[3] === 'k') return 'gemm';
  if (h.some((f) => f.startsWith('ifmap'))) return 'conv';
  return undefined;
}

function positiveInt(file: string, line: Line, index: number, column: string): number {
  const text = line.fields[index];
  if (text === undefined || text === '') {
    throw new TrimUserError(`${file}, row ${line.row}, column "${column}": missing value`, {
      field: column,
      fix: `give every row the columns ${column === 'M' || column === 'N' || column === 'K' ? GEMM_COLUMNS.join(', ') : CONV_COLUMNS.join(', ')}`,
    });
  }
  if (!/^\d+$/.test(text) || Number(text) <= 0 || !Number.isSafeInteger(Number(text))) {
    throw new TrimUserError(`${file}, row ${line.row}, column "${column}": "${text}" is not a positive integer`, {
      field: column,
      fix: 'sizes, channel counts and strides are whole numbers from 1 to 2⁵³ − 1',
    });
  }
  return Number(text);
}

function convRow(file: string, line: Line, name: string): ScaleSimConvRow {
  const [ifmapH, ifmapW, filterH, filterW, channels, filters, strideH] = CONV_COLUMNS.slice(1).map((c, i) => positiveInt(file, line, i + 1, c));
  const strideW = line.fields[8] === undefined || line.fields[8] === '' ? strideH : positiveInt(file, line, 8, 'Strides (width)');
  if (filterH > ifmapH) throw new TrimUserError(`${file}, row ${line.row}, column "Filter Height": ${filterH} exceeds the IFMAP height ${ifmapH}`, { field: 'Filter Height' });
  if (filterW > ifmapW) throw new TrimUserError(`${file}, row ${line.row}, column "Filter Width": ${filterW} exceeds the IFMAP width ${ifmapW}`, { field: 'Filter Width' });
  return { kind: 'conv', name, ifmapH, ifmapW, filterH, filterW, channels, filters, strideH, strideW };
}

function gemmRow(file: string, line: Line, name: string): ScaleSimGemmRow {
  const [m, n, k] = GEMM_COLUMNS.slice(1).map((c, i) => positiveInt(file, line, i + 1, c));
  return { kind: 'gemm', name, m, n, k };
}

/**
 * Parses a SCALE-Sim topology: a header row, then one layer per row. The form (conv or GEMM) comes from the header,
 * or from `inputType` (the `input-type` file next to it) when the header names neither. Layer names are made unique.
 */
export function parseScaleSimTopology(text: string, file: string, inputType?: string): { form: ScaleSimForm; rows: ScaleSimRow[] } {
  const all = lines(text);
  if (all.length === 0) throw new TrimUserError(`${file}: empty SCALE-Sim topology`, { field: file, fix: 'add a header row and one row per layer' });
  const [header, ...body] = all;
  const hinted = inputType?.trim().toLowerCase();
  const form = formOfHeader(header.fields) ?? (hinted === 'gemm' || hinted === 'conv' ? hinted : undefined);
  if (!form) {
    // The header is not quoted: the file may be anything a path or a symlink points at (its content stays private).
    throw new TrimUserError(`${file}, row ${header.row}: the header (${header.fields.length} field${header.fields.length === 1 ? '' : 's'}) is neither the conv form (${CONV_COLUMNS.join(', ')}) nor the GEMM form (${GEMM_COLUMNS.join(', ')})`, {
      field: 'header',
      fix: 'start the file with one of those header rows',
    });
  }
  if (body.length === 0) throw new TrimUserError(`${file}: no layer rows after the header`, { field: file });
  const seen = new Set<string>();
  const rows = body.map((line) => {
    let name = line.fields[0] || `row${line.row}`;
    if (seen.has(name)) name = `${name}@row${line.row}`;
    seen.add(name);
    return form === 'conv' ? convRow(file, line, name) : gemmRow(file, line, name);
  });
  return { form, rows };
}

/** SCALE-Sim's output size: ⌈(H − R) / stride⌉ + 1 (it rounds a partial last window up). */
export function scaleSimOutputSize(ifmap: number, filter: number, stride: number): number {
  return Math.ceil((ifmap - filter) / stride) + 1;
}
