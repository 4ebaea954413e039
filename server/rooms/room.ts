/**
 * One live session: its game state, the hashes of the secrets that prove roles in it, the sockets
 * watching it, and the only queue through which its state changes. Everything the reducer asks for
 * (persist, engine, timers, notices, disconnects, broadcasts) is carried out here, in order.
 */
import type { AttentionEngine } from '../../lib/attention/engine';
import type { AttentionOptions } from '../../lib/attention/reference';
import {
  AWAY_GRACE_MS,
  reduce,
  timerKeys,
  viewFor,
  withShardedAllocations,
  type Effect,
  type GameEvent,
  type GameState,
  type PersistReason,
  type PlayerId,
  type ReduceResult,
  type ViewChanges,
} from '../../lib/game';
import { diffView, ErrorCode, roomNames, type AnyView, type ServerNotice } from '../../lib/protocol';
import type { SessionRecord, SessionRepository } from '../persistence/repository';
import { hashSecret } from '../secrets';
import type { CancelTimer, Clock } from './clock';
import { errorFields, type Logger } from '../log';
import { SerialQueue } from './queue';
import type { ArenaIo, MemberSocket, Identity } from './types';

/** What every room shares: the process's parts. */
export interface RoomEnv {
  io: ArenaIo;
  engine: Pick<AttentionEngine, 'attendLayer'>;
  repository: SessionRepository;
  clock: Clock;
  /** Chance for the reducer (seating, AI classmates); never for secrets. */
  random: () => number;
  logger: Logger;
  /**
   * The projector and the teacher get at most one update per this many milliseconds (phase changes
   * excepted); whoever sent the event hears back at once.
   */
  stageIntervalMs: number;
  /**
   * Students get at most one update per this many milliseconds for what others did (a teammate's
   * sliders, a request for their key); phase changes and their own moves are answered at once.
   */
  teammateIntervalMs: number;
  /** After a restart, how long students have to reconnect before they are marked away. */
  reconnectGraceMs: number;
  /** Slider moves are stored at most this long after they were made. */
  movesSaveDelayMs: number;
}

/** Called inside the queue once the reducer accepted an event, before its effects run. */
export interface ApplyHooks {
  onAccepted?: (state: GameState) => void;
}

const SYSTEM = { role: 'system' } as const;

/** A save that takes this long is worth an operator's attention (it holds up the room's queue). */
export const SLOW_SAVE_MS = 250;

/** Refusals of the server's own events that are part of normal life (a timer that lost a race). */
const EXPECTED_SYSTEM_REFUSALS: readonly string[] = [ErrorCode.timerStale, ErrorCode.presenceStale, ErrorCode.sessionEnded, ErrorCode.roundStale];

export class Room {
  private current: GameState;
  private readonly hostHash: string;
  private readonly playerHashes: Record<PlayerId, string>;
  private readonly playerBySecretHash = new Map<string, PlayerId>();

  private readonly queue = new SerialQueue();
  private readonly timers = new Map<string, CancelTimer>();
  private readonly engineRuns = new Set<Promise<void>>();
  private closed = false;
  /** Cancels the pending save of gathered slider moves, while one is pending. */
  private movesTimer: CancelTimer | null = null;
  /** Saves not yet stored. */
  private readonly saving = new Set<Promise<void>>();
  /** The saves the running queue task started: its caller hears back once they are stored. */
  private taskSaves: Promise<void>[] | null = null;

  private readonly teachers = new Set<MemberSocket>();
  private readonly stages = new Set<MemberSocket>();
  private readonly players = new Map<PlayerId, Set<MemberSocket>>();
  /** The state version each recipient was last sent, so a view goes out once per version at most. */
  private readonly sentVersion = new Map<string, number>();
  /** Each recipient's view as its sockets hold it: the base of the next patch. */
  private readonly bases = new Map<string, AnyView>();

  /** This room's log lines carry its join code (never a secret). */
  private readonly log: Logger;

  /**
   * Views the reducer said changed and that have not gone out yet (latest state wins). The students
   * are kept as the lists the reducer named, by reference: a team's moves name the same members
   * list each time, so a move costs one entry here whatever the size of the team.
   */
  private readonly due = { teacher: false, stage: false, everyone: false, students: new Set<readonly PlayerId[]>() };
  /** The teacher's and projector's updates, and the students', each paced on their own. */
  private readonly lanes: Record<'room' | 'students', { timer: CancelTimer | null; flushedAt: number | null }> = {
    room: { timer: null, flushedAt: null },
    students: { timer: null, flushedAt: null },
  };
  private flushedPhase: string | null = null;
  /** The event being applied: its sender is answered at once, the others coalesced. */
  private applying: GameEvent | null = null;

  constructor(
    private readonly env: RoomEnv,
    record: SessionRecord,
  ) {
    // A snapshot saved before the allocations were sharded holds one record of them.
    this.current = withShardedAllocations(record.state);
    this.log = env.logger.child({ session: record.state.code });
    this.hostHash = record.hostSecretHash;
    this.playerHashes = { ...record.playerSecretHashes };
    for (const [playerId, hash] of Object.entries(this.playerHashes)) this.playerBySecretHash.set(hash, playerId);
  }

  get state(): GameState {
    return this.current;
  }

  get sessionId(): string {
    return this.current.sessionId;
  }

  get code(): string {
    return this.current.code;
  }

  get hostSecretHash(): string {
    return this.hostHash;
  }

  /** Whether a teacher's socket is attached. */
  get teacherPresent(): boolean {
    return this.teachers.size > 0;
  }

  /** Whether any socket is attached. */
  get watched(): boolean {
    return this.teachers.size > 0 || this.stages.size > 0 || this.players.size > 0;
  }

  /**
   * The record the repository stores. The state is never changed in place (each event makes a new
   * one), so a repository that writes it later still writes this version.
   */
  record(): SessionRecord {
    return { state: this.current, hostSecretHash: this.hostHash, playerSecretHashes: { ...this.playerHashes } };
  }

  // ——— the queue ———

  /**
   * Runs `task` in the room's queue: after everything enqueued before it, before anything after.
   * Resolves once the saves it started are stored (so an ack still follows durability), but the queue
   * moves on before that: saves of events close together are written together.
   */
  async enqueue<T>(task: () => T | Promise<T>): Promise<T> {
    let saves: Promise<void>[] = [];
    const value = await this.queue.run(async () => {
      this.taskSaves = saves;
      try {
        return await task();
      } finally {
        saves = this.taskSaves;
        this.taskSaves = null;
      }
    });
    await Promise.all(saves);
    return value;
  }

  /**
   * Applies one event and runs its effects. Only from inside `enqueue` (or through `dispatch`): two
   * applies must never interleave.
   */
  async apply(event: GameEvent, hooks: ApplyHooks = {}): Promise<ReduceResult> {
    if (this.closed) return { ok: false, error: { code: ErrorCode.sessionNotFound, message: 'This session is closing on this server.' } };
    const result = reduce(this.current, event, { now: this.env.clock.now(), random: this.env.random });
    if (!result.ok) return result;
    this.current = result.state;
    hooks.onAccepted?.(result.state);
    this.applying = event;
    try {
      await this.runEffects(result.effects);
    } finally {
      this.applying = null;
    }
    return result;
  }

  /** Enqueues one event; resolves with the reducer's answer once its effects have run. */
  dispatch(event: GameEvent, hooks?: ApplyHooks): Promise<ReduceResult> {
    return this.enqueue(() => this.apply(event, hooks));
  }

  /** The server's own events: a refusal is logged and dropped, never thrown. */
  async dispatchSystem(event: GameEvent): Promise<void> {
    try {
      const result = await this.dispatch(event);
      if (!result.ok && !EXPECTED_SYSTEM_REFUSALS.includes(result.error.code)) {
        this.log.warn({ family: 'room', event: event.type, code: result.error.code }, `${event.type} refused: ${result.error.message}`);
      }
    } catch (error) {
      this.log.error({ family: 'room', event: event.type, ...errorFields(error) }, `${event.type} failed`);
    }
  }

  // ——— secrets ———

  /** Remembers a new player's secret (its hash) so `seat:rejoin` can find them. */
  addPlayerSecret(playerId: PlayerId, secretHash: string): void {
    this.playerHashes[playerId] = secretHash;
    this.playerBySecretHash.set(secretHash, playerId);
  }

  /** The player a secret belongs to, kicked ones included (the reducer tells them they were kicked). */
  playerForSecret(secret: string): PlayerId | null {
    return this.playerBySecretHash.get(hashSecret(secret)) ?? null;
  }

  // ——— sockets ———

  /** Adds a socket whose identity a handler has proven. Only from inside the queue, so no broadcast is missed. */
  attach(socket: MemberSocket, identity: Identity): void {
    const rooms = [roomNames.session(this.sessionId)];
    if (identity.role === 'teacher') {
      this.teachers.add(socket);
      this.bases.delete(TEACHER_KEY);
      rooms.push(roomNames.teacher(this.sessionId));
    } else if (identity.role === 'stage') {
      this.stages.add(socket);
      this.bases.delete(STAGE_KEY);
      rooms.push(roomNames.stage(this.sessionId));
    } else {
      const sockets = this.players.get(identity.playerId) ?? new Set<MemberSocket>();
      sockets.add(socket);
      this.players.set(identity.playerId, sockets);
      this.bases.delete(playerCacheKey(identity.playerId));
      rooms.push(roomNames.player(this.sessionId, identity.playerId));
    }
    void socket.join(rooms);
  }

  /** Removes a socket; returns the student whose last socket this was, if any. */
  detach(socket: MemberSocket, identity: Identity): PlayerId | null {
    void socket.leave(roomNames.session(this.sessionId));
    if (identity.role === 'teacher') {
      this.teachers.delete(socket);
      void socket.leave(roomNames.teacher(this.sessionId));
      if (this.teachers.size === 0) {
        this.sentVersion.delete(TEACHER_KEY);
        this.bases.delete(TEACHER_KEY);
      }
      return null;
    }
    if (identity.role === 'stage') {
      this.stages.delete(socket);
      void socket.leave(roomNames.stage(this.sessionId));
      if (this.stages.size === 0) {
        this.sentVersion.delete(STAGE_KEY);
        this.bases.delete(STAGE_KEY);
      }
      return null;
    }
    void socket.leave(roomNames.player(this.sessionId, identity.playerId));
    const sockets = this.players.get(identity.playerId);
    if (!sockets?.delete(socket) || sockets.size > 0) return null;
    this.players.delete(identity.playerId);
    this.sentVersion.delete(playerCacheKey(identity.playerId));
    this.bases.delete(playerCacheKey(identity.playerId));
    return identity.playerId;
  }

  /**
   * A student's last socket went: tell the reducer they are away, unless a socket of theirs arrived
   * in the meantime (a reload's new socket can overtake the old one's disconnect).
   */
  async playerLeft(playerId: PlayerId): Promise<void> {
    try {
      const result = await this.enqueue(() =>
        this.isConnected(playerId) ? null : this.apply({ type: 'presence:disconnect', playerId, by: SYSTEM }),
      );
      if (result && !result.ok && !EXPECTED_SYSTEM_REFUSALS.includes(result.error.code)) {
        this.log.warn({ family: 'room', event: 'presence:disconnect', code: result.error.code }, `presence:disconnect refused: ${result.error.message}`);
      }
    } catch (error) {
      this.log.error({ family: 'room', event: 'presence:disconnect', ...errorFields(error) }, 'presence:disconnect failed');
    }
  }

  /** Whether a student has a socket open in this room. */
  isConnected(playerId: PlayerId): boolean {
    return (this.players.get(playerId)?.size ?? 0) > 0;
  }

  /**
   * The view this identity may see now, for an answer. The socket then holds a view the patches were
   * not built on, so the next update to this recipient goes out whole.
   */
  viewOf(identity: Identity): AnyView {
    if (identity.role === 'teacher') {
      this.bases.delete(TEACHER_KEY);
      return viewFor(this.current, { kind: 'teacher' });
    }
    if (identity.role === 'stage') {
      this.bases.delete(STAGE_KEY);
      return viewFor(this.current, { kind: 'stage' });
    }
    this.bases.delete(playerCacheKey(identity.playerId));
    return viewFor(this.current, { kind: 'student', playerId: identity.playerId });
  }

  // ——— effects ———

  /** Carries out the reducer's requests in order. Inside the queue only. */
  async runEffects(effects: readonly Effect[]): Promise<void> {
    for (const effect of effects) {
      switch (effect.type) {
        case 'persist':
          this.persist(effect.reason);
          break;
        case 'compute-attention':
          this.computeAttention(effect.round, effect.options);
          break;
        case 'schedule-timer':
          this.schedule(effect.key, effect.at, effect.event);
          break;
        case 'cancel-timer':
          this.cancelTimer(effect.key);
          break;
        case 'notify':
          for (const playerId of effect.playerIds) this.notify(playerId, effect.notice);
          break;
        case 'disconnect-player':
          this.disconnectPlayer(effect.playerId);
          break;
        case 'broadcast':
          this.broadcast(effect.changes);
          break;
      }
    }
  }

  private persist(reason: PersistReason): void {
    if (reason === 'moves') {
      // A class dragging sliders would otherwise write on every move: gather them, one save per delay.
      this.movesTimer ??= this.env.clock.schedule(this.env.movesSaveDelayMs, () => {
        this.movesTimer = null;
        if (!this.closed) void this.queue.run(() => this.save('moves'));
      });
      return;
    }
    // Every save stores the whole state, so it carries the gathered moves too.
    this.movesTimer?.();
    this.movesTimer = null;
    this.save(reason);
  }

  /** Starts storing the current record; the running queue task's caller waits for it (see `enqueue`). */
  private save(reason: PersistReason): void {
    const saved = this.store(reason);
    this.saving.add(saved);
    void saved.finally(() => this.saving.delete(saved));
    this.taskSaves?.push(saved);
  }

  private async store(reason: PersistReason): Promise<void> {
    const startedAt = performance.now();
    try {
      await this.env.repository.saveSession(this.record(), reason);
      const ms = Math.round(performance.now() - startedAt);
      if (ms >= SLOW_SAVE_MS) this.log.warn({ family: 'persistence', reason, ms }, 'slow save');
      else this.log.debug({ family: 'persistence', reason, ms }, 'saved');
    } catch (error) {
      // The room goes on from memory; the next snapshot carries this change too.
      this.log.error({ family: 'persistence', reason, ms: Math.round(performance.now() - startedAt), ...errorFields(error) }, 'saving the session failed');
    }
  }

  /**
   * Runs the engine outside the queue (the room keeps taking moves meanwhile) and brings its answer
   * back through the queue as `attention:computed`. A failure is logged; `teacher:reveal` asks again.
   */
  private computeAttention(round: number, options: AttentionOptions): void {
    const { cards, lesson } = this.current;
    const run = (async () => {
      try {
        const layer = await this.env.engine.attendLayer(cards, lesson.wO, options);
        if (this.closed) return;
        await this.dispatchSystem({
          type: 'attention:computed',
          round,
          attention: { heads: layer.heads.map((h) => ({ weights: h.weights, outputs: h.outputs })) },
          by: SYSTEM,
        });
      } catch (error) {
        this.log.error({ family: 'engine', round, ...errorFields(error) }, 'the engine failed');
      }
    })();
    this.engineRuns.add(run);
    void run.finally(() => this.engineRuns.delete(run));
  }

  private schedule(key: string, at: number, event: GameEvent): void {
    this.cancelTimer(key);
    const arm = () => {
      const cancel = this.env.clock.schedule(at - this.env.clock.now(), () => {
        // Node's timers run on a monotonic clock and may fire a millisecond before the wall clock
        // reaches `at`; the reducer would call such a timer stale and the round would never lock.
        if (this.env.clock.now() < at) {
          arm();
          return;
        }
        this.timers.delete(key);
        void this.dispatchSystem(event);
      });
      this.timers.set(key, cancel);
    };
    arm();
  }

  private cancelTimer(key: string): void {
    this.timers.get(key)?.();
    this.timers.delete(key);
  }

  private notify(playerId: PlayerId, notice: ServerNotice): void {
    const target = this.env.io.to(roomNames.player(this.sessionId, playerId));
    switch (notice.event) {
      case 'key:requested':
        target.emit('key:requested', notice.data);
        break;
      case 'key:shared':
        target.emit('key:shared', notice.data);
        break;
      case 'player:kicked':
        target.emit('player:kicked', notice.data);
        break;
    }
  }

  /**
   * Closes a kicked student's sockets. Their secret's hash is kept on purpose: a phone that comes
   * back with it is answered `auth/kicked` by the reducer instead of a puzzling `auth/bad-secret`.
   */
  private disconnectPlayer(playerId: PlayerId): void {
    const sockets = [...(this.players.get(playerId) ?? [])];
    for (const socket of sockets) {
      const identity = socket.data.identity;
      // Detached first, so its disconnect is not taken for a student who went away.
      socket.data.identity = null;
      if (identity) this.detach(socket, identity);
      socket.disconnect(true);
    }
  }

  // ——— views ———

  /**
   * Marks the changed views due and sends them: at once on a phase change (the class looks up for it)
   * or when nothing went out for an interval, else on the interval's trailing edge, built from the
   * state as it is then. The sender of the event gets their own view at once.
   */
  private broadcast(changes: ViewChanges): void {
    const due = this.due;
    due.teacher ||= changes.teacher || changes.everyone;
    due.stage ||= changes.stage || changes.everyone;
    due.everyone ||= changes.everyone;
    if (changes.students.length > 0) due.students.add(changes.students);
    this.answerSender(changes);
    const phase = stagePhaseKey(this.current);
    if (phase !== this.flushedPhase) {
      this.flushedPhase = phase;
      this.flushRoomViews();
      this.flushStudents();
      return;
    }
    if (due.teacher || due.stage) this.pace('room', this.env.stageIntervalMs, () => this.flushRoomViews());
    if (due.everyone || due.students.size > 0) this.pace('students', this.env.teammateIntervalMs, () => this.flushStudents());
  }

  /** Flushes a lane now when it was quiet for an interval, else once the interval is up. */
  private pace(name: 'room' | 'students', intervalMs: number, flush: () => void): void {
    const lane = this.lanes[name];
    const now = this.env.clock.now();
    if (lane.flushedAt === null || now - lane.flushedAt >= intervalMs) {
      flush();
      return;
    }
    lane.timer ??= this.env.clock.schedule(lane.flushedAt + intervalMs - now, () => {
      lane.timer = null;
      flush();
    });
  }

  /**
   * The sender's own view, when the event changed it, without waiting for the interval. A slider
   * move is the exception: its ack answers at once and the phone shows the sliders it sent, so the
   * view that echoes them goes with the teammates' updates, at the students' pace; a thousand
   * phones dragging sliders would otherwise double the frames the server writes.
   */
  private answerSender(changes: ViewChanges): void {
    const event = this.applying;
    const by = event?.by;
    if (by?.role === 'teacher' && this.due.teacher) {
      this.sendTeacher();
    } else if (by?.role === 'student' && event?.type !== 'attention:allocate' && (changes.everyone || changes.students.includes(by.playerId))) {
      this.sendStudent(by.playerId);
    }
  }

  private flushRoomViews(): void {
    const lane = this.lanes.room;
    lane.timer?.();
    lane.timer = null;
    if (this.closed) return;
    if (this.due.teacher) this.sendTeacher();
    if (this.due.stage) this.sendStage();
    this.due.teacher = false;
    this.due.stage = false;
    lane.flushedAt = this.env.clock.now();
  }

  private flushStudents(): void {
    const lane = this.lanes.students;
    lane.timer?.();
    lane.timer = null;
    if (this.closed) return;
    const due = this.due;
    const students = due.everyone ? this.players.keys() : new Set([...due.students].flat());
    for (const playerId of students) this.sendStudent(playerId);
    due.everyone = false;
    due.students.clear();
    lane.flushedAt = this.env.clock.now();
  }

  private sendTeacher(): void {
    if (this.teachers.size > 0 && this.firstSendOfVersion(TEACHER_KEY)) {
      this.sendPatched(TEACHER_KEY, roomNames.teacher(this.sessionId), viewFor(this.current, { kind: 'teacher' }));
    }
  }

  private sendStage(): void {
    if (this.stages.size > 0 && this.firstSendOfVersion(STAGE_KEY)) {
      this.sendPatched(STAGE_KEY, roomNames.stage(this.sessionId), viewFor(this.current, { kind: 'stage' }));
    }
  }

  /**
   * Sends what changed since the view the recipient holds, or the whole view when it holds none
   * this room knows of. A view that differs only in its version is not sent: the patch after it
   * still applies to what the recipient holds.
   */
  private sendPatched(key: string, room: string, view: AnyView): void {
    const base = this.bases.get(key);
    const patch = base ? diffView(base, view) : 'whole';
    if (patch === null) return;
    this.bases.set(key, view);
    if (patch === 'whole') this.env.io.to(room).emit('state:update', view);
    else this.env.io.to(room).emit('state:patch', patch);
  }

  private sendStudent(playerId: PlayerId): void {
    if (this.players.has(playerId) && this.firstSendOfVersion(playerCacheKey(playerId))) {
      this.sendPatched(playerCacheKey(playerId), roomNames.player(this.sessionId, playerId), viewFor(this.current, { kind: 'student', playerId }));
    }
  }

  /** Records that `key` is sent the current version; false when it already was. */
  private firstSendOfVersion(key: string): boolean {
    if (this.sentVersion.get(key) === this.current.version) return false;
    this.sentVersion.set(key, this.current.version);
    return true;
  }

  // ——— restart and shutdown ———

  /**
   * After a restore from the repository: the timers the snapshot implies are armed again, a missing
   * model answer is asked for again, and students who do not reconnect in time are marked away (the
   * reducer then holds their seat for the usual grace period).
   */
  rearm(): void {
    const state = this.current;
    const round = state.round;
    const effects: Effect[] = [];
    if (round && state.phase === 'negotiate' && !state.paused && round.timer.deadline !== null) {
      effects.push({
        type: 'schedule-timer',
        key: timerKeys.round,
        at: round.timer.deadline,
        event: { type: 'timer:expired', round: round.number, by: SYSTEM },
      });
    }
    for (const player of state.players) {
      if (player.kicked || !player.away || player.replacedByBot || player.awaySince === null) continue;
      effects.push({
        type: 'schedule-timer',
        key: timerKeys.presence(player.id),
        at: player.awaySince + AWAY_GRACE_MS,
        event: { type: 'presence:timeout', playerId: player.id, awaySince: player.awaySince, by: SYSTEM },
      });
    }
    if (round && ['cards', 'negotiate', 'locked'].includes(state.phase) && state.server.truth?.round !== round.number) {
      effects.push({ type: 'compute-attention', round: round.number, options: { ...round.options } });
    }
    void this.enqueue(() => this.runEffects(effects));
    const cancel = this.env.clock.schedule(this.env.reconnectGraceMs, () => {
      this.timers.delete(RECONNECT_KEY);
      for (const player of this.current.players) {
        if (!player.kicked && !player.away) void this.playerLeft(player.id);
      }
    });
    this.timers.set(RECONNECT_KEY, cancel);
  }

  /**
   * Stops the room: no more events, timers or engine answers; resolves once work in flight is done.
   * `save: false` drops the moves not stored yet (another process owns the room now).
   */
  async close({ save = true }: { save?: boolean } = {}): Promise<void> {
    if (this.movesTimer && !save) {
      this.movesTimer();
      this.movesTimer = null;
    }
    if (this.movesTimer) {
      // Shutting down: store the gathered moves now rather than lose them.
      this.movesTimer();
      this.movesTimer = null;
      void this.queue.run(() => this.save('moves'));
    }
    this.closed = true;
    for (const cancel of this.timers.values()) cancel();
    this.timers.clear();
    for (const lane of Object.values(this.lanes)) {
      lane.timer?.();
      lane.timer = null;
    }
    await Promise.allSettled([...this.engineRuns]);
    await this.queue.idle();
    await Promise.all([...this.saving]);
  }
}

const RECONNECT_KEY = 'restore:reconnect';
const TEACHER_KEY = 'teacher';
const STAGE_KEY = 'stage';

function playerCacheKey(playerId: PlayerId): string {
  return `player:${playerId}`;
}

function stagePhaseKey(state: GameState): string {
  return `${state.phase}|${state.paused}|${state.round?.number ?? 0}`;
}
