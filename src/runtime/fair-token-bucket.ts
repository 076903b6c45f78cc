// The API client's rate limit with fair queuing: callers that must wait for
// a token wait in one queue per flow (the request's namespace), and tokens go
// round-robin across the flows waiting. A set scaling to 20,000 pods queues
// thousands of requests in its namespace; a request of another namespace
// waits for about one token per busy flow, not behind all of them (the
// client-side half of what API Priority and Fairness does on the server).
import { FairQueue } from './fair-queue.js';
import { TokenBucket, type Clock } from './rate-limiter.js';

interface Waiter {
  readonly flow: string;
  readonly grant: () => void;
  /** Granted or abandoned: skipped when its turn comes. */
  settled: boolean;
}

/** The flow of an API path: its namespace, '' for cluster-scoped paths. */
export function flowOfPath(path: string): string {
  const match = /\/namespaces\/([^/?]+)\//.exec(path);
  return match ? match[1]! : '';
}

export class FairTokenBucket {
  private readonly bucket: TokenBucket;
  private readonly waiting = new FairQueue<Waiter>((waiter) => waiter.flow);
  private timer: NodeJS.Timeout | undefined;

  constructor(
    readonly qps: number,
    readonly burst: number,
    now: Clock = Date.now,
  ) {
    this.bucket = new TokenBucket(qps, burst, now);
  }

  /** Callers waiting for a token (abandoned ones may still be counted until their turn). */
  get waitingCount(): number {
    return this.waiting.length;
  }

  /** Waits for a token in `flow`'s queue; rejects with the signal's reason if aborted first. */
  async take(flow: string, signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    if (this.waiting.length === 0 && this.bucket.tryTake()) return;
    await new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        if (waiter.settled) return;
        waiter.settled = true;
        const reason: unknown = signal!.reason;
        reject(reason instanceof Error ? reason : new Error('aborted', { cause: reason }));
      };
      const waiter: Waiter = {
        flow,
        settled: false,
        grant: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(waiter);
      this.dispatch();
    });
  }

  /** Grants the tokens available now in turn, then sleeps until the next one. */
  private dispatch(): void {
    if (this.timer !== undefined) return;
    while (this.waiting.length > 0) {
      const delay = this.bucket.msUntilToken();
      if (delay > 0) {
        this.timer = setTimeout(() => {
          this.timer = undefined;
          this.dispatch();
        }, delay);
        return;
      }
      if (!this.bucket.tryTake()) continue;
      const next = this.nextWaiter();
      if (next === undefined) {
        this.bucket.refund();
        return;
      }
      next.settled = true;
      next.grant();
    }
  }

  private nextWaiter(): Waiter | undefined {
    for (let waiter = this.waiting.shift(); waiter !== undefined; waiter = this.waiting.shift()) {
      if (!waiter.settled) return waiter;
    }
    return undefined;
  }
}

