/**
 * The recurrent bottleneck, in the simplest form that still shows it: a single context vector carried
 * from token to token, h_t = carry·h_{t−1} + x_t. Whatever the sentence said first reaches the end only
 * through carry^(distance), so an early fact fades however important it was.
 */
import type { Matrix } from './reference';

export interface RecurrentTrace {
  /** The carried context vector after each token. */
  states: Matrix;
  /** The context vector after the last token: everything the network can use. */
  finalContext: number[];
  /** How much of the final context each token contributed, as shares that sum to 1. */
  shares: number[];
}

/** Runs the carried-context network over the token embeddings. `carry` is in (0, 1]. */
export function runRecurrent(embeddings: Matrix, carry: number): RecurrentTrace {
  if (!(carry > 0 && carry <= 1)) throw new Error(`carry must be in (0, 1], got ${carry}`);
  const width = embeddings[0]?.length ?? 0;
  const states: Matrix = [];
  let state = new Array<number>(width).fill(0);
  for (const x of embeddings) {
    state = state.map((h, i) => carry * h + x[i]);
    states.push(state);
  }
  const last = embeddings.length - 1;
  // Token i is multiplied by carry once per later token, so its share of the sum is carry^(last−i).
  const raw = embeddings.map((_, i) => carry ** (last - i));
  const total = raw.reduce((a, b) => a + b, 0);
  return { states, finalContext: state, shares: raw.map((r) => r / total) };
}
