/**
 * The protocol fuzzer (tests/fuzz/protocol-fuzzer.ts) in the test suite: a few thousand seeded events
 * over real sockets, once with the door wide open (so every handler sees the garbage) and once with
 * the door's own limits. No answer is `server/internal`, nothing is logged as failed, every room keeps
 * its invariants, and a normal round completes afterwards. `npm run fuzz` runs the long version.
 */
import { describe, expect, it } from 'vitest';
import { setUpArenas } from '../helpers/arenas';
import { playNormalRound } from './normal-round';
import { OPEN_DOOR } from './open-door';
import { fuzzProtocol } from './protocol-fuzzer';

const arenas = setUpArenas();

describe('the protocol fuzzer', () => {
  it('3,000 events with the door open: no internal error, invariants hold, a round completes afterwards', async () => {
    const arena = await arenas.boot({ seed: 21, limits: OPEN_DOOR });
    const result = await fuzzProtocol(arena, { seed: 21, events: 3000 });
    expect(result.invariantBreaks).toEqual([]);
    expect(result.internalErrors).toBe(0);
    expect(result.failuresLogged).toEqual([]);
    // The fuzz reached the game itself, not only the schemas.
    expect(Object.keys(result.refusals).length).toBeGreaterThan(8);
    expect(result.refusals['request/invalid']).toBeGreaterThan(0);
    const scores = await playNormalRound(arena);
    expect(scores.every((s) => Number.isInteger(s) && s >= 0 && s <= 1000)).toBe(true);
  });

  it('1,500 events through the default door: refusals and disconnects only, never an internal error', async () => {
    const arena = await arenas.boot({ seed: 22 });
    const result = await fuzzProtocol(arena, { seed: 22, events: 1500, concurrency: 8 });
    expect(result.invariantBreaks).toEqual([]);
    expect(result.internalErrors).toBe(0);
    expect(result.failuresLogged).toEqual([]);
    // Everything came from one address, which the door now holds back (wrong codes, too many
    // sessions): that is the door working, so the normal round is the open-door test's to play.
    expect(result.refusals['rate/limited']).toBeGreaterThan(0);
  });
});
