// Scaffolds a workspace package with the house layout (source-first exports, dist for publishing).
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const [dir, description, kind = 'plugin'] = process.argv.slice(2);
const folder = dir.split('/').pop();
const name = `@trim-dse/${folder}`;
const root = join(process.cwd(), dir);
mkdirSync(join(root, 'src'), { recursive: true });
mkdirSync(join(root, 'test'), { recursive: true });
const pkg = {
  name,
  version: '0.1.0',
  description,
  type: 'module',
  license: 'MIT',
  exports: {
    '.': { '@trim-dse/source': './src/index.ts', types: './dist/index.d.ts', default: './dist/index.js' },
    './package.json': './package.json',
  },
  files: ['dist'],
  sideEffects: false,
  scripts: { build: 'tsc -p tsconfig.build.json', typecheck: 'tsc -p tsconfig.json --noEmit' },
  ...(kind === 'plugin'
    ? { peerDependencies: { '@trim-dse/core': 'workspace:^' }, devDependencies: { '@trim-dse/core': 'workspace:^' } }
    : {}),
  publishConfig: { access: 'public' },
};
if (!existsSync(join(root, 'package.json'))) writeFileSync(join(root, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
writeFileSync(join(root, 'tsconfig.json'), `${JSON.stringify({ extends: '../../tsconfig.base.json', compilerOptions: { noEmit: true }, include: ['src', 'test'] }, null, 2)}\n`);
writeFileSync(join(root, 'tsconfig.build.json'), `${JSON.stringify({ extends: '../../tsconfig.base.json', compilerOptions: { rootDir: 'src', outDir: 'dist', customConditions: [] }, include: ['src'] }, null, 2)}\n`);
