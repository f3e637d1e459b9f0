import { afterEach, describe, expect, it, vi } from 'vitest';
import { startEvalProgress } from '../src/commands/eval-progress.js';

function fakeStream(isTTY: boolean) {
  const writes: string[] = [];
  return { writes, stream: { isTTY, write: (s: string) => writes.push(s) } as unknown as NodeJS.WriteStream };
}

afterEach(() => vi.restoreAllMocks());

describe('the eval progress line', () => {
  it('says nothing for the first second, then ops done, time and time left; cleared at the end', () => {
    let now = 0;
    vi.spyOn(performance, 'now').mockImplementation(() => now);
    const { writes, stream } = fakeStream(true);
    const p = startEvalProgress(true, stream);
    now = 500;
    p.update(10, 100);
    expect(writes).toEqual([]);
    now = 2000;
    p.update(25, 100);
    // 25 ops in 2 s: 75 left at the same rate take 6 s.
    expect(writes).toEqual(['\r\x1b[2Keval: 25/100 ops mapped, 2 s, about 6 s left']);
    p.stop();
    expect(writes[1]).toBe('\r\x1b[2K');
  });

  it('never writes to a stream that is not a terminal, or with --quiet', () => {
    vi.spyOn(performance, 'now').mockImplementation(() => 5000);
    const pipe = fakeStream(false);
    startEvalProgress(true, pipe.stream).update(1, 2);
    const quiet = fakeStream(true);
    startEvalProgress(false, quiet.stream).update(1, 2);
    expect([...pipe.writes, ...quiet.writes]).toEqual([]);
  });
});
