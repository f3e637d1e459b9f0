import { corePlugin } from '../core-plugin.js';
import { NetworkBuilder } from '../ir/network.js';
import { tiledMapspace, type TiledSpec } from '../mapspace.js';
import { defineDataflow, definePlugin, defineWorkloadSource, type SearchPlugin } from '../plugin.js';
import { Registry } from '../registry.js';
import type { ExploreSpace } from './space.js';

/**
 * A small, fast exploration setup for tests of search strategies and of the explorer itself (plug-in authors use it
 * too): a three-layer CNN, a weight-stationary-like dataflow for any template, and a 4 × 4 × 4 × 3 space over the
 * generic template. `fixtureRegistryModule` is this module's URL, for worker threads (`createRegistry` below).
 */
export const fixtureRegistryModule: string = import.meta.url;

const fixtureSpec: TiledSpec = {
  spatialX: ['K'],
  spatialY: ['C'],
  peOrder: ['P', 'Q', 'R', 'S'],
  outerOrders: [['K', 'C', 'N', 'P', 'Q', 'R', 'S']],
  peDims: ['P', 'Q'],
  maxCandidates: 3,
};

export const fixtureDataflow = defineDataflow({
  name: 'fixture-ws',
  description: 'Test dataflow: K × C across the array, output pixels inside the PE',
  templates: '*',
  mapspace: (op, hw, emit) => tiledMapspace(op, hw, fixtureSpec, emit),
});

export const fixtureWorkloads = defineWorkloadSource({
  name: 'fixture-workloads',
  description: 'Tiny CNNs for tests',
  builtins: ['tiny-cnn'],
  load(_ref, { batch, precision }) {
    const b = new NetworkBuilder('tiny-cnn', precision);
    let x = b.input('image', [batch, 4, 8, 8]);
    x = b.conv('conv1', x, { outChannels: 16, kernel: 3, padding: 1 });
    x = b.relu('relu1', x);
    x = b.pool('pool1', x, { mode: 'max', kernel: 2, stride: 2 });
    x = b.conv('conv2', x, { outChannels: 32, kernel: 1 });
    x = b.flatten('flat', x);
    b.linear('fc', x, 10);
    return b.build();
  },
});

export const exploreFixturePlugin = definePlugin({
  name: '@trim-dse/core/explore-fixture',
  dataflows: [fixtureDataflow],
  workloadSources: [fixtureWorkloads],
});

/** A registry with core, the fixture plug-in and the given search plug-ins. */
export function createRegistry(options?: { searches?: readonly SearchPlugin<unknown>[] } | null): Registry {
  const r = new Registry().use(corePlugin).use(exploreFixturePlugin);
  if (options?.searches?.length) r.use(definePlugin({ name: '@trim-dse/core/explore-fixture-searches', searches: options.searches }));
  return r;
}

/** 4 × 4 × 4 × 3 = 192 generic-template points; a global buffer of 0 words does not build (48 infeasible points). */
export function fixtureSpace(): ExploreSpace {
  return {
    name: 'fixture-space',
    description: 'test space over generic-16x16',
    template: 'generic',
    base: 'generic-16x16',
    parameters: [
      { path: 'levels.glb.fanout.x', values: [2, 4, 8, 16] },
      { path: 'levels.glb.fanout.y', values: [2, 4, 8, 16] },
      { path: 'levels.glb.capacityWords', values: [0, 1024, 8192, 65536] },
      { path: 'levels.dram.bandwidthWordsPerCycle', values: [4, 16, 64] },
    ],
  };
}
