/** Who plays which (token, head) seat, and where a seat may look. */
import { attendHead, type AttentionOptions, type HeadCards } from '../attention/reference';
import type { Lesson } from '../lessons/schema';
import { shuffled } from './random';
import { readRow } from './scoring';
import { isPlayedByBot, playingMembers } from './rules';
import type { GameState, PlayerId, Round, Seat } from './types';

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

/** A (token, head) position. */
export interface SeatRef {
  token: number;
  head: number;
}

/**
 * The rows a lesson is about: every (query token, head) its learning goals make a claim on, in the
 * order the goals name them. The first is the lesson's star: the projector narrates it and the reveal
 * works through its numbers.
 */
export function starSeats(lesson: Pick<Lesson, 'goals' | 'heads' | 'tokens'>): SeatRef[] {
  const seats: SeatRef[] = [];
  for (const goal of lesson.goals) {
    const claim = goal.claim;
    if (!('query' in claim)) continue;
    const head = lesson.heads.findIndex((h) => h.name === claim.head);
    if (head < 0 || claim.query < 0 || claim.query >= lesson.tokens.length) continue;
    if (!seats.some((s) => s.token === claim.query && s.head === head)) seats.push({ token: claim.query, head });
  }
  return seats;
}

/** Which seats students take, in the order they take them; the rest go to AI classmates. */
export interface SeatingPlan {
  /**
   * Seat indexes for students, best first: the lesson's star seats, then the others whose true row is
   * furthest from even. Rows with nothing to find (an all-zero query, a nearly even row) are left out.
   */
  forStudents: number[];
}

/**
 * The seating plan for a round with these settings. A row with nothing to find would hand its player
 * 500 points for leaving the sliders alone and teach them nothing, so such seats go to AI classmates
 * while an informative one is free; only a lesson with no informative row at all (a very high
 * temperature flattens every row) seats students on every row, stars first.
 */
export function seatingPlan(
  lesson: Pick<Lesson, 'goals' | 'heads' | 'tokens'>,
  cards: readonly HeadCards[],
  options: AttentionOptions,
): SeatingPlan {
  const tokenCount = lesson.tokens.length;
  const rows = cards.flatMap((head, h) =>
    attendHead(head, options).weights.map((row, token) => {
      const reading = readRow(row);
      return { index: h * tokenCount + token, informative: !reading.even, spread: reading.peak - 1 / reading.allowed.length };
    }),
  );
  const stars = starSeats(lesson).map((s) => s.head * tokenCount + s.token);
  const isStar = (index: number) => stars.includes(index);
  const byDistanceFromEven = [...rows].sort((a, b) => b.spread - a.spread || a.index - b.index);
  const informative = byDistanceFromEven.filter((r) => r.informative);
  if (informative.length === 0) return { forStudents: [...stars, ...byDistanceFromEven.map((r) => r.index).filter((i) => !isStar(i))] };
  const informativeStars = stars.filter((i) => informative.some((r) => r.index === i));
  return { forStudents: [...informativeStars, ...informative.map((r) => r.index).filter((i) => !isStar(i))] };
}

/**
 * Seats the class for a round: one seat per (token, head). Students are shuffled so partners and
 * tokens change between rounds, then take the plan's seats in its order (the star first); with more
 * students than those seats they are dealt round-robin over them and share seats as teams of nearly
 * equal size. Seats outside the plan are played by AI classmates.
 */
export function seatPlayers(
  playerIds: readonly PlayerId[],
  tokenCount: number,
  headCount: number,
  random: () => number,
  plan: SeatingPlan,
): Seat[] {
  const seats: Seat[] = [];
  for (let head = 0; head < headCount; head++) {
    for (let token = 0; token < tokenCount; token++) {
      seats.push({ index: head * tokenCount + token, token, head, members: [], botAllocation: null });
    }
  }
  const order = plan.forStudents.filter((i) => i >= 0 && i < seats.length);
  if (order.length === 0) return seats;
  shuffled(playerIds, random).forEach((id, i) => seats[order[i % order.length]].members.push(id));
  return seats;
}

/**
 * Where a student joining mid-round sits: the first seat of the plan an AI classmate plays (nobody
 * there, or its students gone), else, while AI classmates still hold the rows with nothing to find,
 * the plan's smallest team rather than one of those rows. When every seat has a student, nowhere:
 * they play from the next round.
 */
export function seatForLateJoiner(state: GameState, round: Round): Seat | undefined {
  const botSeats = round.seats.filter((seat) => isPlayedByBot(state, seat));
  if (botSeats.length === 0) return undefined;
  const plan = seatingPlan(state.lesson, state.cards, round.options).forStudents.map((i) => round.seats[i]).filter((s) => s !== undefined);
  if (plan.length === 0) return botSeats.find((s) => s.members.length === 0) ?? botSeats[0];
  const free = plan.find((seat) => isPlayedByBot(state, seat));
  if (free) return free;
  return plan.reduce((smallest, seat) => (playingMembers(state, seat).length < playingMembers(state, smallest).length ? seat : smallest));
}
