import { describe, expect, it } from 'vitest';
import { blendValues, mean, overWeightedKey, scoreAllocation, speedBonus } from '../../../lib/game';

describe('scoreAllocation: round(1000 × (1 − ½ Σ|p − q|))', () => {
  it('gives 1000 for the model’s own row and 0 for a disjoint one', () => {
    expect(scoreAllocation([0.2, 0.3, 0.5], [0.2, 0.3, 0.5])).toBe(1000);
    expect(scoreAllocation([1, 0, 0], [0, 1, 0])).toBe(0);
    expect(scoreAllocation([0, 0.5, 0.5], [1, 0, 0])).toBe(0);
  });

  it('matches examples worked by hand', () => {
    // |0.5−0.25| + |0.5−0.25| + |0−0.5| = 1 → 1000 × (1 − 0.5) = 500
    expect(scoreAllocation([0.5, 0.5, 0], [0.25, 0.25, 0.5])).toBe(500);
    // |0.7−0.5| + |0.3−0.5| = 0.4 → 800
    expect(scoreAllocation([0.7, 0.3], [0.5, 0.5])).toBe(800);
    // 0.0347 + 0.0347 = 0.0694 → 965.3 → 965
    expect(scoreAllocation([0.2, 0.8], [0.2347, 0.7653])).toBe(965);
    // uniform over four against a peaked row: |.25−.7| + 3·|.25−.1| = 0.9 → 550
    expect(scoreAllocation([0.25, 0.25, 0.25, 0.25], [0.7, 0.1, 0.1, 0.1])).toBe(550);
  });

  it('stays within 0..1000', () => {
    expect(scoreAllocation([1, 0], [0, 1])).toBe(0);
    expect(scoreAllocation([1 + 1e-7, 0], [1, 0])).toBe(1000);
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
