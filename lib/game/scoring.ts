/** The reveal: every allocation against the model's row. Only the game core scores. */
import { cosineSimilarity, type Matrix } from '../attention/reference';
import { allocationOf } from './allocations';
import { findPlayer, isPlayedByBot, playingMembers, seatAllocation } from './rules';
import { uniformAllocation } from './seating';
import type { GameState, PlayerResult, Round, RoundResults, SeatResult, TrueAttention } from './types';

/** Points for putting your largest weight on the key the model weighs most. */
export const TOP_KEY_POINTS = 500;
/** Points for matching the model's spread: 500 × (1 − ½ Σ|p − q|). */
export const SPREAD_POINTS = 500;
/**
 * A row whose largest weight is within this of an even split has no key worth finding: the query
 * matches every key alike (an all-zero query does exactly that), so leaving the sliders alone is right.
 */
export const EVEN_ROW_MARGIN = 0.05;
/** Weights closer than this are a tie (sliders move in whole percent; identical keys tie exactly). */
const TIE_TOLERANCE = 1e-6;

/** What a model row offers to find: the tokens it may look at, its top keys, whether it is (nearly) even. */
export interface RowReading {
  /** Tokens with any weight (a causal row cannot look ahead). */
  allowed: number[];
  /** The keys sharing the row's largest weight. */
  topKeys: number[];
  peak: number;
  /** The peak is within EVEN_ROW_MARGIN of 1 / allowed: there is no top key to find. */
  even: boolean;
}

export function readRow(row: readonly number[]): RowReading {
  const allowed: number[] = [];
  let peak = 0;
  row.forEach((w, j) => {
    if (w > 0) allowed.push(j);
    if (w > peak) peak = w;
  });
  const topKeys = allowed.filter((j) => row[j] >= peak - TIE_TOLERANCE);
  const even = allowed.length <= 1 || peak - 1 / allowed.length < EVEN_ROW_MARGIN;
  return { allowed, topKeys, peak, even };
}

/** The keys given an allocation's largest weight; empty when every weight is equal (nothing chosen). */
export function chosenKeys(allocation: readonly number[], allowed: readonly number[]): number[] {
  let peak = 0;
  for (const j of allowed) peak = Math.max(peak, allocation[j] ?? 0);
  const chosen = allowed.filter((j) => (allocation[j] ?? 0) >= peak - TIE_TOLERANCE);
  return chosen.length === allowed.length ? [] : chosen;
}

/** How a score was earned. */
export interface ScoreBreakdown {
  /** TOP_KEY_POINTS when the student's largest weight went only to the model's top key(s), else 0. */
  topKeyPoints: number;
  /** SPREAD_POINTS × (1 − ½ Σ|p − q|): how much of the student's 100 % landed where the model's did. */
  spreadPoints: number;
  score: number;
  foundTopKey: boolean;
  /** The model's top key(s) in this row; none in an even row (nothing stood out). */
  topKeys: number[];
  /** The keys the student gave their largest weight; none for an even split. */
  chosenKeys: number[];
  evenRow: boolean;
}

/**
 * 0–1000 = top key (0 or 500) + spread (0–500). A student "found the top key" when every key they gave
 * their largest weight is one the model weighs most (an even split chooses nothing). An even row has no
 * top key, so it tops out at 500, below anyone who found one (they score more than 500: their top key
 * carries some of the model's weight, so the spread part is never 0).
 */
export function scoreBreakdown(p: readonly number[], q: readonly number[]): ScoreBreakdown {
  const row = readRow(q);
  const chosen = chosenKeys(p, row.allowed);
  const foundTopKey = !row.even && chosen.length > 0 && chosen.every((j) => row.topKeys.includes(j));
  let distance = 0;
  for (let j = 0; j < q.length; j++) distance += Math.abs((p[j] ?? 0) - q[j]);
  const spreadPoints = Math.min(SPREAD_POINTS, Math.max(0, Math.round(SPREAD_POINTS * (1 - distance / 2))));
  const topKeyPoints = foundTopKey ? TOP_KEY_POINTS : 0;
  return {
    topKeyPoints,
    spreadPoints,
    score: topKeyPoints + spreadPoints,
    foundTopKey,
    topKeys: row.even ? [] : row.topKeys,
    chosenKeys: chosen,
    evenRow: row.even,
  };
}

/** 0–1000: the top key's 500 when found, plus 500 × (1 − ½ Σ|p − q|). See `scoreBreakdown`. */
export function scoreAllocation(p: readonly number[], q: readonly number[]): number {
  return scoreBreakdown(p, q).score;
}

/** Σ_j w_j · v_j: what a token passes on when it attends with these weights. */
export function blendValues(weights: readonly number[], values: Matrix): number[] {
  const out = new Array<number>(values[0]?.length ?? 0).fill(0);
  weights.forEach((w, j) => values[j].forEach((x, d) => (out[d] += w * x)));
  return out;
}

/** The key given the most weight beyond the model's; null when no key got more than the model gave it. */
export function overWeightedKey(p: readonly number[], q: readonly number[]): { token: number; by: number } | null {
  let best: { token: number; by: number } | null = null;
  for (let j = 0; j < q.length; j++) {
    const by = p[j] - q[j];
    // Float noise is not a lesson: an excess under a thousandth is no excess.
    if (by > 1e-3 && (best === null || by > best.by)) best = { token: j, by };
  }
  return best;
}

/** The time window a speed bonus is measured against when the round has no timer. */
export const SPEED_WINDOW_WITHOUT_TIMER_MS = 120_000;

/**
 * Up to 100 extra points: the share of the negotiation window still left when the student committed
 * (locked in, or last moved a slider), times their accuracy, so rushing a wrong answer earns little.
 * Time paused by the teacher does not count. `scoreRound` pays it only to a student who found the top
 * key (as a quiz pays speed only for a right answer), so speed never lifts a guess above a finding.
 */
export function speedBonus(score: number, committedAfterMs: number | null, windowMs: number): number {
  if (committedAfterMs === null || windowMs <= 0) return 0;
  const left = Math.min(1, Math.max(0, 1 - committedAfterMs / windowMs));
  return Math.round(100 * (score / 1000) * left);
}

/** The mean of some numbers; null for none. */
export function mean(values: readonly number[]): number | null {
  return values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
}

/**
 * Scores a round against the model's answer. Bots must already have allocated (the reducer makes
 * sure): a seat with no allocation to show is compared as uniform over its allowed tokens.
 */
export function scoreRound(state: GameState, round: Round, truth: TrueAttention, now: number): RoundResults {
  const values = state.cards.map((c) => c.v);
  const windowMs = round.timer.durationMs ?? SPEED_WINDOW_WITHOUT_TIMER_MS;
  const players: PlayerResult[] = [];
  const seats: SeatResult[] = [];
  for (const seat of round.seats) {
    const trueRow = truth.heads[seat.head].weights[seat.token];
    const trueOutput = truth.heads[seat.head].outputs[seat.token];
    for (const playerId of seat.members) {
      const player = findPlayer(state, playerId);
      const allocation = allocationOf(round, playerId);
      if (!player || player.kicked || !allocation) continue;
      const breakdown = scoreBreakdown(allocation.weights, trueRow);
      const { score } = breakdown;
      const output = blendValues(allocation.weights, values[seat.head]);
      players.push({
        playerId,
        seat: seat.index,
        token: seat.token,
        head: seat.head,
        allocation: [...allocation.weights],
        trueRow: [...trueRow],
        score,
        bonus: state.settings.speedBonus && breakdown.foundTopKey ? speedBonus(score, allocation.committedAfterMs, windowMs) : 0,
        touched: allocation.touched,
        topKeyPoints: breakdown.topKeyPoints,
        spreadPoints: breakdown.spreadPoints,
        foundTopKey: breakdown.foundTopKey,
        topKeys: breakdown.topKeys,
        chosenKeys: breakdown.chosenKeys,
        evenRow: breakdown.evenRow,
        output,
        trueOutput: [...trueOutput],
        cosine: cosineSimilarity(output, trueOutput),
        overWeighted: overWeightedKey(allocation.weights, trueRow),
        moved: allocation.touched,
        lockedIn: allocation.lockedIn,
        lockedInAt: allocation.lockedIn ? allocation.lockedInAt : null,
        lockedAfterMs: allocation.lockedIn ? allocation.committedAfterMs : null,
      });
    }
    const playing = playingMembers(state, seat);
    const shown = seatAllocation(state, round, seat) ?? uniformAllocation(seat.token, trueRow.length, round.options.causal);
    seats.push({
      seat: seat.index,
      token: seat.token,
      head: seat.head,
      playedByBot: isPlayedByBot(state, seat),
      untouched: playing.length > 0 && playing.every((id) => !allocationOf(round, id)?.touched),
      allocation: shown,
      trueRow: [...trueRow],
      score: scoreAllocation(shown, trueRow),
    });
  }
  return {
    round: round.number,
    options: { ...round.options },
    revealedAt: now,
    truth,
    players,
    seats,
    classScore: mean(players.map((p) => p.score)),
  };
}

