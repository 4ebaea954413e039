/**
 * Every live room of this process, by session id and by join code, and which room each socket
 * belongs to. The registry is where session state lives; nothing else holds a game state.
 */
import { createSession, generateJoinCode } from '../../lib/game';
import type { Lesson } from '../../lib/lessons/schema';
import { ErrorCode, type ProtocolError, type SettingsPatch } from '../../lib/protocol';
import type { SessionRecord, SessionRepository } from '../persistence/repository';
import { errorFields } from '../log';
import { cryptoRandom, hashSecret, mintId, mintSecret, type RandomBytes } from '../secrets';
import { Room, type RoomEnv } from './room';
import type { MemberSocket, Identity } from './types';

export interface RegistryEnv extends RoomEnv {
  randomBytes: RandomBytes;
  /**
   * With several processes, the leases that make this process a room's only owner: a room is held
   * here only while its lease is. Absent: every room of the repository is this process's.
   */
  ownership?: RoomOwnership;
}

/** Which rooms this process may run (server/scale's leases). */
export interface RoomOwnership {
  /** Takes the room's lease; false when another process holds it. */
  claim(sessionId: string): Promise<boolean>;
  /** Gives the lease up; `ended`: the session is over and need not be watched for a takeover. */
  release(sessionId: string, ended: boolean): Promise<void>;
}

/** How often a fresh join code may collide before something is clearly wrong. */
const MAX_CODE_DRAWS = 100;

export class RoomRegistry {
  private readonly rooms = new Map<string, Room>();
  private readonly byCode = new Map<string, string>();
  private readonly reservedCodes = new Set<string>();
  private closed = false;

  constructor(private readonly env: RegistryEnv) {}

  get repository(): SessionRepository {
    return this.env.repository;
  }

  /** Opens a session in its lobby; the host secret is returned once and only its hash is kept. */
  async create(
    lesson: Lesson,
    settings: SettingsPatch | undefined,
  ): Promise<{ ok: true; room: Room; hostSecret: string } | { ok: false; error: ProtocolError }> {
    if (this.closed) return { ok: false, error: { code: ErrorCode.serverInternal, message: 'The server is shutting down.' } };
    const code = await this.freshCode();
    try {
      const created = createSession(
        { sessionId: mintId('s_', this.env.randomBytes), lesson, code, settings },
        { now: this.env.clock.now(), random: this.env.random },
      );
      if (!created.ok) return created;
      if (this.env.ownership && !(await this.env.ownership.claim(created.state.sessionId))) {
        return { ok: false, error: { code: ErrorCode.serverInternal, message: 'The session could not be opened; try again.' } };
      }
      const hostSecret = mintSecret(this.env.randomBytes);
      const room = new Room(this.env, { state: created.state, hostSecretHash: hashSecret(hostSecret), playerSecretHashes: {} });
      this.add(room);
      await room.enqueue(() => room.runEffects(created.effects));
      return { ok: true, room, hostSecret };
    } finally {
      this.reservedCodes.delete(code);
    }
  }

  /** A code no session of this process or the repository has ever had. */
  private async freshCode(): Promise<string> {
    for (let draw = 0; draw < MAX_CODE_DRAWS; draw++) {
      // Never from `env.random`: that is seating chance, seeded in tests and not a secret.
      const code = generateJoinCode(cryptoRandom(this.env.randomBytes));
      if (this.byCode.has(code) || this.reservedCodes.has(code)) continue;
      // Reserved before the lookup awaits, so two sessions opened at once cannot take the same code.
      this.reservedCodes.add(code);
      if ((await this.env.repository.findSessionIdByCode(code)) === null) return code;
      this.reservedCodes.delete(code);
    }
    throw new Error(`no free join code after ${MAX_CODE_DRAWS} draws`);
  }

  private add(room: Room): void {
    this.rooms.set(room.sessionId, room);
    this.byCode.set(room.code, room.sessionId);
  }

  get(sessionId: string): Room | undefined {
    return this.rooms.get(sessionId);
  }

  /** The session a join code names among this process's rooms. */
  localSessionId(code: string): string | undefined {
    return this.byCode.get(code);
  }

  /** The room a join code names, or why there is none to join. */
  async lookup(code: string): Promise<{ ok: true; room: Room } | { ok: false; error: ProtocolError }> {
    const sessionId = this.byCode.get(code);
    const room = sessionId ? this.rooms.get(sessionId) : undefined;
    if (room) return { ok: true, room };
    // Ended rooms leave memory once nobody watches them; the repository still knows their code.
    const known = await this.env.repository.findSessionIdByCode(code);
    if (known !== null) return { ok: false, error: { code: ErrorCode.sessionEnded, message: 'This session has ended.' } };
    return { ok: false, error: { code: ErrorCode.sessionNotFound, message: `No session has the code ${code}.` } };
  }

  /** Every room of this process. */
  all(): Room[] {
    return [...this.rooms.values()];
  }

  /** Ends a session nobody runs any more (the reducer's `session:expire`); it leaves memory once unwatched. */
  async expire(room: Room): Promise<void> {
    await room.dispatchSystem({ type: 'session:expire', by: { role: 'system' } });
    this.evictIfDone(room);
  }

  /** How many rooms are live in this process. */
  get size(): number {
    return this.rooms.size;
  }

  /** Brings back every session the repository holds that has not ended, with its timers. */
  async restore(): Promise<number> {
    const records = await this.env.repository.listLiveSessions();
    let restored = 0;
    for (const record of records) {
      if (this.rooms.has(record.state.sessionId)) continue;
      // With several processes, only the rooms this one wins; the others run the rest.
      if (this.env.ownership && !(await this.env.ownership.claim(record.state.sessionId))) continue;
      this.adopt(record);
      restored++;
    }
    if (restored > 0) this.env.logger.info({ family: 'startup', restored }, `Restored ${restored} live session(s) from the repository`);
    return restored;
  }

  /**
   * Runs a saved session here (a restart, or a takeover from a process that died), with the timers its
   * snapshot implies. False when the room is already here or the session has ended.
   */
  adopt(record: SessionRecord): boolean {
    if (this.rooms.has(record.state.sessionId) || record.state.phase === 'ended' || this.closed) return false;
    const room = new Room(this.env, record);
    this.add(room);
    room.rearm();
    return true;
  }

  /**
   * Forgets a room at once, without saving: this process lost its lease, so another one may be
   * running the room already and only that one may write it.
   */
  drop(sessionId: string): Room | undefined {
    const room = this.rooms.get(sessionId);
    if (!room) return undefined;
    this.rooms.delete(sessionId);
    this.byCode.delete(room.code);
    void room.close({ save: false });
    return room;
  }

  // ——— sockets ———

  /**
   * Gives a socket its proven identity in `room`, leaving any earlier one. Call inside the room's
   * queue, so the socket misses no broadcast between its answer and the next update.
   */
  bind(socket: MemberSocket, identity: Identity, room: Room): void {
    // The same proof twice (a client resyncing by rejoining) changes nothing; leaving first would
    // look like the student's last socket going away.
    if (sameIdentity(socket.data.identity, identity)) return;
    this.unbind(socket);
    socket.data.identity = identity;
    // Proven here: no other process stands between this socket and its room.
    delete socket.data.ownerProcess;
    room.attach(socket, identity);
  }

  /** The socket's room and identity, if it has one. */
  boundRoom(socket: MemberSocket): { room: Room; identity: Identity } | null {
    const identity = socket.data.identity;
    const room = identity ? this.rooms.get(identity.sessionId) : undefined;
    return identity && room ? { room, identity } : null;
  }

  /**
   * Forgets a socket's identity (it disconnected or took another). When it was a student's last
   * socket, the room is told the student went away: their seat is held, then an AI classmate plays it.
   */
  unbind(socket: MemberSocket): void {
    const identity = socket.data.identity;
    if (!identity) return;
    socket.data.identity = null;
    const room = this.rooms.get(identity.sessionId);
    if (!room) return;
    const gone = room.detach(socket, identity);
    if (gone !== null && !this.closed) {
      void room.playerLeft(gone).then(() => this.evictIfDone(room));
    } else {
      this.evictIfDone(room);
    }
  }

  /** An ended session nobody watches any more leaves memory; its record stays in the repository. */
  private evictIfDone(room: Room): void {
    if (room.state.phase !== 'ended' || room.watched || this.rooms.get(room.sessionId) !== room) return;
    this.rooms.delete(room.sessionId);
    this.byCode.delete(room.code);
    void room.close();
    this.env.ownership?.release(room.sessionId, true).catch((error: unknown) => {
      this.env.logger.warn({ family: 'scale', session: room.code, ...errorFields(error) }, 'releasing the lease of an ended session failed; it lapses by itself');
    });
  }

  /** Stops every room (timers, engine answers, queued events) before the sockets are closed. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.rooms.values()].map((room) => room.close()));
  }
}

function sameIdentity(a: Identity | null, b: Identity): boolean {
  if (!a || a.role !== b.role || a.sessionId !== b.sessionId) return false;
  return a.role !== 'student' || (b.role === 'student' && a.playerId === b.playerId);
}
