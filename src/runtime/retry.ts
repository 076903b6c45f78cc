// client-go's RetryOnConflict: run a read-modify-write again when the write
// hits a 409 Conflict. The callback must re-read the object from the API
// (not the cache) each time, or the retry fails the same way.
import { sleep } from './backoff.js';
import { isConflict } from './errors.js';

export interface RetryOptions {
  /** Attempts in all (default 5, client-go's DefaultRetry). */
  readonly attempts?: number;
  /** Pause before a retry (default 10 ms), plus up to `jitter`·delay at random. */
  readonly delayMs?: number;
  readonly jitter?: number;
  /** Which errors are worth a retry (default: conflicts). */
  readonly retryable?: (error: unknown) => boolean;
  readonly signal?: AbortSignal;
}

/** Calls `attempt` until it succeeds, throws a non-retryable error, or the attempts run out (the last error is thrown). */
export async function retryOnConflict<T>(attempt: (attemptNumber: number) => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const attempts = Math.max(1, options.attempts ?? 5);
  const delayMs = options.delayMs ?? 10;
  const jitter = options.jitter ?? 0.1;
  const retryable = options.retryable ?? isConflict;
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (error) {
      if (n >= attempts || !retryable(error)) throw error;
      await sleep(delayMs * (1 + jitter * Math.random()), options.signal);
    }
  }
}
