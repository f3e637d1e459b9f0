// Writes the JSON Schemas under docs/ (one per hardware template, and the design-space file's) from the zod schemas
// the CLI parses with. Run: pnpm schemas. apps/cli/test/schemas.test.ts fails when a file is out of date.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRegistry } from '../src/builtins.js';
import { docSchemas } from '../src/schemas.js';

const docs = fileURLToPath(new URL('../../../docs/', import.meta.url));
for (const [name, schema] of Object.entries(docSchemas(await createRegistry({ config: undefined })))) {
  const path = join(docs, name);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(schema, null, 2)}\n`);
  console.log(`wrote docs/${name}`);
}
