import { createHash } from 'node:crypto';

/**
 * A table of numbers by string key that every worker thread of one explore run shares (a SharedArrayBuffer), so a
 * result one worker computed (a template's costly replay, say) is a hit in the others: without it each worker warms
 * its own cache and two workers re-do what one would have found. Plug-ins use it for values that are a pure
 * function of their key (the same in every thread), so sharing changes no result, only who computes it.
 *
 * Layout: `slots` entries (a power of two) of state (Int32: 0 empty, 1 being written, 2 ready), a 64-bit hash of the
 * key (two Int32 words) and the value (Float64). Open addressing, linear probing over at most `MAX_PROBES` slots;
 * a full neighbourhood simply stores nothing (the caller computes). Writers claim a slot with a compare-and-swap and
 * publish it with an atomic store, so a reader never sees a half-written entry. Keys are told apart by 64 bits of
 * their SHA-256: two keys of one run colliding is ~2⁻⁶⁴ per pair. For values looked up once per op and point, not
 * per mapping: a lookup hashes its key.
 */

const MAX_PROBES = 32;
/** Slots of the table a run shares: 2¹⁶ entries, 1.25 MiB (20 bytes each). */
export const SHARED_MEMO_SLOTS = 1 << 16;
const BYTES_PER_SLOT = 4 + 8 + 8;

export class SharedMemo {
  private readonly state: Int32Array;
  private readonly hash: Int32Array;
  private readonly value: Float64Array;
  private readonly mask: number;

  constructor(readonly buffer: SharedArrayBuffer | ArrayBuffer) {
    const slots = buffer.byteLength / BYTES_PER_SLOT;
    if (!Number.isInteger(slots) || slots < 1 || (slots & (slots - 1)) !== 0) throw new RangeError(`shared memo: ${buffer.byteLength} bytes is not a power-of-two number of slots`);
    this.value = new Float64Array(buffer, 0, slots);
    this.hash = new Int32Array(buffer, slots * 8, slots * 2);
    this.state = new Int32Array(buffer, slots * 16, slots);
    this.mask = slots - 1;
  }

  /** The value stored under `key` (by any thread sharing the buffer), or undefined. */
  get(key: string): number | undefined {
    const [h1, h2] = keyHash(key);
    for (let p = 0, i = h1 & this.mask; p < MAX_PROBES; p++, i = (i + 1) & this.mask) {
      const s = Atomics.load(this.state, i);
      if (s === 0) return undefined;
      if (s === 2 && this.hash[2 * i] === h1 && this.hash[2 * i + 1] === h2) return this.value[i];
    }
    return undefined;
  }

  /** Stores `value` under `key` unless the key is there already or its neighbourhood is full. */
  set(key: string, value: number): void {
    const [h1, h2] = keyHash(key);
    for (let p = 0, i = h1 & this.mask; p < MAX_PROBES; p++, i = (i + 1) & this.mask) {
      const s = Atomics.compareExchange(this.state, i, 0, 1);
      if (s === 0) {
        this.hash[2 * i] = h1;
        this.hash[2 * i + 1] = h2;
        this.value[i] = value;
        Atomics.store(this.state, i, 2);
        return;
      }
      if (s === 2 && this.hash[2 * i] === h1 && this.hash[2 * i + 1] === h2) return;
    }
  }
}

/** A buffer for a table shared by worker threads (`SharedMemo`), of `slots` entries (a power of two). */
export function sharedMemoBuffer(slots = SHARED_MEMO_SLOTS): SharedArrayBuffer {
  return new SharedArrayBuffer(slots * BYTES_PER_SLOT);
}

let current: SharedMemo | undefined;

/**
 * This thread's shared table: the one an explore worker pool installed (`useSharedMemo`), else a table of this
 * thread alone (made on first use), so plug-in code calls it the same way inline and in workers.
 */
export function sharedMemo(): SharedMemo {
  current ??= new SharedMemo(sharedMemoBuffer());
  return current;
}

/** Makes `buffer` this thread's shared table (a worker does it with the buffer its pool hands every task). */
export function useSharedMemo(buffer: SharedArrayBuffer): void {
  if (current?.buffer !== buffer) current = new SharedMemo(buffer);
}

/** The first 64 bits of the key's SHA-256, as two Int32 words (node:crypto: a maintained hash, ~1 µs a key). */
function keyHash(key: string): [number, number] {
  const d = createHash('sha256').update(key).digest();
  return [d.readInt32LE(0), d.readInt32LE(4)];
}
