import { describe, expect, it } from 'vitest';
import { labelWidthPx, dataflowScale, PLOT_WIDTH_PX } from '../src/html/chart-style.js';
import { layerCyclesChart, utilizationChart } from '../src/html/layer-charts.js';
import { paretoChart } from '../src/html/pareto-chart.js';
import { evalRows, exploreRows } from '../src/index.js';
import { evalDoc, header, records } from './fixtures.js';

describe('report chart layout', () => {
  it('reserves room for the longest label as vega measures it (0.8 em a character, kept when strictly below)', () => {
    expect(labelWidthPx(['conv1'])).toBe(45); // floor(5 × 0.8 × 11) + 1
    expect(labelWidthPx(['fwd', 'backward-weight'])).toBe(133); // floor(15 × 8.8) + 1
    expect(labelWidthPx(['x'.repeat(100)])).toBe(423); // capped at 48 characters: floor(48 × 8.8) + 1
  });

  it('colours MAC dataflows in turn and vector ops grey', () => {
    expect(dataflowScale(['rs', 'vector', 'is'])).toEqual({ domain: ['rs', 'vector', 'is'], range: ['#1b9e77', '#9d9d9d', '#d95f02'] });
  });

  it('lays a training run out as one row per layer and one column per phase within the page width', () => {
    const spec = layerCyclesChart('c', evalRows(evalDoc)).spec as unknown as { spacing: number; facet: { column: { sort: string[] } }; spec: { width: number } };
    expect(spec.facet.column.sort).toEqual(['forward', 'backward-data', 'backward-weight']);
    // labels (conv1, pool1: 45 px) + axis pad 16 + 3 columns + 2 gaps of 12 px fill the plot width.
    expect(spec.spec.width).toBe(Math.floor((PLOT_WIDTH_PX - 45 - 16 - 24) / 3));
    const util = utilizationChart('u', evalRows(evalDoc)).spec as unknown as { layer: { encoding: { y: { sort: string[] } } }[] };
    expect(util.layer[1].encoding.y.sort).toEqual(['conv1', 'conv1:bwd-data', 'conv1:bwd-weight']);
  });

  it('zooms the second Pareto panel on the front, widened by the square root of its span on log axes', () => {
    // Front: point 0 (2 s, 1 µJ) and point 2 (1 s, 3 µJ). Seconds 1…2 widen by √2, energy 1…3 by √3.
    const spec = paretoChart('p', exploreRows(header, records)).spec as unknown as { hconcat: { layer: { encoding: { x: { scale: { type: string; domain?: number[] } }; y: { scale: { domain?: number[] } } } }[] }[] };
    expect(spec.hconcat).toHaveLength(2);
    const zoom = spec.hconcat[1].layer[1].encoding;
    expect(zoom.x.scale.type).toBe('log');
    expect(zoom.x.scale.domain?.[0]).toBeCloseTo(1 / Math.SQRT2, 12);
    expect(zoom.x.scale.domain?.[1]).toBeCloseTo(2 * Math.SQRT2, 12);
    expect(zoom.y.scale.domain?.[0]).toBeCloseTo(1 / Math.sqrt(3), 12);
    expect(zoom.y.scale.domain?.[1]).toBeCloseTo(3 * Math.sqrt(3), 12);
    expect(spec.hconcat[0].layer[1].encoding.x.scale.domain).toBeUndefined();
  });

  it('joins a two-objective front by its staircase, a front that also weighs area in time order', () => {
    type Line = { hconcat: { layer: { mark: { interpolate?: string } }[] }[] };
    const rows = exploreRows(header, records);
    expect((paretoChart('p', rows).spec as unknown as Line).hconcat[0].layer[0].mark.interpolate).toBe('step-after');
    // Point 1 (3 s, 2 µJ) on the front too, as area could put it there: energy no longer falls as time grows.
    const withArea = { ...rows, points: rows.points.map((p) => ({ ...p, status: 'Pareto front' as const })) };
    const chart = paretoChart('p', withArea);
    expect((chart.spec as unknown as Line).hconcat[0].layer[0].mark.interpolate).toBe('linear');
    expect(chart.note).toContain('joined in time order: it also weighs area');
  });
});
