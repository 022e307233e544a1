import { OpenAPIHono } from "@hono/zod-openapi";
import type { Env } from "hono";
import { AppError } from "@harvest/core/errors/error-codes";
import { errorBodySchema } from "@harvest/core/protocol/api-schemas";

/**
 * A router whose request validation failures become the one error shape (400 VALIDATION_FAILED with
 * the zod issues as details). Every route file starts from it.
 */
export function createRouter<E extends Env = Env>() {
  return new OpenAPIHono<E>({
    defaultHook: (result) => {
      if (!result.success) {
        const details = result.error.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message }));
        throw new AppError("VALIDATION_FAILED", "The request is not valid.", { details });
      }
    },
  });
}

/** The OpenAPI description of an error response. */
export function errorResponse(description: string) {
  return { description, content: { "application/json": { schema: errorBodySchema } } };
}

/** The error responses every route may give. */
export const commonErrors = {
  400: errorResponse("The request is not valid (VALIDATION_FAILED)"),
  413: errorResponse("The request body is too large (PAYLOAD_TOO_LARGE)"),
  429: errorResponse("Too many requests (RATE_LIMITED); see Retry-After"),
  503: errorResponse("A dependency is down (DEPENDENCY_UNAVAILABLE, INDEXER_NOT_READY)"),
};
