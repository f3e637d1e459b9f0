import type { z } from 'zod';
import { TrimUserError } from './errors.js';

/** One line naming the file, the first failing field (as a path) and what was expected. */
export function zodUserError(err: z.ZodError, where: string): TrimUserError {
  const issue = err.issues[0];
  const path = issue.path.length ? issue.path.map(String).join('.') : '(root)';
  const more = err.issues.length > 1 ? ` (and ${err.issues.length - 1} more problem${err.issues.length > 2 ? 's' : ''})` : '';
  const what = plainMessage(issue.message);
  return new TrimUserError(`${where}: field ${path}: ${what}${more}`, { field: path, fix: what });
}

/** zod's wording made plain: a missing field says so, and a non-finite number is not echoed as "Infinity". */
function plainMessage(message: string): string {
  const m = message.replace(/^Invalid input: /, '');
  const missing = /^expected (.+), received undefined$/.exec(m);
  if (missing) return `missing (expected ${missing[1]})`;
  return m.replace(/received (Infinity|-Infinity|NaN)$/, 'received a non-finite number').replace(/^expected (.+), received (\w+)$/, 'expected $1, got $2');
}

/** Parses with a zod schema, turning failure into a user error that names the field. */
export function parseWith<T>(schema: z.ZodType<T>, value: unknown, where: string): T {
  const r = schema.safeParse(value);
  if (!r.success) throw zodUserError(r.error, where);
  return r.data;
}
