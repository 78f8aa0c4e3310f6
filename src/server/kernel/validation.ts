import type { z } from 'zod';
import { describeValidationError } from '../../protocol/schemas.js';
import { badRequest } from './errors.js';

/**
 * Validates client input at the boundary (the socket events; HTTP input is validated by the type
 * provider from the route table); a failure is a bad_request naming every broken rule.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw badRequest(describeValidationError(result.error.issues));
  return result.data;
}
