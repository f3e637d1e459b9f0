import {
  applySets,
  Evaluator,
  isTrimUserError,
  parseWith,
  type DesignSpaceSpec,
  type Goal,
  type HardwareModel,
  type Op,
  type OpResult,
  type Registry,
  TrimUserError,
} from '@trim-dse/core';

export interface SweepPoint {
  readonly sets: readonly string[];
  readonly hw: HardwareModel;
  readonly results: readonly OpResult[];
  readonly cycles: number;
  readonly macs: number;
}

export interface SweepResult {
  readonly best: SweepPoint;
  readonly feasible: number;
  readonly infeasible: number;
}

/** Every `--set` combination of a space's parameters, in grid order (first parameter outermost). */
export function spacePoints(space: DesignSpaceSpec): string[][] {
  let points: string[][] = [[]];
  for (const [path, values] of Object.entries(space.parameters)) {
    const next: string[][] = [];
    for (const p of points) for (const v of values) next.push([...p, `${path}=${String(v)}`]);
    points = next;
  }
  return points;
}

/**
 * Sweeps a design space as the explorer does: each point is the base spec with the user's and the point's `--set`s,
 * parsed by the template's schema and built (a TrimUserError = infeasible), then every op mapped with the registry's
 * dataflows for the template. Returns the best point by total cycles (latency).
 */
export function sweepSpace(registry: Registry, spaceName: string, userSets: readonly string[], ops: readonly Op[], goal: Goal = 'latency'): SweepResult {
  const space = registry.spaces.get(spaceName);
  const template = registry.hardware.get(space.template);
  const base = typeof space.base === 'string' ? registry.architectures.get(space.base).spec : space.base;
  const named = space.dataflows;
  const dataflows = registry.dataflowsFor(space.template).filter((d) => !named || named.includes(d.name)).map((plugin) => ({
    plugin,
    config: plugin.configSchema ? parseWith(plugin.configSchema, {}, `dataflow ${plugin.name}`) : {},
  }));
  let best: SweepPoint | undefined;
  let feasible = 0;
  let infeasible = 0;
  for (const pointSets of spacePoints(space)) {
    const sets = [...userSets, ...pointSets];
    let hw: HardwareModel;
    let results: OpResult[];
    try {
      const spec = parseWith(template.configSchema, applySets(base, sets), `${spaceName} ${pointSets.join(' ')}`);
      hw = template.build(spec, `${spaceName}[${pointSets.join(',')}]`);
      const ev = new Evaluator(hw, dataflows, goal);
      results = ops.map((op) => ev.evaluateOp(op));
    } catch (e) {
      if (!isTrimUserError(e)) throw e;
      infeasible++;
      continue;
    }
    feasible++;
    let cycles = 0;
    let macs = 0;
    for (const r of results) {
      cycles += r.cycles;
      macs += r.macs;
    }
    if (!best || cycles < best.cycles) best = { sets, hw, results, cycles, macs };
  }
  if (!best) {
    throw new TrimUserError(`no point of space ${spaceName} fits its device with ${userSets.join(' ') || 'no --set'}`, { field: spaceName, fix: 'check precision and clockMHz, or use a larger device' });
  }
  return { best, feasible, infeasible };
}
