import { describe, expect, it } from 'vitest';
import { botAllocation, scoreAllocation, seededRandom } from '../../../lib/game';

const truth = [0.1, 0.6, 0.2, 0.1];

function expectDistribution(weights: number[]) {
  for (const w of weights) expect(w).toBeGreaterThanOrEqual(0);
  expect(weights.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
}

describe('AI classmates', () => {
  it('at skill 1 play the model’s row', () => {
    const weights = botAllocation(truth, 2, false, 1, seededRandom(1));
    weights.forEach((w, j) => expect(w).toBeCloseTo(truth[j], 12));
  });

  it('at any skill play a distribution', () => {
    const random = seededRandom(2);
    for (const skill of [0, 0.1, 0.5, 0.9, 1]) expectDistribution(botAllocation(truth, 1, false, skill, random));
  });

  it('respect the causal mask', () => {
    const causalTruth = [0.3, 0.7, 0, 0];
    const random = seededRandom(3);
    for (const skill of [0, 0.5, 1]) {
      const weights = botAllocation(causalTruth, 1, true, skill, random);
      expectDistribution(weights);
      expect(weights[2]).toBe(0);
      expect(weights[3]).toBe(0);
    }
  });

  it('are repeatable with the same seed and differ with another', () => {
    const a = botAllocation(truth, 0, false, 0.5, seededRandom(9));
    expect(botAllocation(truth, 0, false, 0.5, seededRandom(9))).toEqual(a);
    expect(botAllocation(truth, 0, false, 0.5, seededRandom(10))).not.toEqual(a);
  });

  it('score better the more skilled they are', () => {
    const averageScore = (skill: number) => {
      const random = seededRandom(11);
      let total = 0;
      for (let i = 0; i < 200; i++) total += scoreAllocation(botAllocation(truth, 0, false, skill, random), truth);
      return total / 200;
    };
    const scores = [0, 0.3, 0.6, 0.9].map(averageScore);
    for (let i = 1; i < scores.length; i++) expect(scores[i]).toBeGreaterThan(scores[i - 1]);
    expect(averageScore(1)).toBe(1000);
  });
});
