import { describe, expect, it } from 'vitest';
import { csvDocument, csvField, evalCsv, formatTable, terminalText } from '../src/index.js';
import { evalDoc } from './fixtures.js';

describe('RFC 4180 CSV, safe to open in a spreadsheet', () => {
  it('quotes fields with a comma, a quote or a line break (quotes doubled); numbers as written', () => {
    expect(csvField('conv1')).toBe('conv1');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(-1.5)).toBe('-1.5');
  });

  it('a text cell a spreadsheet would run as a formula starts with a single quote', () => {
    for (const cell of ['=HYPERLINK("http://x")', '+1', '-2+3', '@SUM(A1)', '\tx', '\rx']) expect(csvField(cell).replace(/^"/, '').startsWith("'")).toBe(true);
    expect(csvField('=1,2')).toBe(`"'=1,2"`);
  });

  it('records end in CRLF; a layer name with a comma does not shift the columns', () => {
    expect(csvDocument(['a', 'b'], [['x,y', 1]])).toBe('a,b\r\n"x,y",1\r\n');
    const named = { ...evalDoc, layers: evalDoc.layers.map((l, i) => (i === 0 ? { ...l, name: '=cmd|"/c calc"!A1,x' } : l)) };
    const rows = evalCsv(named).trimEnd().split('\r\n');
    expect(rows[1].startsWith(`"'=cmd|""/c calc""!A1,x",`)).toBe(true);
  });
});

describe('names printed on a terminal', () => {
  it('control characters and bidirectional overrides are shown as escapes, not run', () => {
    expect(terminalText('a\u001b]52;c;ZXZpbA==\u0007b')).toBe('a\\x1b]52;c;ZXZpbA==\\x07b');
    expect(terminalText('x\u009b2Jy\u202ez')).toBe('x\\x9b2Jy\\u202ez');
    expect(terminalText('one\ntwo')).toBe('one\\x0atwo');
    expect(terminalText('one\ntwo', true)).toBe('one\ntwo');
  });

  it('table cells are escaped (column widths count the escapes)', () => {
    const t = formatTable(['layer'], [['\u001b[31mred']]);
    expect(t).not.toContain('\u001b');
    expect(t).toContain('\\x1b[31mred');
  });
});
