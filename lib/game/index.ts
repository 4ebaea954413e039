/**
 * The game core: a session's state, the pure reducer that is its only way to change, the scoring and
 * the per-recipient views. No I/O, no clock, no chance of its own: time and randomness come in `ctx`.
 *
 * How the server uses it (one room = one state, changed through one serialized queue):
 *
 *   1. `createSession({ sessionId, lesson, code }, ctx)` → `{ state, effects }`.
 *   2. For every inbound message: parse it with `parseInbound` (lib/protocol), turn it into a
 *      `GameEvent` with `by` set from the socket's proven identity (`{ role: 'teacher' }`,
 *      `{ role: 'student', playerId }`) — `roomEvent(event, payload, by)` for in-room messages;
 *      `seat:join` becomes `{ type: 'seat:join', nickname, by: { role: 'student', playerId } }` with a
 *      player id the server minted, `seat:rejoin` `{ type: 'seat:rejoin', by }` once the secret's
 *      hash named the player — and call `reduce(state, event, { now, random })`.
 *      `{ ok: false, error }` goes back in the ack untouched (the state is unchanged);
 *      `{ ok: true, state, effects }` replaces the room's state, then the effects run in order.
 *      The server dispatches its own events with `by: { role: 'system' }`: `presence:disconnect` when a
 *      student's last socket goes, and the events effects ask for.
 *   3. Effects:
 *      - `persist`            snapshot the state (phase changes, joins, kicks, reveals).
 *      - `compute-attention`  run the engine on `state.lesson` with `options` (all heads, one batched
 *                             call) and dispatch `{ type: 'attention:computed', round, attention }`.
 *                             Asked at every round start so AI classmates can play; asked again by
 *                             `teacher:reveal` if the answer has not arrived, and the reveal follows it.
 *      - `schedule-timer`     dispatch `event` at `at` (`timer:expired`, `presence:timeout`); the same
 *                             key replaces the earlier timer. A late timer is refused as `timer/stale`
 *                             or `presence/stale`: log and drop it.
 *      - `cancel-timer`       forget the timer with this key.
 *      - `notify`             emit the notice (`key:requested`, `key:shared`, `player:kicked`) to those
 *                             students' sockets.
 *      - `disconnect-player`  close a kicked student's sockets and forget their secret's hash.
 *      - `broadcast`          send each socket `viewFor(state, recipient)` (stage coalesced to ~10/s).
 *   4. `viewFor(state, { kind: 'student', playerId } | { kind: 'teacher' } | { kind: 'stage' })` is the
 *      only way state leaves the room; never send `state` itself (it holds the model's answer early).
 */
export {
  ALLOCATION_SHARDS,
  allocationOf,
  allocationShard,
  eachAllocation,
  emptyAllocations,
  restoredAllocations,
  withAllocation,
  withShardedAllocations,
  type RoundAllocations,
} from './allocations';
export { generateJoinCode } from './code';
export { botAllocation } from './bots';
export { invariantViolations } from './invariants';
export { checkNickname, isProfaneNickname, isReservedNickname, nicknameSkeleton, normalizeNickname, sameNickname, NICKNAME_MAX_LENGTH, type NicknameCheck } from './nickname';
export { seededRandom, shuffled } from './random';
export { isTied, ordinalRank, placeLabel, placeWords, podiumPlaces, PODIUM_PLACES, type PodiumPlace } from './podium';
export { reduce } from './reducer';
export { allocationProblem, currentResults, DISTRIBUTION_TOLERANCE, standings, type Standing } from './rules';
export {
  blendValues,
  chosenKeys,
  EVEN_ROW_MARGIN,
  mean,
  overWeightedKey,
  readRow,
  scoreAllocation,
  scoreBreakdown,
  scoreRound,
  speedBonus,
  SPEED_WINDOW_WITHOUT_TIMER_MS,
  SPREAD_POINTS,
  TOP_KEY_POINTS,
  type RowReading,
  type ScoreBreakdown,
} from './scoring';
export { allowedTokens, seatingPlan, seatPlayers, starSeats, uniformAllocation, type SeatingPlan, type SeatRef } from './seating';
export { applySettingsPatch, createSession, defaultSettings, type CreateSessionInput, type CreateSessionResult } from './session';
export { roomEvent, type RoomEventName } from './translate';
export { viewFor, type Recipient } from './views';
export * from './types';
export { revealVerdict, type VerdictInput } from './verdict';
export { REVEAL_STEP_NAMES, revealStar, revealSteps, type RevealKeyStep, type RevealStepName, type RevealSteps } from './reveal-steps';
