/** `a` dominates `b`: no worse in every objective and better in one (lower is better). */
export function dominates(a: readonly number[], b: readonly number[]): boolean {
  let better = false;
  for (let i = 0; i < a.length; i++) {
    if (a[i] > b[i]) return false;
    if (a[i] < b[i]) better = true;
  }
  return better;
}

export interface ParetoEntry<T> {
  readonly objectives: readonly number[];
  readonly item: T;
}

/**
 * The non-dominated set of everything added so far. A vector equal to one already kept is not added (the first one
 * stays), so the set does not depend on how often a point is told.
 */
export class ParetoArchive<T> {
  private entries: ParetoEntry<T>[] = [];

  /** Adds a vector; returns true when it joined the front. Non-finite vectors (infeasible points) never do. */
  add(objectives: readonly number[], item: T): boolean {
    if (!objectives.every(Number.isFinite)) return false;
    for (const e of this.entries) {
      if (dominates(e.objectives, objectives) || sameVector(e.objectives, objectives)) return false;
    }
    this.entries = this.entries.filter((e) => !dominates(objectives, e.objectives));
    this.entries.push({ objectives: objectives.slice(), item });
    return true;
  }

  get size(): number {
    return this.entries.length;
  }

  /** The front, in insertion order. */
  front(): readonly ParetoEntry<T>[] {
    return this.entries;
  }

  /** The entry with the lowest first objective (ties: the earliest added). */
  best(): ParetoEntry<T> | undefined {
    let b: ParetoEntry<T> | undefined;
    for (const e of this.entries) if (!b || e.objectives[0] < b.objectives[0]) b = e;
    return b;
  }
}

function sameVector(a: readonly number[], b: readonly number[]): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
