/** Stopping a long run the first time it is interrupted, and at once the second time. */

/** An abort signal for a run, raised by the first of `signals`; release it when the run ends. */
export interface GracefulStop {
  readonly signal: AbortSignal;
  release(): void;
}

/**
 * Listens for `signals` (SIGINT by default): the first aborts the returned signal so the run stops after
 * the calls in flight (they are stored), the second exits with code 130.
 */
export function gracefulStop(signals: readonly NodeJS.Signals[] = ["SIGINT"]): GracefulStop {
  const controller = new AbortController();
  const onSignal = () => {
    if (controller.signal.aborted) process.exit(130);
    process.stderr.write("\nStopping after the calls in flight (they are stored); press Ctrl-C again to quit now.\n");
    controller.abort();
  };
  for (const s of signals) process.on(s, onSignal);
  return {
    signal: controller.signal,
    release: () => {
      for (const s of signals) process.off(s, onSignal);
    },
  };
}
