import { afterEach, describe, expect, it, vi } from 'vitest';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('examples/custom-explorer', () => {
  it('sweeps five array shapes for one layer and prints the fastest', async () => {
    const lines: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((s: unknown) => {
      lines.push(String(s));
    });
    await import('../custom-explorer.js');
    expect(lines).toHaveLength(6);
    expect(lines[0]).toMatch(/^8×8: \d+ cycles, utilisation [\d.]+ %, [\d.]+ µJ \(nvdla\)$/);
    // 128·128·9·28·28 MACs on 64 PEs at full utilisation.
    expect(lines[0]).toContain(`${(128 * 128 * 9 * 28 * 28) / 64} cycles`);
    const cycles = lines.slice(0, 5).map((l) => Number(/: (\d+) cycles/.exec(l)?.[1]));
    const fastest = Math.min(...cycles);
    expect(lines[5]).toBe(`best: ${lines[cycles.indexOf(fastest)].split(':')[0]} (${fastest} cycles)`);
  });
});
