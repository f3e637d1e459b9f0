import { Document, isMap, isScalar, isSeq, type Pair, type YAMLMap } from 'yaml';

/** The part of a JSON Schema (draft 2020-12, as zod writes it) the commenter reads. */
export interface JsonSchemaNode {
  readonly description?: string;
  readonly default?: unknown;
  readonly properties?: Readonly<Record<string, JsonSchemaNode>>;
  readonly required?: readonly string[];
  readonly items?: JsonSchemaNode;
  readonly anyOf?: readonly JsonSchemaNode[];
  readonly oneOf?: readonly JsonSchemaNode[];
  readonly allOf?: readonly JsonSchemaNode[];
}

/** The schema nodes that describe an object's fields at this place (every option of a union that has fields). */
function objectNodes(node: JsonSchemaNode | undefined): JsonSchemaNode[] {
  if (!node) return [];
  const options = [...(node.anyOf ?? []), ...(node.oneOf ?? []), ...(node.allOf ?? [])];
  return [...(node.properties ? [node] : []), ...options.flatMap(objectNodes)];
}

function fieldOf(node: JsonSchemaNode | undefined, key: string): JsonSchemaNode | undefined {
  for (const o of objectNodes(node)) if (o.properties && Object.hasOwn(o.properties, key)) return o.properties[key];
  return undefined;
}

function itemsOf(node: JsonSchemaNode | undefined): JsonSchemaNode | undefined {
  if (!node) return undefined;
  if (node.items) return node.items;
  for (const o of [...(node.anyOf ?? []), ...(node.oneOf ?? [])]) if (o.items) return o.items;
  return undefined;
}

/** Comment lines: YAML comments are one line each, so the description is wrapped at about 100 columns. */
function wrap(text: string, width = 100): string {
  const lines: string[] = [];
  let cur = '';
  for (const word of text.split(/\s+/)) {
    if (cur && cur.length + word.length + 1 > width) {
      lines.push(cur);
      cur = word;
    } else cur = cur ? `${cur} ${word}` : word;
  }
  if (cur) lines.push(cur);
  return lines.map((l) => ` ${l}`).join('\n');
}

/** Fields the schema has here that the spec leaves out, listed (commented out) under the map with their defaults. */
function omitted(map: YAMLMap, node: JsonSchemaNode | undefined): string | undefined {
  const present = new Set(map.items.map((p) => (isScalar(p.key) ? String(p.key.value) : '')));
  const lines: string[] = [];
  for (const o of objectNodes(node)) {
    for (const [k, f] of Object.entries(o.properties ?? {})) {
      if (present.has(k) || lines.some((l) => l.startsWith(` ${k}:`))) continue;
      const value = f.default !== undefined ? JSON.stringify(f.default) : '(optional)';
      lines.push(` ${k}: ${value}${f.description ? `  # ${f.description}` : ''}`);
    }
  }
  return lines.length > 0 ? [' not set here (defaults shown):', ...lines].join('\n') : undefined;
}

/** Puts each field's description above it, and the fields left out (with defaults) under each map. */
function annotate(map: YAMLMap, node: JsonSchemaNode | undefined, commentItems: boolean): void {
  map.items.forEach((pair: Pair) => {
    if (!isScalar(pair.key)) return;
    const key = String(pair.key.value);
    const field = fieldOf(node, key);
    if (commentItems && field?.description) pair.key.commentBefore = wrap(field.description);
    if (isMap(pair.value)) annotate(pair.value, field, commentItems);
    else if (isSeq(pair.value)) {
      // Elements of a list share one schema: the first element carries the comments.
      pair.value.items.forEach((item, i) => {
        if (isMap(item)) annotate(item, itemsOf(field), commentItems && i === 0);
      });
    }
  });
  const rest = commentItems ? omitted(map, node) : undefined;
  if (rest) map.comment = rest;
}

export interface ArchitectureYamlOptions {
  /** The architecture's name (a built-in's registry name). */
  readonly name: string;
  readonly template: string;
  /** The raw spec, as the template's schema reads it (not yet parsed: defaults stay out). */
  readonly spec: Readonly<Record<string, unknown>>;
  /** The template's JSON Schema (field descriptions and defaults). */
  readonly schema?: JsonSchemaNode;
  /** What goes after `$schema=` in the yaml-language-server modeline (a path or URL of the schema file). */
  readonly schemaRef?: string;
  /** Comment lines at the top (how the file was made, how to read it back). */
  readonly header?: readonly string[];
}

/**
 * An architecture as a commented YAML file that `--arch` reads back to the same spec: `template:` and `name:` first,
 * then the spec's fields in its own order, each under its description from the template's schema, and the fields it
 * leaves out listed with their defaults (as comments, so reading the file back gives the same spec).
 */
export function architectureYaml(o: ArchitectureYamlOptions): string {
  const { name: _name, ...rest } = o.spec;
  const doc = new Document({ template: o.template, name: o.name, ...rest });
  const root = doc.contents;
  if (isMap(root)) {
    annotate(root, o.schema, true);
    const t = root.items[0];
    if (isScalar(t?.key)) t.key.commentBefore = wrap(`Hardware template that reads this file (trim list shows the templates).`);
  }
  const top = [...(o.schemaRef ? [` yaml-language-server: $schema=${o.schemaRef}`] : []), ...(o.header ?? []).map((h) => ` ${h}`)];
  doc.commentBefore = top.join('\n');
  return doc.toString({ lineWidth: 0 });
}
