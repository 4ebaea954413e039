/** Words and numbers as the review pages print them. */

/** Points with thousands grouped the same way on every machine. */
export function formatPoints(points: number): string {
  return Math.round(points).toLocaleString('en-US');
}

/** A class − model difference in percentage points, signed: `+23 pts`, `−8 pts`. */
export function formatDifference(difference: number): string {
  const points = Math.round(Math.abs(difference) * 100);
  if (points === 0) return difference > 0 ? '+<1 pt' : '−<1 pt';
  return `${difference > 0 ? '+' : '−'}${points} pt${points === 1 ? '' : 's'}`;
}

/** A cosine similarity with two decimals and a real minus sign. */
export function formatCosine(cosine: number): string {
  const text = Math.abs(cosine).toFixed(2);
  return cosine < -0.005 ? `−${text}` : text;
}

/** A date and time in the reader's locale, e.g. "12 Mar 2025, 14:05". */
export function formatWhen(ms: number): string {
  return new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(ms));
}

/** Scaling, temperature and mask of a round, in a few words. */
export function describeOptions(options: { scale: boolean; temperature: number; causal: boolean }): string {
  return [options.scale ? 'scaled by √d' : 'no scaling', `temperature ${options.temperature}`, options.causal ? 'causal mask' : 'no mask'].join(' · ');
}

/** A token by its position, so a sentence with the same word twice stays clear; 0-based like the rest of the app. */
export function tokenLabel(tokens: readonly string[], index: number): string {
  const token = tokens[index] ?? `#${index}`;
  return tokens.filter((t) => t === token).length > 1 ? `${token} (${index})` : token;
}
