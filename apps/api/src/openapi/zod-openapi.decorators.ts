import { applyDecorators, Body, type PipeTransform } from '@nestjs/common';
import { ApiParam, ApiResponse } from '@nestjs/swagger';
import type { z } from 'zod';
import type { FieldProblem } from '../common/validation-error.js';
import { ZodBodyPipe } from '../common/zod-body.pipe.js';
import { ERROR_DESCRIPTIONS, errorResponse, type DocumentedErrorStatus } from './error-response.js';

/*
 * The OpenAPI spec is derived from the same zod schemas that validate requests (zod's Standard
 * JSON Schema, which @nestjs/swagger converts; a schema with `.meta({ id })` becomes a named
 * component), so documentation and validation cannot drift apart. Documenting a route is one
 * decorator per body, response or error list.
 */

export interface ZodBodyOptions {
  /** How validation issues become field problems (batch routes add each item's index). */
  describe?: (issues: readonly z.core.$ZodIssue[]) => FieldProblem[];
  /**
   * The shape shown in the spec when it differs from the validating schema's input side (a
   * schema that checks an envelope first and its items in a second stage).
   */
  documentedAs?: z.ZodType;
}

/** A body validated by `schema` (400 naming each bad field) and documented from it. */
export function ZodBody(schema: z.ZodType, options: ZodBodyOptions = {}): ParameterDecorator {
  const pipe: PipeTransform = new ZodBodyPipe(schema, options.describe);
  return Body({ schema: options.documentedAs ?? schema, pipes: [pipe] });
}

/** A response documented from a zod schema (its output side: what the API sends). */
export function ApiZodResponse(status: number, schema: z.ZodType, description: string): MethodDecorator {
  return ApiResponse({ status, description, standardSchema: schema });
}

/** Error responses in the shared `{statusCode, error, message}` shape; `overrides` words one for this route. */
export function ApiErrorResponses(
  statuses: readonly DocumentedErrorStatus[],
  overrides: Partial<Record<DocumentedErrorStatus, string>> = {},
): MethodDecorator {
  return applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({ status, description: overrides[status] ?? ERROR_DESCRIPTIONS[status], standardSchema: errorResponse }),
    ),
  );
}

/** Every route taking a JSON body can answer these before it runs: bad JSON, too big, not JSON. */
export const BODY_ERRORS = [400, 413, 415] as const satisfies readonly DocumentedErrorStatus[];

/** A `:name` path parameter that must be a UUID (400 otherwise), documented as such. */
export function ApiUuidParam(name: string, description: string): MethodDecorator {
  return ApiParam({ name, description, schema: { type: 'string', format: 'uuid' } });
}
