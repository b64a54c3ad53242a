/**
 * Stable error codes of the API layer, one per HTTP status a Backend may ask for. The daemon throws
 * `ApiError`; the server answers with the status and Docker's body `{"message": …}`.
 */
export type ApiErrorCode =
  | 'NOT_MODIFIED'
  | 'INVALID_ARGUMENT'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'INTERNAL'
  | 'NOT_IMPLEMENTED'
  | 'UNAVAILABLE';

const CODES: Record<number, ApiErrorCode> = {
  304: 'NOT_MODIFIED',
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  500: 'INTERNAL',
  501: 'NOT_IMPLEMENTED',
  503: 'UNAVAILABLE',
};

export class ApiError extends Error {
  readonly statusCode: number;
  readonly code: ApiErrorCode;

  constructor(statusCode: number, message: string) {
    super(message);
    this.name = 'ApiError';
    this.statusCode = statusCode;
    this.code = CODES[statusCode] ?? (statusCode >= 500 ? 'INTERNAL' : 'INVALID_ARGUMENT');
  }

  static badRequest(message: string): ApiError {
    return new ApiError(400, message);
  }
  static notFound(message: string): ApiError {
    return new ApiError(404, message);
  }
  static conflict(message: string): ApiError {
    return new ApiError(409, message);
  }
  static notImplemented(message: string): ApiError {
    return new ApiError(501, message);
  }
}

export function isApiError(err: unknown, code?: ApiErrorCode): err is ApiError {
  return err instanceof ApiError && (code === undefined || err.code === code);
}

/**
 * The HTTP status for any thrown value: an ApiError, or any error carrying a numeric `statusCode`
 * (so other packages' errors can map themselves without importing this one); else 500.
 */
export function statusOf(err: unknown): number {
  if (err && typeof err === 'object' && 'statusCode' in err) {
    const s = (err as { statusCode: unknown }).statusCode;
    if (typeof s === 'number' && Number.isInteger(s) && s >= 300 && s < 600) return s;
  }
  return 500;
}
