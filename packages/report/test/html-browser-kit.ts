import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { expect } from 'vitest';
import type { Browser, Page } from 'playwright-core';

// The browser is part of the test set-up (CI installs it): a missing browser fails these tests, it never skips.
const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** A laptop window: the report must fit it without horizontal scrolling. */
export const VIEWPORT = { width: 1280, height: 900 } as const;

export async function launchChromium(): Promise<Browser> {
  expect(existsSync(CHROMIUM), `${CHROMIUM} is not installed: apt-get install -y chromium`).toBe(true);
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS });
}

/** Opens a report file; `remote` collects every request that is not for the file itself (there must be none). */
export async function openReport(browser: Browser, path: string): Promise<{ page: Page; remote: string[] }> {
  const page = await browser.newPage({ viewport: VIEWPORT });
  const remote: string[] = [];
  page.on('request', (req) => {
    if (!req.url().startsWith('file:')) remote.push(req.url());
  });
  await page.goto(pathToFileURL(path).href);
  return { page, remote };
}

export interface Box {
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
}

export interface FigureLayout {
  readonly id: string;
  /** The figure element (the plot's frame in the page). */
  readonly figure: Box;
  /** The plot's SVG as laid out in the page. */
  readonly plot: Box;
  /** The SVG's own width (vega's layout), px: the plot is shown at its size when it equals the laid-out width. */
  readonly naturalWidth: number;
  /** Every vega legend of the plot. */
  readonly legends: Box[];
  /** Hover texts of the plot's marks (one per bar or point), with each mark's laid-out size. */
  readonly marks: { readonly label: string; readonly width: number; readonly height: number }[];
  /** The texts of the y axis' labels. */
  readonly yLabels: string[];
}

/** Where every figure, legend and mark of the page landed (page coordinates, CSS px: the page is not scrolled). */
export async function figureLayouts(page: Page): Promise<FigureLayout[]> {
  return page.$$eval('figure', (figures) => {
    const box = (e: (typeof figures)[number]) => {
      const r = e.getBoundingClientRect();
      return { left: r.left, right: r.right, top: r.top, bottom: r.bottom };
    };
    return figures.map((f) => {
      const svg = f.querySelector('svg');
      if (!svg) throw new Error(`figure ${f.id} has no svg`);
      return {
        id: f.id,
        figure: box(f),
        plot: box(svg),
        naturalWidth: Number(svg.getAttribute('width')),
        legends: [...f.querySelectorAll('g.role-legend')].map(box),
        marks: [...f.querySelectorAll('[role="graphics-symbol"]:not(g)')].map((m) => {
          const r = m.getBoundingClientRect();
          return { label: m.getAttribute('aria-label') ?? '', width: r.width, height: r.height };
        }),
        // Vega's y axis labels: the group whose axis is labelled "Y-axis …".
        yLabels: [...f.querySelectorAll('g[aria-label^="Y-axis"] g.role-axis-label text')].map((t) => t.textContent ?? ''),
      };
    });
  });
}

const EPS_PX = 0.5;
export const inside = (inner: Box, outer: Box): boolean =>
  inner.left >= outer.left - EPS_PX && inner.right <= outer.right + EPS_PX && inner.top >= outer.top - EPS_PX && inner.bottom <= outer.bottom + EPS_PX;

/**
 * Every plot fits the window's width at its own size (not shrunk by the page's CSS, so its text keeps its size), and
 * every legend lies inside its figure and the window.
 */
export function expectFitsAndLegendsShow(figures: readonly FigureLayout[]): void {
  const window = { left: 0, right: VIEWPORT.width, top: -Infinity, bottom: Infinity };
  for (const f of figures) {
    expect(inside(f.plot, window), `${f.id} at ${JSON.stringify(f.plot)} is outside the ${VIEWPORT.width} px window`).toBe(true);
    expect(f.plot.right - f.plot.left, `${f.id} is scaled down from its width`).toBeCloseTo(f.naturalWidth, 0);
    expect(f.naturalWidth, f.id).toBeGreaterThan(300);
    expect(f.legends.length, `${f.id} has no legend`).toBeGreaterThan(0);
    for (const l of f.legends) {
      expect(inside(l, f.figure), `${f.id}: legend ${JSON.stringify(l)} outside its figure ${JSON.stringify(f.figure)}`).toBe(true);
      expect(inside(l, window), `${f.id}: legend ${JSON.stringify(l)} outside the window`).toBe(true);
    }
  }
}

/** The ops that have a bar of non-zero height in a per-layer plot (hover texts start with the op's name). */
export function opsWithBars(f: FigureLayout): Set<string> {
  return new Set(f.marks.filter((m) => m.height > 0).map((m) => m.label.split(' ')[0]));
}
