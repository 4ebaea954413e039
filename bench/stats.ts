/** Summaries the benchmarks print. */

/** The nearest-rank percentile, `p` from 0 to 1; NaN for no samples. */
export function percentile(xs: readonly number[], p: number): number {
  if (xs.length === 0) return Number.NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? sorted[0];
}

/** The largest of many numbers: a spread into Math.max overflows the stack at tens of thousands. */
export function largest(xs: Iterable<number>): number {
  let best = -Infinity;
  for (const x of xs) if (x > best) best = x;
  return best;
}

/** The smallest of many numbers (see `largest`). */
export function smallest(xs: Iterable<number>): number {
  let best = Infinity;
  for (const x of xs) if (x < best) best = x;
  return best;
}
