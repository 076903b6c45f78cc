// Bounded polling: the only way e2e tests wait.
export interface EventuallyOptions {
  /** Give up after this long (default 60 s). */
  readonly timeoutMs?: number;
  /** Pause between attempts (default 250 ms). */
  readonly intervalMs?: number;
  /** Said in the error when the time runs out. */
  readonly description?: string;
}

export class EventuallyTimeoutError extends Error {
  constructor(description: string, timeoutMs: number, cause: unknown) {
    super(`timed out after ${timeoutMs} ms waiting for ${description}`, { cause });
    this.name = 'EventuallyTimeoutError';
  }
}

/**
 * Calls `attempt` until it returns without throwing (and, if it returns a
 * boolean, until it returns true); returns its last value. The last error is
 * the cause of the timeout error, so a failing test says what it last saw.
 */
export async function eventually<T>(attempt: () => Promise<T> | T, options: EventuallyOptions = {}): Promise<Exclude<T, false>> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const intervalMs = options.intervalMs ?? 250;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await attempt();
      if (value !== false) return value as Exclude<T, false>;
      lastError = new Error('condition returned false');
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      throw new EventuallyTimeoutError(options.description ?? 'condition', timeoutMs, lastError);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
