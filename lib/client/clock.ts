/**
 * How far this device's clock is from the server's. Round deadlines are on the server's clock, so a
 * phone whose clock runs two minutes fast would otherwise show a round as over when it has just begun.
 */

/** An estimate of server clock − device clock, and how sure it is (the round trip it came from). */
export interface ClockSkew {
  skewMs: number;
  roundTripMs: number;
}

/** One answer's timing: when the request left, when its answer came, and the server's clock in it. */
export interface ClockSample {
  sentAt: number;
  receivedAt: number;
  serverTime: number;
}

/** A jump this large means a clock was changed, not noise: start again from the new sample. */
const CLOCK_JUMP_MS = 2_000;

/**
 * The better of the current estimate and one more sample. The server answered somewhere inside the
 * round trip, so the midpoint is the best guess and the shortest round trip the least uncertain one.
 */
export function nextClockSkew(current: ClockSkew | null, sample: ClockSample): ClockSkew {
  const roundTripMs = Math.max(0, sample.receivedAt - sample.sentAt);
  const skewMs = sample.serverTime - (sample.sentAt + sample.receivedAt) / 2;
  if (!current) return { skewMs, roundTripMs };
  if (Math.abs(skewMs - current.skewMs) > CLOCK_JUMP_MS + roundTripMs / 2 + current.roundTripMs / 2) return { skewMs, roundTripMs };
  return roundTripMs < current.roundTripMs ? { skewMs, roundTripMs } : current;
}
