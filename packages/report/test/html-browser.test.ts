import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { writeHtmlReport } from '../src/index.js';
import { tmp, writeEval, writeResults } from './fixtures.js';

// The browser is part of the test set-up (CI installs it): a missing browser fails this test, it never skips.
const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

describe('trim report --html', () => {
  it('writes one self-contained HTML file atomically (no scripts, no external resources)', async () => {
    const dir = tmp();
    const out = join(dir, 'report.html');
    const r = await writeHtmlReport([writeResults(dir), writeEval(dir)], out);
    expect(r.plots).toBe(6); // Pareto + 5 per eval
    const html = readFileSync(out, 'utf8');
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).not.toMatch(/<script|<link|src="http|href="http/);
    expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
    // Hovering a Pareto point shows its configuration.
    expect(html).toMatch(/<title>[^<]*point: 2;[^<]*levels\.glb\.fanout\.x: 16; levels\.glb\.capacityWords: 65536<\/title>/);
  });

  it('renders every plot in headless Chromium', async () => {
    expect(existsSync(CHROMIUM), `${CHROMIUM} is not installed: apt-get install -y chromium`).toBe(true);
    const dir = tmp();
    const out = join(dir, 'report.html');
    await writeHtmlReport([writeResults(dir), writeEval(dir)], out);
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    try {
      const page = await browser.newPage();
      const remote: string[] = [];
      page.on('request', (req) => {
        if (!req.url().startsWith('file:')) remote.push(req.url());
      });
      await page.goto(pathToFileURL(out).href);
      const figures = await page.$$eval('figure', (fs) =>
        fs.map((f) => {
          const svg = f.querySelector('svg');
          const box = svg?.getBoundingClientRect();
          return { id: f.id, width: box?.width ?? 0, height: box?.height ?? 0, marks: f.querySelectorAll('[role="graphics-symbol"]:not(g)').length };
        }),
      );
      expect(figures.map((f) => f.id)).toEqual(['pareto-0', 'cycles-1', 'energy-1', 'phase-1', 'levels-1', 'util-1']);
      for (const f of figures) {
        expect(f.width, f.id).toBeGreaterThan(100);
        expect(f.height, f.id).toBeGreaterThan(100);
        expect(f.marks, f.id).toBeGreaterThan(0);
      }
      // 3 plotted points (+ the front's line), 3 phases' cycle bars on conv1 + pool1's forward bar.
      expect(figures[0].marks).toBe(4);
      expect(figures[1].marks).toBe(4);
      expect(await page.$$eval('figure#pareto-0 path[role="graphics-symbol"] > title', (ts) => ts.length)).toBe(4);
      expect(remote).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
