/**
 * Combines the caller's signal with a deadline. Always call `dispose()` in `finally`.
 * @internal
 */
export function withDeadline(signal: AbortSignal | undefined, ms: number | undefined): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const onAbort = () => controller.abort(signal?.reason);
  if (signal) {
    if (signal.aborted) controller.abort(signal.reason);
    else signal.addEventListener("abort", onAbort, { once: true });
  }
  if (ms !== undefined && Number.isFinite(ms)) {
    timer = setTimeout(() => {
      const err = new Error(`deadline of ${ms} ms exceeded`);
      err.name = "TimeoutError";
      controller.abort(err);
    }, ms);
    timer.unref?.();
  }
  return {
    signal: controller.signal,
    dispose() {
      if (timer) clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
    },
  };
}
