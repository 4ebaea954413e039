/** AI classmates: they play the seats no student holds. */
import { allowedTokens } from './seating';

/**
 * A bot's allocation: the model's row blended with a random distribution over the allowed tokens,
 * skill parts truth to (1 − skill) parts noise. Both parts are distributions, so the blend is one too
 * (renormalised only against rounding); skill 1 is the model's answer, skill 0 a random guess.
 * The noise is a uniform draw from the simplex (normalised exponentials), so no token is favoured.
 */
export function botAllocation(
  trueRow: readonly number[],
  token: number,
  causal: boolean,
  skill: number,
  random: () => number,
): number[] {
  const tokenCount = trueRow.length;
  const allowed = allowedTokens(token, tokenCount, causal);
  const noise = new Array<number>(tokenCount).fill(0);
  let noiseTotal = 0;
  for (const j of allowed) {
    // 1 − random() lies in (0, 1], so the logarithm is finite.
    noise[j] = -Math.log(1 - random());
    noiseTotal += noise[j];
  }
  const s = Math.min(1, Math.max(0, skill));
  let truthTotal = 0;
  for (const j of allowed) truthTotal += Math.max(0, trueRow[j]);
  const weights = new Array<number>(tokenCount).fill(0);
  for (const j of allowed) {
    const truth = truthTotal > 0 ? Math.max(0, trueRow[j]) / truthTotal : 1 / allowed.length;
    const chance = noiseTotal > 0 ? noise[j] / noiseTotal : 1 / allowed.length;
    weights[j] = s * truth + (1 - s) * chance;
  }
  const total = weights.reduce((a, b) => a + b, 0);
  return weights.map((w) => w / total);
}
