/** The one sentence a student reads at the reveal: what earned their points, about their own row. */
import { readRow, scoreBreakdown } from './scoring';

/** How much surer (peak weight) one row must be than another before we say so. */
const SURER_BY = 0.1;

export interface VerdictInput {
  tokens: readonly string[];
  token: number;
  /** The head's name where the lesson has several heads (a key is "top" within one head). */
  headName: string | null;
  allocation: readonly number[];
  trueRow: readonly number[];
  touched: boolean;
}

/** A narrow no-break space keeps "54 %" on one line of a narrow phone. */
function percent(x: number): string {
  return `${Math.round(x * 100)}\u202f%`;
}

function list(words: readonly string[], joiner = 'or'): string {
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} ${joiner} ${words.at(-1)}`;
}

/**
 * "You found script, python's top key ✓; the model spread its attention more than you did." Names the
 * student's own token and the model's top key for it, says whether they found it (the 500 points),
 * then how their spread compares with the model's (the rest). An even row has no top key: it says so.
 */
export function revealVerdict(input: VerdictInput): string {
  const { tokens, token, headName, allocation, trueRow, touched } = input;
  const word = (j: number) => tokens[j] ?? `token ${j}`;
  const me = word(token);
  // "dogs’ top key", not "dogs’s": a word that already ends in s takes the apostrophe alone.
  const mine = /s$/i.test(me) ? `${me}’` : `${me}’s`;
  const row = readRow(trueRow);
  const b = scoreBreakdown(allocation, trueRow);
  const inHead = headName ? ` in the ${headName} head` : '';
  if (row.even) {
    return touched
      ? `No key stood out for ${me}${inHead}: the model spread its attention almost evenly, so your points came from matching that spread.`
      : `No key stood out for ${me}${inHead}: the model spread its attention almost evenly, and so did your untouched sliders.`;
  }
  const topWords = row.topKeys.map(word);
  // Name what the student found: the top key, or the tied top keys they picked ("cat, one of on's two top keys").
  const picked = b.chosenKeys.map(word);
  const topKey =
    row.topKeys.length === 1
      ? `${topWords[0]}, ${mine} top key${inHead}`
      : picked.length === row.topKeys.length
        ? `${list(picked, 'and')}, ${mine} top keys${inHead}`
        : `${list(picked, 'and')}, ${picked.length === 1 ? 'one' : `${picked.length}`} of ${mine} ${row.topKeys.length} top keys${inHead}`;
  if (!touched) {
    return `You left the sliders untouched: an even split finds no key. ${mine} top key${inHead} was ${list(topWords)} (${percent(row.peak)}).`;
  }
  if (!b.foundTopKey) {
    const choice = b.chosenKeys.length > 0 ? `you gave the most to ${list(b.chosenKeys.map(word))}` : 'you split your attention evenly';
    return `The model’s top key for ${me}${inHead} was ${list(topWords)} (${percent(row.peak)}); ${choice}.`;
  }
  const myPeak = Math.max(...row.allowed.map((j) => allocation[j] ?? 0));
  const spread =
    myPeak > row.peak + SURER_BY
      ? 'the model spread its attention more than you did'
      : myPeak < row.peak - SURER_BY
        ? 'the model was surer of it than you were'
        : 'and your spread matched the model’s';
  return `You found ${topKey} ✓${spread.startsWith('and') ? ',' : ';'} ${spread}.`;
}
