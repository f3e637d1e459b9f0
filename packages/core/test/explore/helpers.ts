import { defineSearch, exploreFixture, prepareExplore, type ExploreRequest, type SearchPoint } from '../../src/index.js';

/** An oblivious test search: every point in index order (core must not import the search plug-ins). */
export const sequentialSearch = defineSearch({
  name: 'sequential',
  description: 'test: index order',
  oblivious: true,
  create(space) {
    const size = space.sizes.reduce((a, b) => a * b, 1);
    let next = 0;
    const point = (i: number): SearchPoint => {
      const out: number[] = [];
      for (let d = space.sizes.length - 1; d >= 0; d--) {
        out[d] = i % space.sizes[d];
        i = Math.floor(i / space.sizes[d]);
      }
      return out;
    };
    return {
      ask(count) {
        const out: SearchPoint[] = [];
        while (out.length < count && next < size) out.push(point(next++));
        return out;
      },
      tell() {},
    };
  },
});

export function fixtureRegistry() {
  return exploreFixture.createRegistry({ searches: [sequentialSearch] });
}

export function prepareFixture(overrides: Partial<ExploreRequest> = {}) {
  return prepareExplore(fixtureRegistry(), {
    space: exploreFixture.fixtureSpace(),
    workload: 'tiny-cnn',
    search: 'sequential',
    seed: 7,
    goal: 'edp',
    ...overrides,
  });
}
