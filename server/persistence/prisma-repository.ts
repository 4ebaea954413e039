/**
 * The session repository over Prisma, for the embedded PGlite and for PostgreSQL alike.
 *
 * Saves go through a small write-behind queue: a save waits while the write before it is in flight,
 * and everything that arrived meanwhile goes out together (per session only the newest record, since
 * each one holds the whole live state). A batch for one session is ONE SQL statement (data-modifying
 * CTEs); for several sessions, one transaction of one statement each. Every caller's promise resolves
 * once the write that covers its record has committed, and a failed write rejects every caller in it.
 *
 * A statement writes what changed since this process last wrote the session (`WrittenRows`):
 *
 *   1. the session row: the live game state as a JSON snapshot (without the lesson, kept once in its
 *      own column, and without the finished rounds, which have rows of their own), version, phase,
 *      settings, times; the review settings only when the record carries them. It is only written when
 *      the stored version is not newer; the other parts below select from it, so a stale save writes
 *      nothing at all.
 *   2. the players whose row (nickname, secret hash, kicked, total) changed.
 *   3. the current round's row when it changed; its allocations that changed — every seated student's
 *      once the round is locked, before that only the ones who locked in (with the lock time); once it
 *      is revealed, its results and each player's result (once).
 *   4. each finished round not written yet: its results as the game core produced them (RoundHistory),
 *      which `loadSession` puts back into the state's history.
 *
 * Ids of rounds, allocations and results are derived from the session, round and player, so a save
 * repeated (another process, a retry) finds the same rows instead of adding new ones.
 */
import { allocationOf, type GameState, type PersistReason, type PlayerId, type RoundResults } from '../../lib/game';
import type { Phase } from '../../lib/protocol';
import type { ReviewSettings } from '../../lib/review/types';
import type { StatementRunner } from './db';
import { Prisma, type PrismaClient } from './generated/client';
import type { SessionRecord, SessionRepository, SessionSummary } from './repository';

/** What the session row stores as its snapshot: the live game state, without the lesson and the finished rounds. */
type Snapshot = Omit<GameState, 'lesson' | 'history'>;

interface SessionRow {
  id: string;
  code: string;
  lessonId: string;
  lesson: string;
  settings: string;
  hostSecretHash: string;
  phase: Phase;
  snapshot: string;
  version: number;
  createdAt: number;
  /** JSON, or null to keep what is stored (the room's saves carry none). */
  reviewSettings: string | null;
}

interface PlayerRow {
  id: PlayerId;
  nickname: string;
  secretHash: string;
  kicked: boolean;
  joinedAt: number;
  totalScore: number;
}

interface RoundRow {
  id: string;
  number: number;
  scale: boolean;
  temperature: number;
  causal: boolean;
  startedAt: number;
  lockedAt: number | null;
  revealedAt: number | null;
}

interface AllocationRow {
  id: string;
  roundId: string;
  playerId: PlayerId;
  seat: number;
  token: number;
  head: number;
  weights: number[];
  lockedAt: number | null;
}

interface RoundResultRow {
  id: string;
  roundId: string;
  trueAttention: RoundResults['truth'];
  classScore: number | null;
}

interface PlayerResultRow {
  id: string;
  roundId: string;
  playerId: PlayerId;
  score: number;
  bonus: number;
  cosine: number;
  overWeightedToken: number | null;
  overWeightedBy: number | null;
}

interface HistoryRow {
  round: number;
  results: RoundResults;
}

/** Everything one save writes, table by table (times in epoch milliseconds). */
export interface SaveRows {
  session: SessionRow;
  players: PlayerRow[];
  rounds: RoundRow[];
  allocations: AllocationRow[];
  roundResults: RoundResultRow[];
  playerResults: PlayerResultRow[];
  /** The round whose results `roundResults` and `playerResults` hold; null when they are empty. */
  resultsRound: number | null;
  history: HistoryRow[];
}

/**
 * What this process last wrote of one session, so the next save leaves out rows that did not change.
 * Rows are compared by their JSON; the current round's allocations only (a new round starts afresh).
 */
export interface WrittenRows {
  players: Map<PlayerId, string>;
  round: { number: number; row: string } | null;
  allocations: Map<PlayerId, string>;
  /** The last round whose results (RoundResult, PlayerResult) and history row are written; 0 for none. */
  resultsRound: number;
  historyRound: number;
}

/** Nothing written yet: the next save writes every row. */
export function nothingWritten(): WrittenRows {
  return { players: new Map(), round: null, allocations: new Map(), resultsRound: 0, historyRound: 0 };
}

/** A round's row id: the same in every process, so upserts find it. */
export function roundRowId(sessionId: string, roundNumber: number): string {
  return `${sessionId}:r${roundNumber}`;
}

/**
 * The rows a save of `record` writes: those that differ from `written` (every row when it is left
 * out). Pure, so tests and the benchmark can look at them; `remember` records them once they are stored.
 */
export function saveRows(record: SessionRecord, written: WrittenRows = nothingWritten()): SaveRows {
  const { state, hostSecretHash, playerSecretHashes } = record;
  const { lesson, history, ...snapshot } = state;
  const rows: SaveRows = {
    session: {
      id: state.sessionId,
      code: state.code,
      lessonId: lesson.id,
      lesson: JSON.stringify(lesson),
      settings: JSON.stringify(state.settings),
      hostSecretHash,
      phase: state.phase,
      snapshot: JSON.stringify(snapshot satisfies Snapshot),
      version: state.version,
      createdAt: state.createdAt,
      reviewSettings: record.reviewSettings ? JSON.stringify(record.reviewSettings) : null,
    },
    players: [],
    rounds: [],
    allocations: [],
    roundResults: [],
    playerResults: [],
    resultsRound: null,
    history: history.filter((results) => results.round > written.historyRound).map((results) => ({ round: results.round, results })),
  };
  const known = new Set<PlayerId>();
  for (const player of state.players) {
    const secretHash = playerSecretHashes[player.id];
    // Every player the registry seated has a hash; a record without one cannot prove that seat anyway.
    if (secretHash === undefined) continue;
    known.add(player.id);
    const row: PlayerRow = {
      id: player.id,
      nickname: player.nickname,
      secretHash,
      kicked: player.kicked,
      joinedAt: player.joinedAt,
      totalScore: player.total,
    };
    if (written.players.get(player.id) !== JSON.stringify(row)) rows.players.push(row);
  }

  const round = state.round;
  if (!round) return rows;
  const roundId = roundRowId(state.sessionId, round.number);
  const results = history.at(-1)?.round === round.number ? history.at(-1) : undefined;
  const roundRow: RoundRow = {
    id: roundId,
    number: round.number,
    scale: round.options.scale,
    temperature: round.options.temperature,
    causal: round.options.causal,
    startedAt: round.startedAt,
    lockedAt: round.lockedAt,
    revealedAt: results?.revealedAt ?? null,
  };
  const sameRound = written.round?.number === round.number;
  if (!sameRound || written.round?.row !== JSON.stringify(roundRow)) rows.rounds.push(roundRow);
  const roundLocked = round.lockedAt !== null;
  for (const seat of round.seats) {
    for (const playerId of seat.members) {
      const allocation = allocationOf(round, playerId);
      // Final once the round is locked; before that, only a student who locked in is done.
      if (!allocation || !known.has(playerId) || !(roundLocked || allocation.lockedIn)) continue;
      const row: AllocationRow = {
        id: `${roundId}:${playerId}`,
        roundId,
        playerId,
        seat: seat.index,
        token: seat.token,
        head: seat.head,
        weights: allocation.weights,
        lockedAt: allocation.lockedIn ? allocation.lockedInAt : null,
      };
      if (!sameRound || written.allocations.get(playerId) !== JSON.stringify(row)) rows.allocations.push(row);
    }
  }
  if (results && results.round > written.resultsRound) {
    rows.resultsRound = results.round;
    rows.roundResults.push({ id: roundId, roundId, trueAttention: results.truth, classScore: results.classScore });
    for (const result of results.players) {
      if (!known.has(result.playerId)) continue;
      rows.playerResults.push({
        id: `${roundId}:${result.playerId}`,
        roundId,
        playerId: result.playerId,
        score: result.score,
        bonus: result.bonus,
        cosine: result.cosine,
        overWeightedToken: result.overWeighted?.token ?? null,
        overWeightedBy: result.overWeighted?.by ?? null,
      });
    }
  }
  return rows;
}

/** Records rows a save stored, so later saves can leave them out. */
export function remember(written: WrittenRows, rows: SaveRows): void {
  for (const row of rows.players) written.players.set(row.id, JSON.stringify(row));
  for (const row of rows.rounds) {
    if (written.round?.number !== row.number) written.allocations.clear();
    written.round = { number: row.number, row: JSON.stringify(row) };
  }
  for (const row of rows.allocations) written.allocations.set(row.playerId, JSON.stringify(row));
  if (rows.resultsRound !== null) written.resultsRound = Math.max(written.resultsRound, rows.resultsRound);
  for (const row of rows.history) written.historyRound = Math.max(written.historyRound, row.round);
}

/** Epoch milliseconds (a float8 column of a JSON record) as a TIMESTAMP(3) in UTC, the way Prisma stores DateTime. */
const at = (column: string) => Prisma.raw(`(to_timestamp(${column} / 1000.0) AT TIME ZONE 'UTC')`);

/**
 * The one statement of a save. Each CTE after `saved` selects FROM saved, so when the stored version is
 * newer (saved is empty) nothing at all is written. Foreign keys are checked at the end of the
 * statement, when the session, player and round rows it inserted exist.
 */
export function saveStatement(rows: SaveRows): Prisma.Sql {
  const s = rows.session;
  const ended = s.phase === 'ended';
  return Prisma.sql`
WITH saved AS (
  INSERT INTO "Session" AS s ("id", "code", "lessonId", "lesson", "settings", "hostSecretHash", "phase", "snapshot", "version", "createdAt", "updatedAt", "endedAt", "reviewSettings")
  VALUES (${s.id}, ${s.code}, ${s.lessonId}, ${s.lesson}::jsonb, ${s.settings}::jsonb, ${s.hostSecretHash}, ${s.phase}::"SessionPhase",
          ${s.snapshot}::jsonb, ${s.version}::int, (to_timestamp(${s.createdAt}::float8 / 1000.0) AT TIME ZONE 'UTC'), (now() AT TIME ZONE 'UTC'),
          CASE WHEN ${ended}::boolean THEN (now() AT TIME ZONE 'UTC') END, ${s.reviewSettings}::jsonb)
  ON CONFLICT ("id") DO UPDATE SET
    "settings" = EXCLUDED."settings", "hostSecretHash" = EXCLUDED."hostSecretHash", "phase" = EXCLUDED."phase",
    "snapshot" = EXCLUDED."snapshot", "version" = EXCLUDED."version", "updatedAt" = EXCLUDED."updatedAt",
    "endedAt" = COALESCE(s."endedAt", EXCLUDED."endedAt"), "reviewSettings" = COALESCE(EXCLUDED."reviewSettings", s."reviewSettings")
  WHERE s."version" <= EXCLUDED."version"
  RETURNING s."id"
),
players AS (
  INSERT INTO "Player" AS p ("id", "sessionId", "nickname", "secretHash", "kicked", "joinedAt", "totalScore")
  SELECT x."id", saved."id", x."nickname", x."secretHash", x."kicked", ${at('x."joinedAt"')}, x."totalScore"
  FROM saved, jsonb_to_recordset(${JSON.stringify(rows.players)}::jsonb)
    AS x("id" text, "nickname" text, "secretHash" text, "kicked" boolean, "joinedAt" float8, "totalScore" float8)
  ON CONFLICT ("id") DO UPDATE SET
    "nickname" = EXCLUDED."nickname", "secretHash" = EXCLUDED."secretHash", "kicked" = EXCLUDED."kicked", "totalScore" = EXCLUDED."totalScore"
  WHERE (p."nickname", p."secretHash", p."kicked", p."totalScore")
    IS DISTINCT FROM (EXCLUDED."nickname", EXCLUDED."secretHash", EXCLUDED."kicked", EXCLUDED."totalScore")
),
rounds AS (
  INSERT INTO "Round" AS r ("id", "sessionId", "number", "scale", "temperature", "causal", "startedAt", "lockedAt", "revealedAt")
  SELECT x."id", saved."id", x."number", x."scale", x."temperature", x."causal", ${at('x."startedAt"')}, ${at('x."lockedAt"')}, ${at('x."revealedAt"')}
  FROM saved, jsonb_to_recordset(${JSON.stringify(rows.rounds)}::jsonb)
    AS x("id" text, "number" int, "scale" boolean, "temperature" float8, "causal" boolean, "startedAt" float8, "lockedAt" float8, "revealedAt" float8)
  ON CONFLICT ("id") DO UPDATE SET "lockedAt" = EXCLUDED."lockedAt", "revealedAt" = EXCLUDED."revealedAt"
  WHERE (r."lockedAt", r."revealedAt") IS DISTINCT FROM (EXCLUDED."lockedAt", EXCLUDED."revealedAt")
),
allocations AS (
  INSERT INTO "Allocation" AS a ("id", "roundId", "playerId", "seat", "token", "head", "weights", "lockedAt")
  SELECT x."id", x."roundId", x."playerId", x."seat", x."token", x."head", x."weights", ${at('x."lockedAt"')}
  FROM saved, jsonb_to_recordset(${JSON.stringify(rows.allocations)}::jsonb)
    AS x("id" text, "roundId" text, "playerId" text, "seat" int, "token" int, "head" int, "weights" float8[], "lockedAt" float8)
  ON CONFLICT ("roundId", "playerId") DO UPDATE SET
    "seat" = EXCLUDED."seat", "token" = EXCLUDED."token", "head" = EXCLUDED."head", "weights" = EXCLUDED."weights", "lockedAt" = EXCLUDED."lockedAt"
  WHERE (a."seat", a."token", a."head", a."weights", a."lockedAt")
    IS DISTINCT FROM (EXCLUDED."seat", EXCLUDED."token", EXCLUDED."head", EXCLUDED."weights", EXCLUDED."lockedAt")
),
round_results AS (
  INSERT INTO "RoundResult" ("id", "roundId", "trueAttention", "classScore")
  SELECT x."id", x."roundId", x."trueAttention", x."classScore"
  FROM saved, jsonb_to_recordset(${JSON.stringify(rows.roundResults)}::jsonb)
    AS x("id" text, "roundId" text, "trueAttention" jsonb, "classScore" float8)
  -- A revealed round's results never change.
  ON CONFLICT ("roundId") DO NOTHING
),
player_results AS (
  INSERT INTO "PlayerResult" ("id", "roundId", "playerId", "score", "bonus", "cosine", "overWeightedToken", "overWeightedBy")
  SELECT x."id", x."roundId", x."playerId", x."score", x."bonus", x."cosine", x."overWeightedToken", x."overWeightedBy"
  FROM saved, jsonb_to_recordset(${JSON.stringify(rows.playerResults)}::jsonb)
    AS x("id" text, "roundId" text, "playerId" text, "score" float8, "bonus" float8, "cosine" float8, "overWeightedToken" int, "overWeightedBy" float8)
  ON CONFLICT ("roundId", "playerId") DO NOTHING
),
history AS (
  INSERT INTO "RoundHistory" ("sessionId", "round", "results")
  SELECT saved."id", x."round", x."results"
  FROM saved, jsonb_to_recordset(${JSON.stringify(rows.history)}::jsonb) AS x("round" int, "results" jsonb)
  -- A finished round's results never change.
  ON CONFLICT ("sessionId", "round") DO NOTHING
)
SELECT count(*)::int AS "saved" FROM saved`;
}

/** A session as the database returns it for restoring. */
interface StoredSession {
  id: string;
  lesson: Prisma.JsonValue;
  snapshot: Prisma.JsonValue;
  hostSecretHash: string;
  reviewSettings: Prisma.JsonValue;
  players: { id: string; secretHash: string }[];
  history: { round: number; results: Prisma.JsonValue }[];
}

const storedSessionSelect = {
  id: true,
  lesson: true,
  snapshot: true,
  hostSecretHash: true,
  reviewSettings: true,
  players: { select: { id: true, secretHash: true } },
  history: { select: { round: true, results: true }, orderBy: { round: 'asc' } },
} as const satisfies Prisma.SessionSelect;

function isObject(value: Prisma.JsonValue): value is Prisma.JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The record a stored session holds: its snapshot with the lesson and the finished rounds put back,
 * and the secrets' hashes.
 */
function recordOf(row: StoredSession): SessionRecord {
  const { snapshot, lesson } = row;
  // Only this repository writes these columns, from a GameState; a shape check catches a foreign row.
  if (!isObject(snapshot) || !isObject(lesson) || snapshot.sessionId !== row.id || typeof snapshot.version !== 'number') {
    throw new Error(`The stored snapshot of session ${row.id} is not a game state.`);
  }
  const history = new Map<number, RoundResults>();
  // A snapshot written before the rounds had rows of their own still carries them; the rows win.
  if (Array.isArray(snapshot.history)) for (const results of snapshot.history as unknown as RoundResults[]) history.set(results.round, results);
  for (const stored of row.history) {
    if (!isObject(stored.results) || stored.results.round !== stored.round) throw new Error(`The stored results of round ${stored.round} of session ${row.id} are not a round's results.`);
    history.set(stored.round, stored.results as unknown as RoundResults);
  }
  const state = { ...snapshot, lesson, history: [...history.values()].sort((a, b) => a.round - b.round) } as unknown as GameState;
  const playerSecretHashes: Record<PlayerId, string> = {};
  for (const player of row.players) playerSecretHashes[player.id] = player.secretHash;
  const record: SessionRecord = { state, hostSecretHash: row.hostSecretHash, playerSecretHashes };
  const reviewSettings = reviewSettingsOf(row.reviewSettings);
  if (reviewSettings) record.reviewSettings = reviewSettings;
  return record;
}

/** The stored review settings; null when the teacher never changed them. */
function reviewSettingsOf(value: Prisma.JsonValue): ReviewSettings | null {
  if (value === null || !isObject(value)) return null;
  return { leaderboardHidden: value.leaderboardHidden === true };
}

/** One caller of `saveSession` waiting for its record to be stored. */
interface Waiter {
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** The newest record of one session waiting to be written, and everyone waiting for it. */
interface PendingSave {
  record: SessionRecord;
  waiters: Waiter[];
}

/** Sessions, players, rounds and results in the database the Prisma client is connected to. */
export class PrismaSessionRepository implements SessionRepository {
  private pending = new Map<string, PendingSave>();
  private draining = false;
  /** Per session, what this process has stored; dropped when the session ends or a write fails. */
  private readonly written = new Map<string, WrittenRows>();
  /** Writes (one statement or one transaction each) and statements sent by saves, for tests and the benchmark. */
  writes = 0;
  statements = 0;

  /**
   * `runStatements`: the driver's own way to run the saves (a Database's), which spares the server the
   * Prisma adapters' debug history (see StatementRunner); without it saves go through Prisma too.
   */
  constructor(
    private readonly prisma: PrismaClient,
    private readonly runStatements?: StatementRunner,
  ) {}

  /**
   * Queues the record; resolves once a write holding it (or a newer record of the session) has
   * committed. Saves that arrive while a write is in flight go out together in the next one.
   */
  saveSession(record: SessionRecord, _reason: PersistReason): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const sessionId = record.state.sessionId;
      const entry = this.pending.get(sessionId);
      if (!entry) this.pending.set(sessionId, { record, waiters: [{ resolve, reject }] });
      else {
        // A snapshot never goes backwards: an older record queued after a newer one is covered by it.
        if (record.state.version >= entry.record.state.version) entry.record = record;
        entry.waiters.push({ resolve, reject });
      }
      if (!this.draining) {
        this.draining = true;
        void this.drain();
      }
    });
  }

  /** Writes batches until nothing is pending; one write at a time, so a batch fills while the last one runs. */
  private async drain(): Promise<void> {
    // Saves made in the same turn of the event loop (a burst of socket messages) share the first write.
    await new Promise<void>((resolve) => setImmediate(resolve));
    while (this.pending.size > 0) {
      const batch = [...this.pending.values()];
      this.pending = new Map();
      try {
        await this.write(batch.map((entry) => entry.record));
        for (const entry of batch) for (const waiter of entry.waiters) waiter.resolve();
      } catch (error) {
        for (const entry of batch) for (const waiter of entry.waiters) waiter.reject(error);
      }
    }
    // Set in the same synchronous step as the last emptiness check, so no save is left unwritten.
    this.draining = false;
  }

  /** One statement for one session, else one transaction of one statement per session. */
  private async write(records: SessionRecord[]): Promise<void> {
    const saves = records.map((record) => {
      const sessionId = record.state.sessionId;
      const written = this.written.get(sessionId) ?? nothingWritten();
      return { record, written, rows: saveRows(record, written) };
    });
    const statements = saves.map((save) => saveStatement(save.rows));
    this.writes++;
    this.statements += statements.length;
    let results: { saved?: unknown }[][];
    try {
      if (this.runStatements) results = await this.runStatements(statements);
      else {
        const queries = statements.map((statement) => this.prisma.$queryRaw<{ saved: number }[]>(statement));
        results = queries.length === 1 ? [await queries[0]] : await this.prisma.$transaction(queries);
      }
    } catch (error) {
      // What was stored is uncertain now: the next save of these sessions writes every row.
      for (const save of saves) this.written.delete(save.record.state.sessionId);
      throw error;
    }
    for (const [i, save] of saves.entries()) {
      const sessionId = save.record.state.sessionId;
      // A stale record (the stored version is newer) wrote nothing.
      if (Number(results[i][0]?.saved ?? 0) === 0) continue;
      if (save.record.state.phase === 'ended') {
        this.written.delete(sessionId);
        continue;
      }
      remember(save.written, save.rows);
      this.written.set(sessionId, save.written);
    }
  }

  async loadSession(sessionId: string): Promise<SessionRecord | null> {
    const row = await this.prisma.session.findUnique({ where: { id: sessionId }, select: storedSessionSelect });
    return row ? this.loaded(row) : null;
  }

  async findSessionIdByCode(code: string): Promise<string | null> {
    const row = await this.prisma.session.findUnique({ where: { code }, select: { id: true } });
    return row?.id ?? null;
  }

  async listLiveSessions(): Promise<SessionRecord[]> {
    const rows = await this.prisma.session.findMany({ where: { endedAt: null }, select: storedSessionSelect, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
    return rows.map((row) => this.loaded(row));
  }

  async listLiveSessionIds(): Promise<string[]> {
    const rows = await this.prisma.session.findMany({ where: { endedAt: null }, select: { id: true }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
    return rows.map((row) => row.id);
  }

  async listSessions(options: { limit?: number } = {}): Promise<SessionSummary[]> {
    const rows = await this.prisma.session.findMany({
      select: { id: true, code: true, lessonId: true, phase: true, createdAt: true, _count: { select: { players: { where: { kicked: false } } } } },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: options.limit,
    });
    return rows.map((row) => ({
      sessionId: row.id,
      code: row.code,
      lessonId: row.lessonId,
      phase: row.phase,
      createdAt: row.createdAt.getTime(),
      playerCount: row._count.players,
    }));
  }

  /**
   * A record read back. The next save of it may leave out the finished rounds it already has. What this
   * process remembers writing stays right even if another process wrote the session meanwhile: a row is
   * left out only when its value equals the one remembered, and the stored state is the one restored.
   */
  private loaded(row: StoredSession): SessionRecord {
    const record = recordOf(row);
    if (record.state.phase !== 'ended' && !this.written.has(row.id)) {
      const written = nothingWritten();
      // The last finished round's RoundResult was written with its history row.
      written.historyRound = written.resultsRound = row.history.at(-1)?.round ?? 0;
      this.written.set(row.id, written);
    }
    return record;
  }

  async saveReviewSettings(sessionId: string, settings: ReviewSettings): Promise<boolean> {
    const { count } = await this.prisma.session.updateMany({ where: { id: sessionId }, data: { reviewSettings: { ...settings } } });
    return count > 0;
  }
}
