import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeHtmlReport } from '../src/index.js';
import { expectFitsAndLegendsShow, figureLayouts, launchChromium, openReport, opsWithBars } from './html-browser-kit.js';
import { tmp, writeEval, writeResults } from './fixtures.js';

describe('trim report --html', () => {
  it('writes one self-contained HTML file atomically (no scripts, no external resources)', async () => {
    const dir = tmp();
    const out = join(dir, 'report.html');
    const r = await writeHtmlReport([writeResults(dir), writeEval(dir)], out);
    expect(r.plots).toBe(7); // Pareto + 6 per eval
    const html = readFileSync(out, 'utf8');
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).not.toMatch(/<script|<link|src="http|href="http/);
    expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
    // Hovering a Pareto point shows its configuration.
    expect(html).toMatch(/<title>point 2 \(Pareto front\): 1 s, 3 µJ — levels\.glb\.fanout\.x=16 levels\.glb\.capacityWords=65536<\/title>/);
  });

  it('renders every plot in headless Chromium', async () => {
    const dir = tmp();
    const out = join(dir, 'report.html');
    await writeHtmlReport([writeResults(dir), writeEval(dir)], out);
    const browser = await launchChromium();
    try {
      const { page, remote } = await openReport(browser, out);
      const figures = await figureLayouts(page);
      expect(figures.map((f) => f.id)).toEqual(['pareto-0', 'kinds-1', 'phase-1', 'levels-1', 'cycles-1', 'energy-1', 'util-1']);
      expectFitsAndLegendsShow(figures);
      for (const f of figures) {
        expect(f.plot.bottom - f.plot.top, f.id).toBeGreaterThan(100);
        expect(f.marks.length, f.id).toBeGreaterThan(0);
      }
      // 3 plotted points in each panel (all points; around the front of 2).
      expect(figures[0].marks).toHaveLength(6);
      // A bar per op: 3 phases of conv1, pool1's forward; 3 MAC ops in the utilisation plot.
      expect([...opsWithBars(figures[4])].sort()).toEqual(['conv1', 'conv1:bwd-data', 'conv1:bwd-weight', 'pool1']);
      expect(figures[4].yLabels).toEqual(['conv1', 'pool1']);
      expect([...opsWithBars(figures[6])]).toEqual(['conv1', 'conv1:bwd-data', 'conv1:bwd-weight']);
      expect(remote).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
