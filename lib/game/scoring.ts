/** The reveal: every allocation against the model's row. Only the game core scores. */
import { cosineSimilarity, type Matrix } from '../attention/reference';
import { isPlayedByBot, seatAllocation } from './rules';
import { uniformAllocation } from './seating';
import type { GameState, PlayerResult, Round, RoundResults, SeatResult, TrueAttention } from './types';

/** 0–1000: round(1000 × (1 − ½ Σ|p − q|)), one minus the total variation distance. */
export function scoreAllocation(p: readonly number[], q: readonly number[]): number {
  let distance = 0;
  for (let j = 0; j < q.length; j++) distance += Math.abs((p[j] ?? 0) - q[j]);
  return Math.min(1000, Math.max(0, Math.round(1000 * (1 - distance / 2))));
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
 * Time paused by the teacher does not count.
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
      const player = state.players.find((p) => p.id === playerId);
      const allocation = round.allocations[playerId];
      if (!player || player.kicked || !allocation) continue;
      const score = scoreAllocation(allocation.weights, trueRow);
      const output = blendValues(allocation.weights, values[seat.head]);
      players.push({
        playerId,
        seat: seat.index,
        token: seat.token,
        head: seat.head,
        allocation: [...allocation.weights],
        trueRow: [...trueRow],
        score,
        bonus: state.settings.speedBonus ? speedBonus(score, allocation.committedAfterMs, windowMs) : 0,
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
    const shown = seatAllocation(state, round, seat) ?? uniformAllocation(seat.token, trueRow.length, round.options.causal);
    seats.push({
      seat: seat.index,
      token: seat.token,
      head: seat.head,
      playedByBot: isPlayedByBot(state, seat),
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

