import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { TrimUserError } from '@trim-dse/core';
import { architectureYaml, type JsonSchemaNode } from '@trim-dse/report';
import { architectureSchema } from '../schemas.js';
import { registryFor } from './shared.js';

/** The checkout's docs/schemas/<template>.schema.json, when this CLI runs from a checkout that has it. */
function schemaFileOf(template: string): string | undefined {
  const path = fileURLToPath(new URL(`../../../../docs/schemas/${template}.schema.json`, import.meta.url));
  return existsSync(path) ? path : undefined;
}

/** `trim show arch <name>`: a built-in architecture as commented YAML that `--arch` reads back to the same spec. */
export async function showArch(name: string, globals: Record<string, unknown>): Promise<void> {
  const registry = await registryFor(globals);
  const entry = registry.architectures.get(name);
  const spec = entry.spec;
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) {
    throw new TrimUserError(`architecture "${name}": its spec is not a mapping of fields, so it has no YAML form`, { field: name });
  }
  const schemaFile = schemaFileOf(entry.template);
  process.stdout.write(
    architectureYaml({
      name,
      template: entry.template,
      spec: spec as Record<string, unknown>,
      schema: architectureSchema(registry, entry.template) as JsonSchemaNode,
      schemaRef: schemaFile ?? `${entry.template}.schema.json`,
      header: [
        `${name}: a built-in architecture of the ${entry.template} template, as \`trim show arch ${name}\` prints it.`,
        `Edit it and evaluate it with \`trim eval --arch <this file> --workload …\` (unchanged, it gives what --arch ${name} gives).`,
        ...(schemaFile ? [] : [`Editors complete fields from the schema: write it beside this file with \`trim show schema ${entry.template} > ${entry.template}.schema.json\`.`]),
      ],
    }),
  );
}

/** `trim show schema <template>`: the JSON Schema of the template's architecture files. */
export async function showSchema(template: string, globals: Record<string, unknown>): Promise<void> {
  const registry = await registryFor(globals);
  process.stdout.write(`${JSON.stringify(architectureSchema(registry, template), null, 2)}\n`);
}
