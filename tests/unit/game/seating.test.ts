import { describe, expect, it } from 'vitest';
import { allowedTokens, seatPlayers, seededRandom, uniformAllocation } from '../../../lib/game';

const ids = (n: number) => Array.from({ length: n }, (_, i) => `p${i + 1}`);

describe('seating', () => {
  it('makes one seat per (token, head), numbered head by head', () => {
    const seats = seatPlayers([], 4, 2, seededRandom(1));
    expect(seats).toHaveLength(8);
    seats.forEach((seat, i) => {
      expect(seat.index).toBe(i);
      expect(seat.index).toBe(seat.head * 4 + seat.token);
      expect(seat.members).toEqual([]);
    });
  });

  it('with fewer students than seats fills the first head first and leaves the rest to bots', () => {
    const seats = seatPlayers(ids(3), 4, 2, seededRandom(2));
    const taken = seats.filter((s) => s.members.length > 0);
    expect(taken).toHaveLength(3);
    expect(taken.every((s) => s.head === 0)).toBe(true);
    expect(seats.filter((s) => s.members.length === 0)).toHaveLength(5);
  });

  it('with as many students as seats gives each their own', () => {
    const seats = seatPlayers(ids(8), 4, 2, seededRandom(3));
    expect(seats.every((s) => s.members.length === 1)).toBe(true);
  });

  it('with more students than seats makes teams of nearly equal size', () => {
    const seats = seatPlayers(ids(11), 4, 1, seededRandom(4));
    const sizes = seats.map((s) => s.members.length).sort();
    expect(sizes).toEqual([2, 3, 3, 3]);
    expect(seats.flatMap((s) => s.members).sort()).toEqual(ids(11).sort());
  });

  it('seats everyone exactly once, repeatably with a seed, differently with another', () => {
    const a = seatPlayers(ids(5), 4, 2, seededRandom(5));
    expect(a.flatMap((s) => s.members).sort()).toEqual(ids(5).sort());
    expect(seatPlayers(ids(5), 4, 2, seededRandom(5))).toEqual(a);
    const others = [6, 7, 8, 9].map((seed) => JSON.stringify(seatPlayers(ids(5), 4, 2, seededRandom(seed))));
    expect(others.some((o) => o !== JSON.stringify(a))).toBe(true);
  });

  it('lets a causal seat look only at itself and earlier tokens', () => {
    expect(allowedTokens(2, 4, true)).toEqual([0, 1, 2]);
    expect(allowedTokens(0, 4, true)).toEqual([0]);
    expect(allowedTokens(0, 4, false)).toEqual([0, 1, 2, 3]);
    expect(uniformAllocation(1, 4, true)).toEqual([0.5, 0.5, 0, 0]);
    expect(uniformAllocation(1, 4, false)).toEqual([0.25, 0.25, 0.25, 0.25]);
  });
});
