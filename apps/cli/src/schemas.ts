import { designSpaceJsonSchema, jsonSchemaOf, type Registry } from '@trim-dse/core';
import { networkFileSchema } from '@trim-dse/workloads';

type Json = Record<string, unknown>;

/**
 * Objects closed to unknown fields, as `--arch` reads them (an unknown field is an error naming the closest known
 * one): editors then flag a misspelt field too.
 */
function closeObjects(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(closeObjects);
  if (node === null || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node as Json)) out[k] = k === 'default' || k === 'const' ? v : closeObjects(v);
  if (out.type === 'object' && out.properties !== undefined && out.additionalProperties === undefined) out.additionalProperties = false;
  return out;
}

/**
 * The JSON Schema of a template's architecture files: the template's spec schema (zod, as `--arch` parses it), with
 * the `template:` field a file starts with, and closed objects.
 */
export function architectureSchema(registry: Registry, template: string): Json {
  const plugin = registry.hardware.get(template);
  const spec = closeObjects(jsonSchemaOf(plugin.configSchema)) as Json;
  const properties = (spec.properties ?? {}) as Json;
  return {
    ...spec,
    title: `TRIM architecture, ${template} template`,
    description: `${plugin.description}. Read by trim eval --arch FILE; trim show arch <name> prints a built-in as an example.`,
    properties: { template: { const: template, description: 'The hardware template that reads this file.' }, ...properties },
    required: [...new Set(['template', ...((spec.required as string[] | undefined) ?? [])])],
  };
}

/** Every schema file under docs/: one per template, the design-space file's and the network file's. */
export function docSchemas(registry: Registry): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const h of registry.hardware.values()) out[`schemas/${h.name}.schema.json`] = architectureSchema(registry, h.name);
  out['design-space.schema.json'] = designSpaceJsonSchema() as Json;
  out['network.schema.json'] = {
    ...(jsonSchemaOf(networkFileSchema) as Json),
    title: 'TRIM network file',
    description: 'A network as named inputs and layers (docs/network-format.md). Read by trim eval --workload FILE.yaml|.json.',
  };
  return out;
}
