import type { z } from 'zod';
import { describeValidationError } from '../../protocol/schemas.js';
import { badRequest } from '../domain/errors.js';

/** Validates client input at the boundary; a failure is a 400 naming every broken rule. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw badRequest(describeValidationError(result.error));
  return result.data;
}
