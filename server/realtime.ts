/**
 * The live game over socket.io: the room registry and the handlers, wired to one socket.io server.
 *
 * How a client talks to it (lib/client and the pages; details in server/handlers/README.md):
 *
 *  - Connect with `io(url, { auth: handshakeAuth() })`. An out-of-date page is refused at the door:
 *    `connect_error` whose `data` is `{ code: 'protocol/outdated', message }` — ask for a reload.
 *  - Identity belongs to a socket, not a connection string: after every (re)connect the client sends
 *    its proof again — `session:resume { code, hostSecret }` (teacher), `seat:rejoin { code,
 *    playerSecret }` (student), or `stage:watch { code }` (projector). socket.io's automatic
 *    reconnection gives the server a new socket, so this is needed after every `connect` event.
 *  - Each answer carries a full view; afterwards `state:update` pushes the recipient's view whenever
 *    it changes. Keep the one with the highest `version` and drop older ones. Versions are per
 *    session, so a recipient sees gaps (it is not sent updates that did not change its own view).
 *  - `state:sync {}` returns a full view at any time (after a suspected gap, or periodically).
 *  - A student who is kicked receives `player:kicked`, then the server closes the socket (reason
 *    `io server disconnect`: socket.io does not reconnect by itself). Forget the secret.
 */
import type { AttentionEngine } from '../lib/attention/engine';
import type { Lesson } from '../lib/lessons/schema';
import { DEFAULT_ROOM_SIZE } from '../lib/protocol';
import { registerHandlers, serveForwarded, type HandlerContext } from './handlers/index';
import type { Cluster, Scale } from './scale/index';
import type { Door } from './limits/door';
import { MemorySessionRepository } from './persistence/memory';
import type { SessionRepository } from './persistence/repository';
import type { Clock } from './rooms/clock';
import { RoomRegistry } from './rooms/registry';
import type { ArenaIo } from './rooms/types';
import { defaultRandomBytes, type RandomBytes } from './secrets';
import type { Logger } from './log';

/** At most ~10 projector updates per second per room. */
export const STAGE_UPDATE_INTERVAL_MS = 100;

/**
 * At most 2 updates per second per phone for what others did. A team's mean moves with every
 * member's slider; in a lecture hall a team has dozens of members, and every member's phone would
 * otherwise be written to ten times a second (the room's messages grow as students × rate).
 */
export const TEAMMATE_UPDATE_INTERVAL_MS = 500;

/** After a restart, students have this long to reconnect before they count as away. */
export const RECONNECT_GRACE_MS = 15_000;

/** A slider move is stored at most this long after it was made: a crash loses at most this much of a negotiation. */
export const MOVES_SAVE_DELAY_MS = 1000;

export interface RealtimeDeps {
  engine: Pick<AttentionEngine, 'attendLayer'>;
  /** Any lesson by id, curated or a teacher's own. */
  findLesson: (id: string) => Promise<Lesson | undefined>;
  repository?: SessionRepository;
  clock: Clock;
  random?: () => number;
  randomBytes?: RandomBytes;
  logger: Logger;
  stageIntervalMs?: number;
  /** The budgets every message must fit (server/limits). */
  door: Door;
  /** Students a new session takes unless the teacher sets otherwise. */
  defaultRoomSize?: number;
  teammateIntervalMs?: number;
  /** With several processes (REDIS_URL): leases, forwarding to each room's owner, takeovers. */
  scale?: Scale;
}

export interface Realtime {
  registry: RoomRegistry;
  repository: SessionRepository;
  /** With several processes, this process's part in the cluster. */
  cluster: Cluster | null;
  /**
   * Brings back the live sessions the repository holds (with several processes, those whose lease
   * this process wins); call before accepting connections.
   */
  restore(): Promise<number>;
  /** Stops every room's timers and queued work; sockets are closed by socket.io afterwards. */
  close(): Promise<void>;
}

/** Attaches the game to a socket.io server. */
export function attachRealtime(io: ArenaIo, deps: RealtimeDeps): Realtime {
  const repository = deps.repository ?? new MemorySessionRepository();
  const randomBytes = deps.randomBytes ?? defaultRandomBytes;
  const registry = new RoomRegistry({
    io,
    engine: deps.engine,
    repository,
    clock: deps.clock,
    random: deps.random ?? Math.random,
    randomBytes,
    logger: deps.logger,
    stageIntervalMs: deps.stageIntervalMs ?? STAGE_UPDATE_INTERVAL_MS,
    teammateIntervalMs: deps.teammateIntervalMs ?? TEAMMATE_UPDATE_INTERVAL_MS,
    reconnectGraceMs: RECONNECT_GRACE_MS,
    movesSaveDelayMs: MOVES_SAVE_DELAY_MS,
    ownership: deps.scale?.leases,
  });
  const ctx: HandlerContext = {
    registry,
    findLesson: deps.findLesson,
    randomBytes,
    logger: deps.logger,
    now: () => deps.clock.now(),
    door: deps.door,
    defaultRoomSize: deps.defaultRoomSize ?? DEFAULT_ROOM_SIZE,
  };
  const cluster = deps.scale?.cluster({ io, registry, serve: (socket, event, payload) => serveForwarded(socket, event, payload, ctx) }) ?? null;
  ctx.forwarding = cluster ?? undefined;
  registerHandlers(io, ctx);
  return {
    registry,
    repository,
    cluster,
    async restore() {
      await cluster?.connect();
      const restored = await registry.restore();
      cluster?.start();
      return restored;
    },
    async close() {
      await registry.close();
      // After the rooms' last saves: the next owner must find them in the database.
      await cluster?.stop();
    },
  };
}
