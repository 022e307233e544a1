/**
 * The closed table of error codes every transport shares: the HTTP status, the WebSocket close or
 * error code, and whether a client may retry the same request. Only transports read `status` and
 * `wsCode`; the rules return or throw codes.
 */
export const errorCodes = {
  VALIDATION_FAILED: { status: 400, wsCode: 4400, retryable: false },
  UNAUTHENTICATED: { status: 401, wsCode: 4401, retryable: false },
  FORBIDDEN: { status: 403, wsCode: 4403, retryable: false },
  NOT_FOUND: { status: 404, wsCode: 4404, retryable: false },
  CONFLICT: { status: 409, wsCode: 4409, retryable: false },
  PAYLOAD_TOO_LARGE: { status: 413, wsCode: 4413, retryable: false },
  RULE_VIOLATION: { status: 422, wsCode: 4422, retryable: false },
  RATE_LIMITED: { status: 429, wsCode: 4429, retryable: true },
  INTERNAL: { status: 500, wsCode: 4500, retryable: true },
  DEPENDENCY_UNAVAILABLE: { status: 503, wsCode: 4503, retryable: true },
  INDEXER_NOT_READY: { status: 503, wsCode: 4503, retryable: true },
} as const;

export type ErrorCode = keyof typeof errorCodes;

/** An error with a stable machine code, a message safe to show, and optional details. */
export class AppError extends Error {
  override name = "AppError";
  readonly code: ErrorCode;
  readonly details: unknown;
  constructor(code: ErrorCode, message: string, options: { details?: unknown; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.code = code;
    this.details = options.details;
  }
}

/** The one error body every HTTP endpoint answers with. */
export type ErrorBody = { error: { code: ErrorCode; message: string; details?: unknown; requestId?: string } };
