import { TrimUserError } from './errors.js';
import type { FixedMapping } from './plugin.js';
import type { Registry } from './registry.js';
import { defineDataflow, type DataflowPlugin } from './plugin.js';
import { readYamlFile } from './resolve.js';

/** The registered reader that claims a mapping file by its content. */
export function readMappingFile(registry: Registry, path: string): FixedMapping {
  const data = readYamlFile(path);
  const reader = registry.mappingReaders.values().find((r) => r.accepts(data, path));
  if (!reader) {
    const known = registry.mappingReaders.values().map((r) => `${r.name} (${r.description})`).join('; ') || 'none registered';
    throw new TrimUserError(`--mapping ${path}: no mapping reader recognises this file (readers: ${known})`, { field: '--mapping' });
  }
  return reader.read(data, path);
}

/**
 * A dataflow that proposes exactly the file's mapping for each op: the template prices it as given (its legality
 * rules included). An op the file has no mapping for proposes nothing, so the evaluator reports it unmappable.
 */
export function fixedMappingDataflow(fixed: FixedMapping, path: string): DataflowPlugin<unknown> {
  return defineDataflow<unknown>({
    name: `mapping ${path}`,
    description: `the fixed mapping of ${path}`,
    templates: '*',
    mapspace(op, hw, emit) {
      const m = fixed.mappingFor(op, hw);
      if (m) emit(m);
    },
  });
}
