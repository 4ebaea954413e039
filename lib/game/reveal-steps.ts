/**
 * The numbers the projector's reveal walks through for the lesson's star token, worked with the
 * float64 reference: each key's dot product with the star's query, the division by √d_k and the
 * temperature, softmax into weights, and the blend of values those weights make.
 */
import { attendHead, dot, scoreDivisor, type AttentionOptions, type HeadCards } from '../attention/reference';
import type { Lesson } from '../lessons/schema';
import { starSeats, type SeatRef } from './seating';

export { REVEAL_STEP_NAMES, type RevealStepName } from '../protocol';

export interface RevealKeyStep {
  key: number;
  /** Hidden by the causal mask: no dot product counts, weight 0. */
  masked: boolean;
  keyCard: number[];
  /** query · key */
  dot: number;
  /** dot ÷ divisor (null where masked) */
  scaled: number | null;
  /** softmax of the scaled scores */
  weight: number;
}

export interface RevealSteps {
  token: number;
  head: number;
  query: number[];
  /** d_k: the length of a query or key card. */
  keyWidth: number;
  scale: boolean;
  temperature: number;
  /** √d_k (when scaling) × temperature: what every dot product is divided by. */
  divisor: number;
  keys: RevealKeyStep[];
  values: number[][];
  /** Σ weight × value: what the star token passes on. */
  output: number[];
  /** Every dot product of the whole sentence, all heads: what the class computed at once. */
  dotProducts: number;
}

/** The seat the reveal is about: the lesson's first star seat, else the first token of the first head. */
export function revealStar(lesson: Pick<Lesson, 'goals' | 'heads' | 'tokens'>): SeatRef {
  return starSeats(lesson)[0] ?? { token: 0, head: 0 };
}

export function revealSteps(cards: readonly HeadCards[], options: AttentionOptions, star: SeatRef): RevealSteps {
  const head = cards[star.head];
  const attention = attendHead(head, options);
  const query = [...head.q[star.token]];
  const divisor = scoreDivisor(query.length, options);
  const keys = head.k.map((keyCard, key) => {
    const masked = options.causal && key > star.token;
    return {
      key,
      masked,
      keyCard: [...keyCard],
      dot: dot(query, keyCard),
      scaled: masked ? null : attention.scores[star.token][key],
      weight: attention.weights[star.token][key],
    };
  });
  const tokenCount = head.q.length;
  return {
    token: star.token,
    head: star.head,
    query,
    keyWidth: query.length,
    scale: options.scale,
    temperature: options.temperature,
    divisor,
    keys,
    values: head.v.map((row) => [...row]),
    output: [...attention.outputs[star.token]],
    dotProducts: tokenCount * tokenCount * cards.length,
  };
}
