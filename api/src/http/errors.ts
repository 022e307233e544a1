import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { AppError, errorCodes, type ErrorBody } from "@harvest/core/errors/error-codes";
import type { Logger } from "@harvest/core/logging/logger";
import { IndexerNotReadyError } from "@harvest/db/ownership/ownership-reader";

/**
 * Turns any thrown error into the one error body. Expected errors keep their code; anything else
 * is a 500 that logs its stack with the request id and tells the client nothing more.
 */
export function createErrorHandler(logger: Logger) {
  return function onError(error: Error, c: Context) {
    const requestId = c.get("requestId") as string | undefined;
    const appError =
      error instanceof AppError
        ? error
        : error instanceof IndexerNotReadyError
          ? new AppError("INDEXER_NOT_READY", "The chain indexer is not ready yet; try again shortly.", { cause: error })
          : error instanceof HTTPException && error.status < 500
            ? fromHttpException(error)
            : null;
    if (!appError) {
      logger.error({ requestId, err: error }, "unhandled error");
      return c.json(body("INTERNAL", "Something went wrong on our side.", requestId), 500);
    }
    if (errorCodes[appError.code].status >= 500) logger.warn({ requestId, err: error }, appError.message);
    const status = errorCodes[appError.code].status as ContentfulStatusCode;
    return c.json(body(appError.code, appError.message, requestId, appError.details), status);
  };
}

/** The 404 for routes that do not exist, in the same shape. */
export function notFound(c: Context) {
  return c.json(body("NOT_FOUND", `No route for ${c.req.method} ${c.req.path}.`, c.get("requestId") as string | undefined), 404);
}

function body(code: ErrorBody["error"]["code"], message: string, requestId?: string, details?: unknown): ErrorBody {
  return { error: { code, message, ...(details === undefined ? {} : { details }), ...(requestId ? { requestId } : {}) } };
}

/** Hono's own 4xx (a malformed JSON body, say) in our shape. */
function fromHttpException(error: HTTPException): AppError {
  if (error.status === 413) return new AppError("PAYLOAD_TOO_LARGE", "The request body is too large.", { cause: error });
  if (error.status === 401) return new AppError("UNAUTHENTICATED", error.message || "Not signed in.", { cause: error });
  return new AppError("VALIDATION_FAILED", error.message || "The request is not valid.", { cause: error });
}
