import { copyFileSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { layerOf, readReportInput, writeHtmlReport, type EvalDocument } from '../src/index.js';
import { expectFitsAndLegendsShow, figureLayouts, launchChromium, openReport, opsWithBars } from './html-browser-kit.js';
import { syntheticEval, unpackFixture } from './html-fixtures.js';
import { tmp } from './fixtures.js';

// The report at scale, in a real browser: ResNet-50 training as `trim eval` computes it (518 ops over 175 layers,
// fixtures/README.md) next to a 200-point exploration, and a synthetic 500-layer training run.

/** Set to a path to keep a copy of the ResNet-50 screenshot (e.g. for a reviewer); the test does not read it. */
const SCREENSHOT_COPY = process.env.TRIM_REPORT_SCREENSHOT;

const PER_LAYER = ['cycles', 'energy'] as const;

describe('trim report --html at scale (headless Chromium)', () => {
  it('ResNet-50 training: every plot fits a 1280 px window, every legend shows, every op has its bars', async () => {
    const dir = tmp();
    const results = unpackFixture('resnet50-systolic-sweep.jsonl.gz', dir);
    const evalPath = unpackFixture('resnet50-eyeriss-training.json.gz', dir);
    const doc = (readReportInput(evalPath) as { result: EvalDocument }).result;
    const out = join(dir, 'report.html');
    await writeHtmlReport([results, evalPath], out);
    expect(readFileSync(out, 'utf8')).not.toMatch(/<script|<link|src="http|href="http/);

    const browser = await launchChromium();
    try {
      const { page, remote } = await openReport(browser, out);
      const figures = await figureLayouts(page);
      expect(figures.map((f) => f.id)).toEqual(['pareto-0', 'kinds-1', 'phase-1', 'levels-1', 'cycles-1', 'energy-1', 'util-1']);
      expectFitsAndLegendsShow(figures);
      const byId = new Map(figures.map((f) => [f.id, f]));

      // Every op of the run has a visible bar in both per-layer plots, and every layer its full name on the axis.
      const ops = doc.layers.map((l) => l.name);
      const layers = [...new Set(ops.map(layerOf))];
      expect(ops.length).toBe(518);
      expect(layers.length).toBe(175);
      for (const id of PER_LAYER) {
        const f = byId.get(`${id}-1`)!;
        const missing = ops.filter((op) => !opsWithBars(f).has(op));
        expect(missing, `${id}: ops without a bar`).toEqual([]);
        expect(f.yLabels, id).toEqual(layers);
      }
      const macOps = doc.layers.filter((l) => l.macs > 0).map((l) => l.name);
      expect([...opsWithBars(byId.get('util-1')!)].sort()).toEqual([...macOps].sort());
      expect(byId.get('util-1')!.yLabels).toEqual(macOps);

      // The front: 4 points, drawn in both panels (all points; zoomed on the front), above the faded dominated ones.
      const pareto = byId.get('pareto-0')!.marks.map((m) => m.label);
      expect(pareto.filter((l) => l.includes('(Pareto front)'))).toHaveLength(2 * 4);
      expect(pareto.filter((l) => l.includes('(dominated)')).length).toBeGreaterThan(196);

      const shot = join(dir, 'report-resnet50-training.png');
      await page.screenshot({ path: shot, fullPage: true });
      expect(statSync(shot).size).toBeGreaterThan(100_000);
      if (SCREENSHOT_COPY) copyFileSync(shot, SCREENSHOT_COPY);
      expect(remote).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  it('500 layers: one row per layer with its full name, plots within the window, legends inside', async () => {
    const dir = tmp();
    const evalPath = join(dir, 'synthetic-500.json');
    const doc = syntheticEval(500) as EvalDocument;
    writeFileSync(evalPath, JSON.stringify(doc));
    const out = join(dir, 'report.html');
    await writeHtmlReport([evalPath], out);
    const browser = await launchChromium();
    try {
      const { page } = await openReport(browser, out);
      const figures = await figureLayouts(page);
      expectFitsAndLegendsShow(figures);
      const layers = [...new Set(doc.layers.map((l) => layerOf(l.name)))];
      expect(layers).toHaveLength(500);
      for (const id of PER_LAYER) {
        const f = figures.find((x) => x.id === `${id}-0`)!;
        expect(f.yLabels, id).toEqual(layers);
        expect([...opsWithBars(f)].sort(), id).toEqual(doc.layers.map((l) => l.name).sort());
        // Rows stay tall enough to read: at least 12 px per layer.
        expect((f.plot.bottom - f.plot.top) / layers.length, id).toBeGreaterThanOrEqual(12);
      }
    } finally {
      await browser.close();
    }
  });
});
