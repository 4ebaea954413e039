/**
 * The game core's data: the session state, the events it accepts and the effects it asks for.
 * Everything here is plain JSON (no classes, no Maps, no Infinity), so a state can be snapshotted,
 * persisted and restored by another process as it is.
 */
import type { AttentionOptions, HeadCards, Matrix } from '../attention/reference';
import type { Lesson } from '../lessons/schema';
import type { RoundAllocations } from './allocations';
import type { Phase, ProtocolError, ServerNotice, Settings, SettingsPatch } from '../protocol';

/** Opaque: the server mints it and keeps the mapping from a player's secret (hashed) to it. */
export type PlayerId = string;

export interface Player {
  id: PlayerId;
  nickname: string;
  joinedAt: number;
  /** No socket open: the seat is held for the grace period. */
  away: boolean;
  awaySince: number | null;
  /** Away past the grace period: an AI classmate plays their seat until they return. */
  replacedByBot: boolean;
  /** Removed by the teacher; every later event of theirs is refused. */
  kicked: boolean;
  /**
   * The browser they joined from, as the server's hash of the id it keeps (never shown in a view):
   * a removed student's browser cannot join again under another name. Absent in older snapshots.
   */
  device?: string | null;
  /** Cumulative points over the revealed rounds (scores plus speed bonuses). */
  total: number;
  roundsPlayed: number;
}

/** One (token, head) position of the sentence. */
export interface Seat {
  index: number;
  token: number;
  head: number;
  /** The students sharing this seat (a team when more than one). */
  members: PlayerId[];
  /**
   * What the AI classmate chose, while one plays this seat and the model's answer is known. Derived
   * from the true attention, so no view shows it before the reveal.
   */
  botAllocation: number[] | null;
}

/** A student's own allocation; each team member is scored on theirs. */
export interface PlayerAllocation {
  /** One weight per token of the sentence (0 where the seat may not look). */
  weights: number[];
  /** The student moved it at least once (it starts uniform). */
  touched: boolean;
  updatedAt: number | null;
  /** The student declared themselves done; the allocation no longer changes. */
  lockedIn: boolean;
  lockedInAt: number | null;
  /** Negotiation time used (pauses left out) when the student last committed: moved a slider or locked in. */
  committedAfterMs: number | null;
}

export interface KeyRequest {
  id: string;
  head: number;
  fromSeat: number;
  toSeat: number;
  fromToken: number;
  toToken: number;
  requestedBy: PlayerId;
  status: 'pending' | 'shared';
  sharedBy: PlayerId | 'bot' | 'teacher' | null;
  /** When it was asked and answered (absent in snapshots saved before these were kept). */
  requestedAt?: number;
  sharedAt?: number | null;
}

export interface RoundTimer {
  /** The negotiation's length (added time included); null when the round has no timer. */
  durationMs: number | null;
  /** When `timer:expired` locks the round; null while paused, before negotiation and after the lock. */
  deadline: number | null;
  /** While paused: what was left. */
  pausedRemainingMs: number | null;
}

export interface Round {
  number: number;
  /** Frozen when the round starts: a settings change mid-round applies from the next round. */
  options: AttentionOptions;
  startedAt: number;
  negotiationOpenedAt: number | null;
  /** Time negotiation spent paused so far, and since when it is paused now: pauses cost no speed bonus. */
  pausedMs: number;
  pausedAt: number | null;
  lockedAt: number | null;
  seats: Seat[];
  /** Each seated student's allocation (kept after a kick), sharded so a move copies little: see allocations.ts. */
  allocations: RoundAllocations;
  keyRequests: KeyRequest[];
  keysRevealed: boolean;
  /** The teacher asked for the reveal before the model's answer arrived. */
  revealPending: boolean;
  /**
   * Which step of the projector's reveal the teacher last chose (an index into REVEAL_STEP_NAMES).
   * Absent in sessions saved before the reveal could be stepped from the dashboard: read as 0.
   */
  revealStep?: number;
  timer: RoundTimer;
}

/** The model's answer for one round, as the engine returned it (per head: weights and outputs). */
export interface TrueAttention {
  round: number;
  heads: { weights: Matrix; outputs: Matrix }[];
}

export interface PlayerResult {
  playerId: PlayerId;
  seat: number;
  token: number;
  head: number;
  allocation: number[];
  trueRow: number[];
  score: number;
  bonus: number;
  output: number[];
  trueOutput: number[];
  cosine: number;
  overWeighted: { token: number; by: number } | null;
  /** The student moved a slider; false: the even split they were dealt, scored as it is but marked. */
  touched: boolean;
  /** How `score` was earned (see `scoreBreakdown`). */
  topKeyPoints: number;
  spreadPoints: number;
  foundTopKey: boolean;
  /** The model's top key(s) in this row; empty for an even row. */
  topKeys: number[];
  /** The keys the student gave their largest weight; empty for an even split. */
  chosenKeys: number[];
  evenRow: boolean;
  /**
   * How the student got there, so a passive even split is told from a deliberate one. Absent in
   * results saved before they were kept.
   */
  moved?: boolean;
  lockedIn?: boolean;
  lockedInAt?: number | null;
  /** Negotiation time (pauses left out) when the student locked in; null when they did not. */
  lockedAfterMs?: number | null;
}

export interface SeatResult {
  seat: number;
  token: number;
  head: number;
  playedByBot: boolean;
  /** Students played the seat and none of them moved a slider. */
  untouched: boolean;
  allocation: number[];
  trueRow: number[];
  score: number;
}

export interface RoundResults {
  round: number;
  options: AttentionOptions;
  revealedAt: number;
  truth: TrueAttention;
  players: PlayerResult[];
  seats: SeatResult[];
  /** Mean of the students' scores (AI classmates are not the class); null when nobody was scored. */
  classScore: number | null;
}

export interface GameState {
  sessionId: string;
  code: string;
  /** Bumped by every accepted event; views carry it so clients drop stale updates. */
  version: number;
  createdAt: number;
  /** A snapshot: editing the curated lesson later does not change a running session. */
  lesson: Lesson;
  cards: HeadCards[];
  settings: Settings;
  phase: Phase;
  paused: boolean;
  /** The current round, or the last one once it is over; null before the first. */
  round: Round | null;
  /** The results of every revealed round, oldest first. */
  history: RoundResults[];
  /** In join order, kicked ones included (their nickname stays taken). */
  players: Player[];
  /** Source of request ids, so they are deterministic. */
  nextId: number;
  /** When a person (teacher or student, not the server's timers) last had an event accepted; absent in older snapshots. */
  lastActivityAt?: number;
  /** Skeletons of the nicknames the teacher approved while the lobby is locked. Absent in older snapshots. */
  admitted?: string[];
  /** Never read by a student or stage view: the model's answer before the reveal. */
  server: { truth: TrueAttention | null };
}

/** Who sent an event. The server fills it from the socket's proven identity; the reducer decides what each may do. */
export type Actor = { role: 'teacher' } | { role: 'student'; playerId: PlayerId } | { role: 'system' };

/** The events the reducer accepts, without their sender. */
export type GameEventBody =
  // A student (the server minted the player id and its secret).
  | { type: 'seat:join'; nickname: string; device?: string | null }
  | { type: 'seat:rejoin' }
  | { type: 'key:request'; round: number; token: number }
  | { type: 'key:share'; round: number; requestId: string }
  | { type: 'attention:allocate'; round: number; weights: number[] }
  | { type: 'attention:lock'; round: number }
  // The teacher.
  | { type: 'teacher:start-round' }
  | { type: 'teacher:open-negotiation' }
  | { type: 'teacher:pause' }
  | { type: 'teacher:resume' }
  | { type: 'teacher:add-time'; seconds: number }
  | { type: 'teacher:lock' }
  | { type: 'teacher:reveal' }
  | { type: 'teacher:next-round' }
  | { type: 'teacher:podium' }
  | { type: 'teacher:reveal-keys' }
  /** Moves the projector's reveal to a step (the dashboard's Next, Back and Skip). */
  | { type: 'teacher:reveal-step'; step: number }
  | { type: 'teacher:kick'; playerId: PlayerId }
  /** Lets a removed student back in: their browser and name may join again, their secret works again. */
  | { type: 'teacher:readmit'; playerId: PlayerId }
  /** Approves a name while the lobby is locked: a student may join under it. */
  | { type: 'teacher:admit'; nickname: string }
  | { type: 'teacher:rename'; playerId: PlayerId; nickname: string }
  | { type: 'teacher:settings'; settings: SettingsPatch }
  | { type: 'teacher:end' }
  // The server itself: the engine's answer, timers, sockets coming and going.
  | { type: 'attention:computed'; round: number; attention: { heads: { weights: Matrix; outputs: Matrix }[] } }
  | { type: 'timer:expired'; round: number }
  | { type: 'presence:disconnect'; playerId: PlayerId }
  | { type: 'presence:timeout'; playerId: PlayerId; awaySince: number }
  /** Nobody ran this session for the idle time: it ends as if the teacher had ended it. */
  | { type: 'session:expire' };

export type GameEvent = GameEventBody & { by: Actor };
export type GameEventType = GameEventBody['type'];

/** Why a snapshot should be written. */
export type PersistReason =
  | 'created'
  | 'phase'
  | 'roster'
  | 'results'
  /** A student locked in: stored at once, so a crash never loses a final answer. */
  | 'lock'
  /** A student moved a slider: the server may gather these and store them a moment later. */
  | 'moves';

/** What the reducer asks the server to do after an accepted event, in order. */
export type Effect =
  /** Snapshot the state (at every phase change, join, kick and reveal). */
  | { type: 'persist'; reason: PersistReason }
  /** Run the engine for this round (all heads, one batched call) and dispatch `attention:computed`. */
  | { type: 'compute-attention'; round: number; options: AttentionOptions }
  /** Dispatch `event` at time `at`; a timer with the same key is replaced. */
  | { type: 'schedule-timer'; key: string; at: number; event: GameEvent }
  | { type: 'cancel-timer'; key: string }
  /** Views changed: send the recipients in `changes` their `viewFor` (the server may coalesce). */
  | { type: 'broadcast'; changes: ViewChanges }
  /** A one-off message to these students' sockets. */
  | { type: 'notify'; playerIds: PlayerId[]; notice: ServerNotice }
  /** Close a kicked student's sockets (after the notice) and forget their secret. */
  | { type: 'disconnect-player'; playerId: PlayerId };

/**
 * Whose view an accepted event changed (the version left out): the server rebuilds and sends only
 * these. `everyone` covers every student; otherwise `students` names them.
 */
export interface ViewChanges {
  teacher: boolean;
  stage: boolean;
  everyone: boolean;
  /** Read-only: it may be a seat's members list of the state itself. */
  students: readonly PlayerId[];
}

/** Time and chance, injected so the reducer stays pure and tests are repeatable. */
export interface GameContext {
  now: number;
  random: () => number;
}

export type ReduceResult = { ok: true; state: GameState; effects: Effect[] } | { ok: false; error: ProtocolError };

/** Timer keys, so the server and the reducer name them alike. */
export const timerKeys = {
  round: 'round',
  presence: (playerId: PlayerId) => `presence:${playerId}`,
} as const;

/** How long a disconnected student's seat is held before an AI classmate plays it. */
export const AWAY_GRACE_MS = 2 * 60 * 1000;
