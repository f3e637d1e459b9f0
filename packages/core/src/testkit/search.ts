import { createPointContext, evaluatePoint, exploreFixture, inlineBackend, prepareExplore, resultsFileText, runExplore, type PreparedExplore } from '../explore/index.js';
import { TrimInternalError } from '../errors.js';
import type { Plugin } from '../plugin.js';

function fixture(plugin: Plugin, search: string) {
  const registry = () => exploreFixture.createRegistry({ searches: plugin.searches });
  const prepare = (seed: number, budget?: number): PreparedExplore =>
    prepareExplore(registry(), { space: exploreFixture.fixtureSpace(), workload: 'tiny-cnn', goal: 'edp', search, seed, ...(budget ? { budget } : {}) });
  const run = async (p: PreparedExplore) => runExplore({ prepared: p, backend: await inlineBackend(registry(), p.job) });
  return { registry, prepare, run };
}

function check(ok: boolean, search: string, why: string): void {
  if (!ok) throw new TrimInternalError(`search ${search}: ${why}`);
}

/**
 * Conformance of a search plug-in on the explorer's fixture space (192 points, a tiny CNN): registered under its
 * name, deterministic for a seed (byte-identical results), `budget` distinct points.
 */
export async function checkSearch(plugin: Plugin, search: string, o: { seed?: number; budget?: number } = {}): Promise<void> {
  const { registry, prepare, run } = fixture(plugin, search);
  check(registry().searches.has(search), search, 'is not registered by the plug-in');
  const seed = o.seed ?? 3;
  const budget = o.budget ?? 24;
  const a = await run(prepare(seed, budget));
  const b = await run(prepare(seed, budget));
  const header = prepare(seed, budget).header;
  check(resultsFileText(header, a.records) === resultsFileText(header, b.records), search, 'two runs with one seed differ');
  check(a.records.length === budget, search, `evaluated ${a.records.length} points for a budget of ${budget}`);
  check(new Set(a.records.map((r) => r.index)).size === budget, search, 'proposed a point twice');
}

/** The search's best score with its default budget, and the exhaustive optimum of the fixture space (for quality tests). */
export async function searchVsOptimum(plugin: Plugin, search: string, seed: number): Promise<{ found: number; optimum: number; budget: number; size: number; evaluated: number }> {
  const { registry, prepare, run } = fixture(plugin, search);
  const p = prepare(seed);
  const ctx = await createPointContext(registry(), p.job);
  let optimum = Infinity;
  for (let i = 0; i < p.grid.size; i++) {
    const r = await evaluatePoint(ctx, i);
    if (r.status === 'ok' && r.score! < optimum) optimum = r.score!;
  }
  const res = await run(p);
  return { found: res.summary.best?.score ?? Infinity, optimum, budget: p.budget, size: p.grid.size, evaluated: res.records.length };
}
