// Process signals → one AbortSignal for the manager. The first SIGTERM or
// SIGINT starts a graceful shutdown; a second one exits at once.

export interface ShutdownSignalOptions {
  readonly onSignal?: (signal: NodeJS.Signals) => void;
  /** Called on the second signal (default: process.exit(1)). */
  readonly onForce?: (signal: NodeJS.Signals) => void;
}

/** An AbortSignal that aborts on the first SIGTERM/SIGINT; the second forces an exit. */
export function shutdownSignal(options: ShutdownSignalOptions = {}): AbortSignal {
  const controller = new AbortController();
  const handler = (signal: NodeJS.Signals): void => {
    if (controller.signal.aborted) {
      (options.onForce ?? (() => process.exit(1)))(signal);
      return;
    }
    options.onSignal?.(signal);
    controller.abort(new Error(`received ${signal}`));
  };
  process.on('SIGTERM', handler);
  process.on('SIGINT', handler);
  return controller.signal;
}
