import type { z } from 'zod';
import { TrimUserError } from './errors.js';

/** One line naming the file, the first failing field (as a path) and what was expected. */
export function zodUserError(err: z.ZodError, where: string): TrimUserError {
  const issue = err.issues[0];
  const path = issue.path.length ? issue.path.map(String).join('.') : '(root)';
  const more = err.issues.length > 1 ? ` (and ${err.issues.length - 1} more problem${err.issues.length > 2 ? 's' : ''})` : '';
  return new TrimUserError(`${where}: field ${path}: ${issue.message}${more}`, { field: path, fix: issue.message });
}

/** Parses with a zod schema, turning failure into a user error that names the field. */
export function parseWith<T>(schema: z.ZodType<T>, value: unknown, where: string): T {
  const r = schema.safeParse(value);
  if (!r.success) throw zodUserError(r.error, where);
  return r.data;
}
