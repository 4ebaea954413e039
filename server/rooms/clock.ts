/**
 * Time for the rooms: what the reducer is told it is, and when timers fire. Injected so tests can
 * move time on by hand instead of waiting for it.
 */

/** Cancels a scheduled callback; calling it twice, or after the callback ran, does nothing. */
export type CancelTimer = () => void;

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Runs `callback` once, `delayMs` from now. */
  schedule(delayMs: number, callback: () => void): CancelTimer;
}

/** The wall clock and Node's timers. Timers are unref'd: a pending round timer alone must not keep a process alive. */
export const realClock: Clock = {
  now: () => Date.now(),
  schedule(delayMs, callback) {
    const timer = setTimeout(callback, Math.max(0, delayMs));
    timer.unref();
    return () => clearTimeout(timer);
  },
};

/**
 * A clock from what `createServer` was given: a full clock, or just a time source (the HTTP API's
 * older form), in which case timers are Node's, measured against that time source.
 */
export function toClock(clock: Clock | (() => number) | undefined): Clock {
  if (clock === undefined) return realClock;
  if (typeof clock === 'function') return { now: clock, schedule: realClock.schedule };
  return clock;
}
