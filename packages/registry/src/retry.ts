import { RegistryError } from './errors.js';

/** How often and how patiently to retry 5xx answers and network failures. */
export interface RetryOptions {
  /** Total tries including the first (default 5). */
  attempts: number;
  /** Delay before the first retry in ms (default 200); doubles each time. */
  baseDelayMs: number;
  /** Cap of one delay in ms (default 10 000). */
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryOptions = { attempts: 5, baseDelayMs: 200, maxDelayMs: 10_000 };

/** Statuses worth another try: the server or a proxy in front of it is overloaded or restarting. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 500 || status === 502 || status === 503 || status === 504;
}

/** Exponential back-off with "equal jitter": half fixed, half random, so clients do not stampede. */
export function backoffDelay(retry: RetryOptions, attempt: number, retryAfterMs?: number): number {
  const exponential = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** attempt);
  const delay = exponential / 2 + (Math.random() * exponential) / 2;
  return retryAfterMs === undefined ? delay : Math.min(retry.maxDelayMs, Math.max(delay, retryAfterMs));
}

/** `Retry-After` in ms (seconds or an HTTP date), or undefined. */
export function parseRetryAfter(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortError(signal));
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError(signal!));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export function abortError(signal: AbortSignal): RegistryError {
  return new RegistryError('EABORTED', 'operation aborted', { cause: signal.reason });
}
