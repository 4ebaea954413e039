/** Who plays which (token, head) seat, and where a seat may look. */
import { shuffled } from './random';
import type { PlayerId, Seat } from './types';

/** The tokens a seat for `token` may give weight to: itself and earlier ones in a causal round, else all. */
export function allowedTokens(token: number, tokenCount: number, causal: boolean): number[] {
  const last = causal ? token : tokenCount - 1;
  return Array.from({ length: last + 1 }, (_, j) => j);
}

/** Equal weight on every allowed token: where every student's sliders start. */
export function uniformAllocation(token: number, tokenCount: number, causal: boolean): number[] {
  const allowed = allowedTokens(token, tokenCount, causal);
  const weights = new Array<number>(tokenCount).fill(0);
  for (const j of allowed) weights[j] = 1 / allowed.length;
  return weights;
}

/**
 * Seats the class for a round: one seat per (token, head). Students are shuffled so partners and
 * tokens change between rounds. Each head's tokens are taken in a shuffled order, head by head, so
 * with fewer students than seats the first head (the one the lesson is about) is played by people
 * and the rest by AI classmates; with more students than seats they are dealt round-robin and share
 * seats as teams of nearly equal size.
 */
export function seatPlayers(
  playerIds: readonly PlayerId[],
  tokenCount: number,
  headCount: number,
  random: () => number,
): Seat[] {
  const seats: Seat[] = [];
  for (let head = 0; head < headCount; head++) {
    for (let token = 0; token < tokenCount; token++) {
      seats.push({ index: head * tokenCount + token, token, head, members: [], botAllocation: null });
    }
  }
  const order: number[] = [];
  for (let head = 0; head < headCount; head++) {
    const tokens = shuffled(
      Array.from({ length: tokenCount }, (_, t) => t),
      random,
    );
    for (const token of tokens) order.push(head * tokenCount + token);
  }
  shuffled(playerIds, random).forEach((id, i) => seats[order[i % order.length]].members.push(id));
  return seats;
}
