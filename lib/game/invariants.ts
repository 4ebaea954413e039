/**
 * What must hold of every state the reducer returns. The fuzz tests assert it after each event; the
 * server may check it after restoring a snapshot written by another process.
 */
import { allocationOf } from './allocations';
import { allocationProblem, currentResults, findPlayer, isPlayedByBot } from './rules';
import type { GameState } from './types';

/** Every broken rule, in words; empty when the state is sound. */
export function invariantViolations(state: GameState): string[] {
  const problems: string[] = [];
  const fail = (message: string) => problems.push(message);
  const tokenCount = state.lesson.tokens.length;
  const headCount = state.lesson.heads.length;

  if (!Number.isInteger(state.version) || state.version < 1) fail(`version ${state.version} is not a positive integer`);
  if (state.phase === 'lobby' && state.round) fail('the lobby has a round');
  if (!['lobby', 'ended'].includes(state.phase) && !state.round) fail(`phase ${state.phase} has no round`);
  if (state.paused && !['cards', 'negotiate'].includes(state.phase)) fail(`paused during ${state.phase}`);

  const ids = new Set<string>();
  for (const player of state.players) {
    if (ids.has(player.id)) fail(`player ${player.id} joined twice`);
    ids.add(player.id);
    if (player.away !== (player.awaySince !== null)) fail(`player ${player.id}: away and awaySince disagree`);
    if (player.replacedByBot && !player.away) fail(`player ${player.id} is replaced by a bot but present`);
    const earned = state.history.flatMap((h) => h.players).filter((r) => r.playerId === player.id);
    const total = earned.reduce((a, r) => a + r.score + r.bonus, 0);
    if (total !== player.total) fail(`player ${player.id}: total ${player.total} is not the sum of their results ${total}`);
  }

  const round = state.round;
  if (round) {
    if (round.seats.length !== tokenCount * headCount) fail(`${round.seats.length} seats for ${tokenCount}×${headCount}`);
    round.seats.forEach((seat, i) => {
      if (seat.index !== i || seat.index !== seat.head * tokenCount + seat.token) fail(`seat ${i} is misnumbered`);
    });
    const seated = new Map<string, number>();
    for (const seat of round.seats) {
      for (const id of seat.members) {
        if (seated.has(id)) fail(`player ${id} holds two seats`);
        seated.set(id, seat.index);
        const player = findPlayer(state, id);
        if (!player) fail(`seat ${seat.index} holds unknown player ${id}`);
        else if (player.kicked) fail(`kicked player ${id} still holds seat ${seat.index}`);
        const allocation = allocationOf(round, id);
        if (!allocation) {
          fail(`player ${id} has no allocation`);
          continue;
        }
        const problem = allocationProblem(allocation.weights, seat.token, tokenCount, round.options.causal);
        if (problem) fail(`player ${id}'s allocation: ${problem.message}`);
        if (allocation.lockedIn !== (allocation.lockedInAt !== null)) fail(`player ${id}: lockedIn and lockedInAt disagree`);
      }
      if (seat.botAllocation) {
        if (!isPlayedByBot(state, seat)) fail(`seat ${seat.index} has a bot allocation but students play it`);
        const problem = allocationProblem(seat.botAllocation, seat.token, tokenCount, round.options.causal);
        if (problem) fail(`seat ${seat.index}'s bot allocation: ${problem.message}`);
      }
    }
    for (const request of round.keyRequests) {
      const from = round.seats[request.fromSeat];
      const to = round.seats[request.toSeat];
      if (!from || !to || from.head !== to.head || from.head !== request.head) fail(`key request ${request.id} crosses heads`);
      if ((request.status === 'shared') !== (request.sharedBy !== null)) fail(`key request ${request.id}: status and sharedBy disagree`);
      if (round.options.causal && request.toToken > request.fromToken) fail(`key request ${request.id} reaches a later token`);
    }
    if (round.pausedAt !== null && !(state.paused && state.phase === 'negotiate')) fail('negotiation counts a pause that is over');
    const { deadline, pausedRemainingMs } = round.timer;
    if (deadline !== null && pausedRemainingMs !== null) fail('the timer is both running and paused');
    if (deadline !== null && (state.phase !== 'negotiate' || state.paused)) fail(`a deadline is set during ${state.phase}${state.paused ? ' (paused)' : ''}`);
    if (pausedRemainingMs !== null && !state.paused) fail('time is frozen but the game is not paused');
    const truth = state.server.truth;
    if (truth && truth.round !== round.number) fail(`the model's answer is for round ${truth.round}, not ${round.number}`);
    const revealed = currentResults(state) !== null;
    if (['reveal', 'podium'].includes(state.phase) && !revealed) fail(`phase ${state.phase} without results`);
    if (['cards', 'negotiate', 'locked'].includes(state.phase) && revealed) fail(`results during ${state.phase}`);
    if (round.revealPending && state.phase !== 'locked') fail(`a reveal is pending during ${state.phase}`);
  }

  for (const results of state.history) {
    for (const r of results.players) {
      if (!Number.isInteger(r.score) || r.score < 0 || r.score > 1000) fail(`round ${results.round}: score ${r.score} out of range`);
    }
  }
  return problems;
}
