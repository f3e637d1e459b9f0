// Runs the fixture exploration in a child process (for the kill-and-resume test):
//   run-fixture.ts <out.jsonl> <resume 0|1> <delayMs>
import { setTimeout as sleep } from 'node:timers/promises';
import { inlineBackend, runExplore, type PointBackend } from '../../src/index.js';
import { fixtureRegistry, prepareFixture } from './helpers.js';

const [out, resume, delay] = process.argv.slice(2);
const prepared = prepareFixture();
const inner = await inlineBackend(fixtureRegistry(), prepared.job);
const slow: PointBackend = {
  async run(index) {
    await sleep(Number(delay));
    return inner.run(index);
  },
  close: () => inner.close(),
};
let evaluated = 0;
const counting: PointBackend = { run: (i) => {
    evaluated++;
    return slow.run(i);
  }, close: () => slow.close() };
const res = await runExplore({ prepared, backend: counting, out, resume: resume === '1', batchSize: 4 });
process.stdout.write(JSON.stringify({ resumed: res.resumed, evaluated }));
