/**
 * Keeps one connection under the game server's per-connection message limit (20 a second by default,
 * counted in fixed one-second windows, close code 4429 past it). It allows at most `limit - 1`
 * messages in any sliding `windowMs` (1,250 ms): any one-second window of the server then sees fewer
 * than `limit` of them even when their arrival is squeezed by up to 250 ms of network jitter.
 *
 * @example
 * const limiter = createSendLimiter(20);
 * if (!limiter.tryTake()) await limiter.slot();
 * ws.send(...);
 */
export function createSendLimiter(limit: number, windowMs = 1_250) {
  const allowed = Math.max(1, limit - 1);
  const sentAt: number[] = [];
  let tail: Promise<void> = Promise.resolve();
  let waiting = 0;

  /** Takes a place in the window now if there is one; false otherwise. */
  function takeNow(): boolean {
    const now = performance.now();
    while (sentAt.length > 0 && now - sentAt[0]! >= windowMs) sentAt.shift();
    if (sentAt.length >= allowed) return false;
    sentAt.push(now);
    return true;
  }

  async function take(): Promise<void> {
    while (!takeNow()) await new Promise((resolve) => setTimeout(resolve, windowMs - (performance.now() - sentAt[0]!) + 1));
  }

  return {
    /** Resolves when one more message may be sent now; callers are served in order. */
    slot(): Promise<void> {
      waiting += 1;
      const next = tail.then(take).finally(() => (waiting -= 1));
      tail = next;
      return next;
    },
    /** Takes a place at once, without a promise, when nobody is waiting and the window has room: the common case. */
    tryTake(): boolean {
      return waiting === 0 && takeNow();
    },
  };
}

export type SendLimiter = ReturnType<typeof createSendLimiter>;
