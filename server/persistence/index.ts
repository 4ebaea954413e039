/**
 * Persistence for the process: the database the configuration names (opened once, migrated before
 * anything is served), the session repository over it, and the saves the game core does not ask for.
 */
import type { ArenaServer } from '../app';
import { realClock, type CancelTimer, type Clock } from '../rooms/clock';
import type { Room } from '../rooms/room';
import { describeDatabase, type DatabaseConfig } from './config';
import { closeDatabase, getDatabase, type Database } from './db';
import { migrate, MigrationError, type MigrateResult } from './migrate';
import { PrismaSessionRepository } from './prisma-repository';
import type { SessionRepository } from './repository';

export { loadDatabaseConfig, describeDatabase, type DatabaseConfig } from './config';
export { PrismaSessionRepository } from './prisma-repository';
export type { SessionRecord, SessionRepository, SessionSummary } from './repository';

/** The process's storage, ready to serve. */
export interface Persistence {
  database: Database;
  repository: SessionRepository;
  /** What the migrate step did at start-up. */
  migrations: MigrateResult;
  /** One line for the start-up log: which database, and its migrations. */
  summary: string;
  /** Closes the database (after the server has stopped writing). */
  close(): Promise<void>;
}

/**
 * Opens the configured database (the embedded PGlite creates its folder on first start), applies the
 * pending migrations and returns the session repository over it. Throws MigrationError when the
 * database's migration history disagrees with prisma/migrations.
 */
export async function openPersistence(config: DatabaseConfig, log: (line: string) => void = () => {}): Promise<Persistence> {
  let database: Database;
  let migrations: MigrateResult;
  try {
    database = await getDatabase(config);
    // Before any query of the repository: on PGlite, Prisma's queries do not take turns with the migration's transaction.
    migrations = await migrate(database, { log: (line) => log(`database: ${line}`) });
  } catch (error) {
    await closeDatabase().catch(() => {});
    if (error instanceof MigrationError) throw error;
    // A PostgreSQL that does not answer shows up here, at the first query.
    throw new Error(`Cannot use ${describeDatabase(config)}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  const applied = migrations.applied.length > 0 ? `${migrations.applied.length} migration(s) applied now, ` : '';
  return {
    database,
    repository: new PrismaSessionRepository(database.prisma),
    migrations,
    summary: `Database: ${describeDatabase(config)} (${applied}${migrations.applied.length + migrations.unchanged.length} in all)`,
    close: closeDatabase,
  };
}

/** A slider move is saved at most this long after it was made: a crash loses at most this much of a negotiation. */
export const ALLOCATION_SAVE_DELAY_MS = 1000;

export interface StudentMoveSaveOptions {
  /** Time and timers; Node's by default (tests pass the server's fake clock). */
  clock?: Clock;
  /** How long slider moves of one room are gathered before they are saved. */
  delayMs?: number;
  log?: (line: string) => void;
}

/**
 * The game core asks for a save at every phase change, join, kick and reveal, but not when a student
 * locks in or moves a slider; this saves those too, so a crash in the middle of a negotiation loses
 * little:
 *
 *  - `attention:lock`: the room is saved right behind the lock, in the room's queue, so the lock is
 *    stored before the room applies its next event (a `state:sync` answered after the lock's
 *    answer proves it is stored).
 *  - `attention:allocate`: the room is saved once `delayMs` after the first unsaved move, so a class
 *    dragging sliders costs at most one write per room per `delayMs`.
 *
 * A save goes in with the reason 'phase': the one whose write includes the round and its final
 * allocations (PersistReason has no member for a student's move). Returns the function that stops it
 * (saving at once what was waiting).
 */
export function saveStudentMoves(server: Pick<ArenaServer, 'io' | 'realtime'>, options: StudentMoveSaveOptions = {}): () => void {
  const { registry, repository } = server.realtime;
  const clock = options.clock ?? realClock;
  const delayMs = options.delayMs ?? ALLOCATION_SAVE_DELAY_MS;
  const log = options.log ?? (() => {});
  /** Rooms with slider moves not saved yet, and the timer that will save them. */
  const pending = new Map<string, { room: Room; cancel: CancelTimer }>();
  let stopped = false;

  const save = (room: Room) =>
    room.enqueue(async () => {
      try {
        await repository.saveSession(room.record(), 'phase');
      } catch (error) {
        // As for the room's own saves: it goes on from memory, and the next save carries this change.
        log(`room ${room.code}: saving a student's move failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    });

  const saveNow = (room: Room) => {
    pending.get(room.sessionId)?.cancel();
    pending.delete(room.sessionId);
    void save(room);
  };

  const saveSoon = (room: Room) => {
    if (pending.has(room.sessionId)) return;
    const cancel = clock.schedule(delayMs, () => {
      pending.delete(room.sessionId);
      void save(room);
    });
    pending.set(room.sessionId, { room, cancel });
  };

  server.io.on('connection', (socket) => {
    // Registered after the handlers' own listener, which has already put the move in the room's queue
    // (synchronously, when the message arrived): a save queued here runs after it.
    socket.onAny((event: string) => {
      if (stopped || (event !== 'attention:lock' && event !== 'attention:allocate')) return;
      const bound = registry.boundRoom(socket);
      if (!bound || bound.identity.role !== 'student') return;
      if (event === 'attention:lock') saveNow(bound.room);
      else saveSoon(bound.room);
    });
  });

  // Stopping saves what is waiting at once: call it before the server closes, so the rooms' queues
  // (which close() lets finish) carry these saves too, while the database is still open.
  return () => {
    stopped = true;
    for (const { room } of [...pending.values()]) saveNow(room);
  };
}
