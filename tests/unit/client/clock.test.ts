import { describe, expect, it } from 'vitest';
import { nextClockSkew } from '../../../lib/client/clock';

describe('the server clock seen from a phone', () => {
  it('takes the midpoint of the round trip: a phone 2 minutes fast sees a skew of −2 minutes', () => {
    const phoneAhead = 120_000;
    const serverTime = 1_000_050;
    const skew = nextClockSkew(null, { sentAt: 1_000_000 + phoneAhead, receivedAt: 1_000_100 + phoneAhead, serverTime });
    expect(skew).toEqual({ skewMs: -phoneAhead, roundTripMs: 100 });
  });

  it('keeps the estimate from the shortest round trip', () => {
    const quick = nextClockSkew(null, { sentAt: 0, receivedAt: 40, serverTime: 1_020 });
    const slow = nextClockSkew(quick, { sentAt: 100, receivedAt: 900, serverTime: 1_300 });
    expect(slow).toBe(quick);
    const quicker = nextClockSkew(quick, { sentAt: 1_000, receivedAt: 1_010, serverTime: 2_006 });
    expect(quicker).toEqual({ skewMs: 1_001, roundTripMs: 10 });
  });

  it('starts again when a clock jumps', () => {
    const before = nextClockSkew(null, { sentAt: 0, receivedAt: 20, serverTime: 10 });
    const after = nextClockSkew(before, { sentAt: 10_000, receivedAt: 10_200, serverTime: 3_610_100 });
    expect(after).toEqual({ skewMs: 3_600_000, roundTripMs: 200 });
  });
});
