import { describe, expect, it } from 'vitest';
import { blendValues, mean, overWeightedKey, scoreAllocation, scoreBreakdown, speedBonus } from '../../../lib/game';

describe('scoreAllocation: 500 for the top key, plus 500 × (1 − ½ Σ|p − q|)', () => {
  it('gives 1000 for the model’s own (informative) row and 0 for a disjoint one', () => {
    expect(scoreAllocation([0.2, 0.3, 0.5], [0.2, 0.3, 0.5])).toBe(1000);
    expect(scoreAllocation([1, 0, 0], [0, 1, 0])).toBe(0);
    expect(scoreAllocation([0, 0.5, 0.5], [1, 0, 0])).toBe(0);
  });

  it('matches examples worked by hand', () => {
    // Top key 2 missed (0 and 1 chosen); |0.5−0.25| + |0.5−0.25| + |0−0.5| = 1 → 500 × (1 − 0.5) = 250
    expect(scoreAllocation([0.5, 0.5, 0], [0.25, 0.25, 0.5])).toBe(250);
    // Top key 1 found; 0.0347 + 0.0347 = 0.0694 → 500 + 482.65 → 983
    expect(scoreAllocation([0.2, 0.8], [0.2347, 0.7653])).toBe(983);
    // The untouched even split against a peaked row: nothing chosen; 0.9 → 500 × 0.55 = 275
    expect(scoreAllocation([0.25, 0.25, 0.25, 0.25], [0.7, 0.1, 0.1, 0.1])).toBe(275);
    // All in on that row's top key: 500 + 500 × (1 − 0.3) = 850
    expect(scoreAllocation([1, 0, 0, 0], [0.7, 0.1, 0.1, 0.1])).toBe(850);
  });

  it('has no top key to find in an even row: the untouched split there earns the spread’s 500 only', () => {
    expect(scoreBreakdown([0.5, 0.5], [0.5, 0.5])).toMatchObject({ score: 500, foundTopKey: false, evenRow: true, topKeys: [] });
    expect(scoreBreakdown([0.7, 0.3], [0.5, 0.5])).toMatchObject({ score: 400, foundTopKey: false, chosenKeys: [0] });
    // A causal first token looks only at itself: nothing to choose.
    expect(scoreBreakdown([1, 0, 0], [1, 0, 0])).toMatchObject({ score: 500, evenRow: true });
  });

  it('counts a tie at the model’s top: either tied key is the top key, a split between them too', () => {
    const row = [0.12, 0.25, 0.12, 0.12, 0.14, 0.25];
    expect(scoreBreakdown([0, 1, 0, 0, 0, 0], row).foundTopKey).toBe(true);
    expect(scoreBreakdown([0, 0.5, 0, 0, 0, 0.5], row).foundTopKey).toBe(true);
    expect(scoreBreakdown([0.5, 0.5, 0, 0, 0, 0], row).foundTopKey).toBe(false);
  });

  it('stays within 0..1000', () => {
    expect(scoreAllocation([1, 0], [0, 1])).toBe(0);
    expect(scoreAllocation([1 + 1e-7, 0], [1, 0])).toBe(500);
    expect(scoreAllocation([1 + 1e-7, 0], [0.9, 0.1])).toBe(950);
  });
});

describe('outputs and the over-weighted key', () => {
  it('blends the value cards by the weights', () => {
    expect(blendValues([0.5, 0.5], [[2, 0], [0, 2]])).toEqual([1, 1]);
    expect(blendValues([0.25, 0.75, 0], [[1, 0], [0, 2], [3, 3]])).toEqual([0.25, 1.5]);
  });

  it('names the key given the most beyond the model', () => {
    expect(overWeightedKey([0.6, 0.4, 0], [0.2, 0.3, 0.5])).toEqual({ token: 0, by: expect.closeTo(0.4, 12) });
    expect(overWeightedKey([0.1, 0.4, 0.5], [0.2, 0.3, 0.5])).toEqual({ token: 1, by: expect.closeTo(0.1, 12) });
    expect(overWeightedKey([0.2, 0.3, 0.5], [0.2, 0.3, 0.5])).toBeNull();
  });
});

describe('speed bonus', () => {
  it('pays the share of the window left, times accuracy', () => {
    expect(speedBonus(1000, 30_000, 120_000)).toBe(75);
    expect(speedBonus(500, 30_000, 120_000)).toBe(38);
    expect(speedBonus(1000, 0, 60_000)).toBe(100);
    expect(speedBonus(1000, 200_000, 120_000)).toBe(0);
  });

  it('pays nothing to one who never committed', () => {
    expect(speedBonus(1000, null, 120_000)).toBe(0);
  });
});

describe('mean', () => {
  it('averages, and has none for nobody', () => {
    expect(mean([500, 1000])).toBe(750);
    expect(mean([])).toBeNull();
  });
});
