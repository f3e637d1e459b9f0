import { describe, expect, it } from 'vitest';
import { resolvePluginModule, TrimUserError } from '../src/index.js';

// Found by `pnpm fuzz plan` (issue 16): `plugins: [J:/]` reached the ESM resolver, whose TypeError ("Cannot read
// properties of undefined") became the message.
describe('a plug-in spec is a package name or a path', () => {
  it.each(['J:/', 'https://example.com/p.mjs', 'node:fs', 'data:text/javascript,export default 1'])('%s is refused in one line naming it', (spec) => {
    expect(() => resolvePluginModule(spec, '/tmp')).toThrow(TrimUserError);
    expect(() => resolvePluginModule(spec, '/tmp')).toThrow(`plug-in ${JSON.stringify(spec)}: not a package name or a path`);
  });
});
