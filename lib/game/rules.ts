/** Questions about a state that the reducer, the scoring and the views all ask the same way. */
import { ErrorCode, type ProtocolError } from '../protocol';
import { allocationOf } from './allocations';
import type { GameState, Player, PlayerId, Round, RoundResults, Seat } from './types';

/** How far a sum may stray from 1 and still be a distribution (a slider's rounding, float error). */
export const DISTRIBUTION_TOLERANCE = 1e-6;

/**
 * Where each player stands in a players array. Players are only ever appended (a kicked one stays),
 * so an index stays right for its array and only needs the newcomers added; the reducer shares the
 * array between states while nobody joins, so a move finds its player without a scan.
 */
const playerPositions = new WeakMap<readonly Player[], Map<PlayerId, number>>();

export function findPlayer(state: GameState, playerId: PlayerId): Player | undefined {
  const players = state.players;
  let positions = playerPositions.get(players);
  if (!positions) {
    positions = new Map();
    playerPositions.set(players, positions);
  }
  for (let i = positions.size; i < players.length; i++) positions.set(players[i].id, i);
  const position = positions.get(playerId);
  return position === undefined ? undefined : players[position];
}

/**
 * Which seat each student holds, per seats array. Seats are shared between states while nobody
 * changes seat; the reducer calls `seatsChanged` wherever a seat's members change.
 */
const seatPositions = new WeakMap<readonly Seat[], Map<PlayerId, number>>();

/** The seat a student plays this round, if any. */
export function seatOf(round: Round, playerId: PlayerId): Seat | undefined {
  let positions = seatPositions.get(round.seats);
  if (!positions) {
    positions = new Map();
    for (const seat of round.seats) for (const member of seat.members) positions.set(member, seat.index);
    seatPositions.set(round.seats, positions);
  }
  const index = positions.get(playerId);
  return index === undefined ? undefined : round.seats[index];
}

/** Forgets the seat index of these seats: a member joined or left one of them. */
export function seatsChanged(seats: readonly Seat[]): void {
  seatPositions.delete(seats);
}

/** Members actually playing the seat: not kicked, not replaced after the grace period. */
export function playingMembers(state: GameState, seat: Seat): PlayerId[] {
  return seat.members.filter((id) => {
    const player = findPlayer(state, id);
    return player !== undefined && !player.kicked && !player.replacedByBot;
  });
}

/** An AI classmate plays a seat no student is playing. */
export function isPlayedByBot(state: GameState, seat: Seat): boolean {
  return playingMembers(state, seat).length === 0;
}

/** The mean of equal-length vectors; null for none. */
export function meanVector(vectors: readonly (readonly number[])[]): number[] | null {
  if (vectors.length === 0) return null;
  const out = new Array<number>(vectors[0].length).fill(0);
  for (const v of vectors) v.forEach((x, i) => (out[i] += x / vectors.length));
  return out;
}

/** What the seat shows: the bot's choice, or the playing members' mean (a team's allocation). */
export function seatAllocation(state: GameState, round: Round, seat: Seat): number[] | null {
  if (isPlayedByBot(state, seat)) return seat.botAllocation;
  return meanVector(playingMembers(state, seat).map((id) => allocationOf(round, id)?.weights ?? []));
}

/** Whether a seat has been shown `token`'s key card for its head. */
export function keyShownToSeat(state: GameState, round: Round, seat: Seat, token: number): boolean {
  if (token === seat.token || round.keysRevealed) return true;
  if (resultsOf(state, round.number)) return true;
  return round.keyRequests.some((r) => r.fromSeat === seat.index && r.toToken === token && r.status === 'shared');
}

export function resultsOf(state: GameState, roundNumber: number): RoundResults | undefined {
  return state.history.find((r) => r.round === roundNumber);
}

/** The current round's results once revealed. */
export function currentResults(state: GameState): RoundResults | null {
  return state.round ? (resultsOf(state, state.round.number) ?? null) : null;
}

/**
 * Why `weights` is not an allocation a seat at `token` may make, or null when it is one:
 * the sentence's length, non-negative, nothing on a later token in a causal round, sums to 1.
 */
export function allocationProblem(
  weights: readonly number[],
  token: number,
  tokenCount: number,
  causal: boolean,
): ProtocolError | null {
  if (weights.length !== tokenCount) {
    return { code: ErrorCode.requestInvalid, message: `An allocation has one weight per token: ${tokenCount}, not ${weights.length}.` };
  }
  if (weights.some((w) => !Number.isFinite(w) || w < 0)) {
    return { code: ErrorCode.attentionNotADistribution, message: 'Weights cannot be negative.' };
  }
  if (causal && weights.some((w, j) => j > token && w > 0)) {
    return {
      code: ErrorCode.attentionCausalViolation,
      message: 'This round is causal: a token may only attend to itself and earlier tokens.',
    };
  }
  const total = weights.reduce((a, b) => a + b, 0);
  if (Math.abs(total - 1) > DISTRIBUTION_TOLERANCE) {
    return { code: ErrorCode.attentionNotADistribution, message: `Weights must add up to 100%, these add up to ${(total * 100).toFixed(2)}%.` };
  }
  return null;
}

export interface Standing {
  playerId: PlayerId;
  nickname: string;
  total: number;
  rounds: number;
  /** Revealed rounds in which the student never moved a slider (scored, and marked as such). */
  untouchedRounds: number;
  rank: number;
}

/**
 * Standings already ranked, per players array. A broadcast builds one view per student and each
 * shows the student's rank: ranking once keeps a move's cost linear in the class. The players array
 * is shared between states until a player changes (the reducer copies it then), so the in-round
 * moves, which change no player, reuse the ranking of the state before.
 */
const rankedPlayers = new WeakMap<readonly Player[], readonly Standing[]>();

/** The cumulative leaderboard: kicked students left out, ties share a rank. */
export function standings(state: GameState): readonly Standing[] {
  const known = rankedPlayers.get(state.players);
  if (known) return known;
  const untouched = new Map<PlayerId, number>();
  for (const results of state.history) {
    for (const r of results.players) if (r.touched === false) untouched.set(r.playerId, (untouched.get(r.playerId) ?? 0) + 1);
  }
  const sorted = state.players.filter((p) => !p.kicked).sort((a, b) => b.total - a.total || a.nickname.localeCompare(b.nickname));
  const ranked: Standing[] = [];
  sorted.forEach((p, i) => {
    // Sorted by total, so the rank is one more than the number of players strictly ahead.
    const rank = i > 0 && sorted[i - 1].total === p.total ? ranked[i - 1].rank : i + 1;
    ranked.push({ playerId: p.id, nickname: p.nickname, total: p.total, rounds: p.roundsPlayed, untouchedRounds: untouched.get(p.id) ?? 0, rank });
  });
  rankedPlayers.set(state.players, ranked);
  return ranked;
}

const standingsById = new WeakMap<readonly Standing[], Map<PlayerId, Standing>>();

/** One student's standing (null when kicked), without a scan per student. */
export function standingOf(state: GameState, playerId: PlayerId): Standing | null {
  const ranked = standings(state);
  let byId = standingsById.get(ranked);
  if (!byId) {
    byId = new Map(ranked.map((s) => [s.playerId, s]));
    standingsById.set(ranked, byId);
  }
  return byId.get(playerId) ?? null;
}
