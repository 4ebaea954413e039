import { describe, expect, it } from 'vitest';
import { nudgeWeight, normalizeAllocation, pinToken, sameAllocation, setWeight, spreadEvenly, toPercents } from '../../../lib/client/allocation';
import { seededRandom } from '../../../lib/game';

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
const all = (n: number) => Array.from({ length: n }, (_, j) => j);

describe('the allocation editor’s arithmetic', () => {
  it('spreads evenly over the allowed tokens only', () => {
    expect(spreadEvenly(4, [0, 1])).toEqual([0.5, 0.5, 0, 0]);
    expect(sum(spreadEvenly(6, all(6)))).toBe(1);
  });

  it('moving one weight rescales the others in proportion', () => {
    const next = setWeight([0.5, 0.3, 0.2, 0], all(4), 0, 0.8);
    expect(next[0]).toBeCloseTo(0.8, 12);
    // 0.3 : 0.2 : 0 keeps its ratio within the remaining 0.2.
    expect(next[1]).toBeCloseTo(0.12, 12);
    expect(next[2]).toBeCloseTo(0.08, 12);
    expect(next[3]).toBe(0);
    expect(sum(next)).toBe(1);
  });

  it('shares the rest equally when the others had nothing', () => {
    const next = setWeight([1, 0, 0], all(3), 0, 0.4);
    expect(next[0]).toBe(0.4);
    expect(next[1]).toBeCloseTo(0.3, 12);
    expect(next[2]).toBeCloseTo(0.3, 12);
  });

  it('never gives weight outside the allowed tokens (a causal round)', () => {
    const allowed = [0, 1, 2];
    const next = setWeight([0.2, 0.3, 0.5, 0, 0], allowed, 1, 0.9);
    expect(next.slice(3)).toEqual([0, 0]);
    expect(sum(next)).toBe(1);
    // Setting a later token is refused: the allocation stays as it was.
    expect(setWeight([0.2, 0.3, 0.5, 0, 0], allowed, 4, 0.5)).toEqual([0.2, 0.3, 0.5, 0, 0]);
  });

  it('the only allowed token always holds everything', () => {
    expect(setWeight([1, 0, 0], [0], 0, 0.2)).toEqual([1, 0, 0]);
  });

  it('clamps to 0–100% and nudges by steps', () => {
    expect(setWeight([0.5, 0.5], all(2), 0, 1.7)).toEqual([1, 0]);
    expect(setWeight([0.5, 0.5], all(2), 0, -1)).toEqual([0, 1]);
    const nudged = nudgeWeight([0.5, 0.25, 0.25], all(3), 1, 0.05);
    expect(nudged[1]).toBeCloseTo(0.3, 12);
    expect(sum(nudged)).toBe(1);
  });

  it('normalizes whatever comes in', () => {
    expect(normalizeAllocation([2, 2, 0], all(3))).toEqual([0.5, 0.5, 0]);
    expect(normalizeAllocation([0, 0, 0], [0, 1])).toEqual([0.5, 0.5, 0]);
    expect(normalizeAllocation([-1, Number.NaN, 1], all(3))).toEqual([0, 0, 1]);
  });

  it('stays a distribution through any sequence of moves (seeded)', () => {
    const random = seededRandom(2024);
    for (let trial = 0; trial < 200; trial++) {
      const n = 2 + Math.floor(random() * 10);
      const last = Math.floor(random() * n);
      const allowed = all(last + 1);
      let weights = spreadEvenly(n, allowed);
      for (let move = 0; move < 20; move++) {
        const index = Math.floor(random() * n);
        weights = random() < 0.5 ? setWeight(weights, allowed, index, random()) : nudgeWeight(weights, allowed, index, random() < 0.5 ? -0.05 : 0.05);
        expect(Math.abs(sum(weights) - 1)).toBeLessThan(1e-9);
        expect(weights.every((w) => w >= 0 && w <= 1)).toBe(true);
        expect(weights.slice(last + 1).every((w) => w === 0)).toBe(true);
      }
    }
  });

  it('percent labels always add up to 100', () => {
    expect(toPercents([1 / 3, 1 / 3, 1 / 3])).toEqual([34, 33, 33]);
    expect(toPercents([1 / 6, 1 / 6, 1 / 6, 1 / 6, 1 / 6, 1 / 6])).toEqual([17, 17, 17, 17, 16, 16]);
    expect(toPercents([0.125, 0.875])).toEqual([13, 87]);
    expect(toPercents([0, 0])).toEqual([0, 0]);
    const random = seededRandom(5);
    for (let trial = 0; trial < 100; trial++) {
      const raw = Array.from({ length: 1 + Math.floor(random() * 12) }, () => random());
      expect(sum(toPercents(normalizeAllocation(raw, all(raw.length))))).toBe(100);
    }
  });

  it('compares allocations with a tolerance', () => {
    expect(sameAllocation([0.5, 0.5], [0.5 + 1e-9, 0.5 - 1e-9])).toBe(true);
    expect(sameAllocation([0.5, 0.5], [0.6, 0.4])).toBe(false);
    expect(sameAllocation([1], [0.5, 0.5])).toBe(false);
  });
});

describe('pinned tokens keep what the student set', () => {
  const all = (n: number) => Array.from({ length: n }, (_, j) => j);
  const even = [0.25, 0.25, 0.25, 0.25];

  it('sets cat to 55% then mat to 15%: cat stays at 55% and the untouched tokens share the rest', () => {
    const first = setWeight(even, all(4), 1, 0.55);
    const pins = pinToken([], 1);
    const second = setWeight(first, all(4), 3, 0.15, pins);
    expect(second[1]).toBeCloseTo(0.55, 12);
    expect(second[3]).toBeCloseTo(0.15, 12);
    expect(second[0]).toBeCloseTo(0.15, 12);
    expect(second[2]).toBeCloseTo(0.15, 12);
    expect(second.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    // Without the pin, cat would have been scaled down with the rest.
    expect(setWeight(first, all(4), 3, 0.15)[1]).toBeLessThan(0.55);
  });

  it('lets the oldest pin go when the untouched tokens cannot absorb the move', () => {
    let w = setWeight(even, all(3), 0, 0.5);
    let pins = pinToken([], 0);
    w = setWeight(w, all(3), 1, 0.3, pins);
    pins = pinToken(pins, 1);
    // Token 2 is the only untouched one; asking it for 90% means tokens 0 and 1 must give way.
    const next = setWeight(w, all(3), 2, 0.9, pins);
    expect(next[2]).toBeCloseTo(0.9, 12);
    expect(next.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(next.every((x) => x >= 0)).toBe(true);
  });

  it('lets pins go when every other token is pinned', () => {
    const pins = [0, 1];
    const next = setWeight([0.4, 0.4, 0.2], all(3), 2, 0.5, pins);
    expect(next[2]).toBeCloseTo(0.5, 12);
    expect(next.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  it('moves a token to the end of the pins when set again', () => {
    expect(pinToken([3, 1, 2], 1)).toEqual([3, 2, 1]);
  });

  it('nudges with pins too', () => {
    const next = nudgeWeight([0.55, 0.15, 0.15, 0.15], all(4), 1, 0.05, [0]);
    expect(next[0]).toBeCloseTo(0.55, 12);
    expect(next[1]).toBeCloseTo(0.2, 12);
  });
});
