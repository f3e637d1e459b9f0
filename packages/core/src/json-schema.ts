import { z } from 'zod';

/** JSON Schema (draft 2020-12) of a plug-in's zod config schema, for editors and docs. */
export function jsonSchemaOf(schema: z.ZodType): Record<string, unknown> {
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
}
