// A worker thread for memo-table.test.ts: registers tsx (worker threads do not inherit the test's loader), then
// writes `count` keys of its own and `count` keys every worker writes into the table it is given, and reads back
// what the other workers wrote.
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { SharedMemo } = await import('../src/memo-table.ts');
const { buffer, id, count } = workerData;
const memo = new SharedMemo(buffer);
for (let i = 0; i < count; i++) {
  memo.set(`own|${id}|${i}`, id * 1e6 + i);
  memo.set(`common|${i}`, i * 0.5);
}
parentPort.postMessage('written');
