/**
 * The arithmetic of a student's allocation editor: weights over the tokens a seat may attend to,
 * kept summing to exactly 1 however the sliders move. Pure, so every rule is tested without a page.
 */

const EPSILON = 1e-9;

function clamp01(x: number): number {
  return Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0;
}

/** Makes `weights` sum to exactly 1 by giving the float error to the largest allowed weight. */
function settle(weights: number[], allowed: readonly number[]): number[] {
  if (allowed.length === 0) return weights;
  const total = allowed.reduce((sum, j) => sum + weights[j], 0);
  let largest = allowed[0];
  for (const j of allowed) if (weights[j] > weights[largest]) largest = j;
  weights[largest] = Math.max(0, weights[largest] + (1 - total));
  return weights;
}

/** Equal weight on every allowed token, zero elsewhere. */
export function spreadEvenly(tokenCount: number, allowed: readonly number[]): number[] {
  const weights = new Array<number>(tokenCount).fill(0);
  for (const j of allowed) weights[j] = 1 / allowed.length;
  return settle(weights, allowed);
}

/**
 * A clean copy of `weights`: zero outside `allowed`, never negative, summing to 1 (spread evenly when
 * nothing is left to scale).
 */
export function normalizeAllocation(weights: readonly number[], allowed: readonly number[]): number[] {
  const out = weights.map((w, j) => (allowed.includes(j) ? clamp01(w) : 0));
  const total = allowed.reduce((sum, j) => sum + out[j], 0);
  if (total < EPSILON) return spreadEvenly(weights.length, allowed);
  for (const j of allowed) out[j] /= total;
  return settle(out, allowed);
}

/**
 * Sets token `index` to `value` (0–1) and rescales the other allowed tokens so the total stays 1.
 *
 * Tokens in `pinned` (set by hand earlier, oldest first) keep their values and the untouched tokens
 * absorb the change, in proportion to what they had (equally when they had nothing): a student who
 * sets cat to 55% and then mat to 15% still sees 55% on cat. Where the untouched tokens cannot absorb
 * it, the oldest pins are let go first. A token outside `allowed` cannot be set; the only allowed
 * token always holds everything.
 */
export function setWeight(
  weights: readonly number[],
  allowed: readonly number[],
  index: number,
  value: number,
  pinned: readonly number[] = [],
): number[] {
  if (!allowed.includes(index)) return normalizeAllocation(weights, allowed);
  const base = normalizeAllocation(weights, allowed);
  const others = allowed.filter((j) => j !== index);
  if (others.length === 0) return base.map((_, j) => (j === index ? 1 : 0));
  const target = clamp01(value);
  const kept = pinned.filter((j) => j !== index && others.includes(j));
  const keptTotal = () => kept.reduce((sum, j) => sum + base[j], 0);
  let free = others.filter((j) => !kept.includes(j));
  while (kept.length > 0 && (free.length === 0 || target + keptTotal() > 1 + EPSILON)) {
    kept.shift();
    free = others.filter((j) => !kept.includes(j));
  }
  const rest = Math.max(0, 1 - target - keptTotal());
  const freeTotal = free.reduce((sum, j) => sum + base[j], 0);
  const out = base.map(() => 0);
  out[index] = target;
  for (const j of kept) out[j] = base[j];
  for (const j of free) out[j] = freeTotal > EPSILON ? (base[j] * rest) / freeTotal : rest / free.length;
  return settle(out, allowed);
}

/** Moves token `index` by `delta` (e.g. ±0.05), rescaling the others (pinned ones last, as in setWeight). */
export function nudgeWeight(
  weights: readonly number[],
  allowed: readonly number[],
  index: number,
  delta: number,
  pinned: readonly number[] = [],
): number[] {
  return setWeight(weights, allowed, index, (weights[index] ?? 0) + delta, pinned);
}

/** The tokens set by hand after `index` was set: it moves to the end (the most recent pin). */
export function pinToken(pinned: readonly number[], index: number): number[] {
  return [...pinned.filter((j) => j !== index), index];
}

/**
 * Whole percentages that add up to exactly 100 (largest remainders get the rounding), so the labels
 * a student reads never sum to 99 or 101.
 */
export function toPercents(weights: readonly number[]): number[] {
  const total = weights.reduce((sum, w) => sum + Math.max(0, w), 0);
  if (total < EPSILON) return weights.map(() => 0);
  const exact = weights.map((w) => (Math.max(0, w) / total) * 100);
  const floors = exact.map(Math.floor);
  let missing = 100 - floors.reduce((a, b) => a + b, 0);
  const order = exact.map((x, j) => ({ j, remainder: x - floors[j] })).sort((a, b) => b.remainder - a.remainder || a.j - b.j);
  for (const { j } of order) {
    if (missing <= 0) break;
    floors[j] += 1;
    missing -= 1;
  }
  return floors;
}

/** Whether two allocations are the same within `tolerance` per token. */
export function sameAllocation(a: readonly number[], b: readonly number[], tolerance = 1e-6): boolean {
  return a.length === b.length && a.every((x, j) => Math.abs(x - b[j]) <= tolerance);
}
