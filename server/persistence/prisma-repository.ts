/**
 * The session repository over Prisma, for the embedded PGlite and for PostgreSQL alike.
 *
 * A save is ONE SQL statement (data-modifying CTEs), so it is one transaction without BEGIN/COMMIT
 * round trips, and its cost does not grow with the number of tables touched:
 *
 *   1. the session row: the whole game state as a JSON snapshot (the lesson is kept once, in its own
 *      column, and put back on load), version, phase, settings, times; the review settings only when
 *      the record carries them. It is only written when the stored version is not newer; the other
 *      parts below select from it, so a stale save writes nothing at all.
 *   2. every player, upserted from one JSON array (nickname, secret hash, kicked, total); a row that
 *      did not change is not rewritten.
 *   3. for 'phase' and 'results' saves, also: the current round (flags in force, times); its
 *      allocations — every seated student's once the round is locked, before that only the ones who
 *      locked in (with the lock time); and, once revealed, its results and each player's result.
 *
 * Ids of rounds, allocations and results are derived from the session, round and player, so a save
 * repeated (another process, a retry) finds the same rows instead of adding new ones.
 */
import { allocationOf, type GameState, type PersistReason, type PlayerId, type RoundResults } from '../../lib/game';
import type { Phase } from '../../lib/protocol';
import type { ReviewSettings } from '../../lib/review/types';
import { Prisma, type PrismaClient } from './generated/client';
import type { SessionRecord, SessionRepository, SessionSummary } from './repository';

/** What the session row stores as its snapshot: the game state without the lesson (stored beside it). */
type Snapshot = Omit<GameState, 'lesson'>;

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

/** Everything one save writes, table by table (times in epoch milliseconds). */
export interface SaveRows {
  session: SessionRow;
  players: PlayerRow[];
  rounds: RoundRow[];
  allocations: AllocationRow[];
  roundResults: RoundResultRow[];
  playerResults: PlayerResultRow[];
}

/** The reasons whose saves also write the round, its allocations and its results. */
const ROUND_REASONS: readonly PersistReason[] = ['phase', 'results', 'lock', 'moves'];

/** A round's row id: the same in every process, so upserts find it. */
export function roundRowId(sessionId: string, roundNumber: number): string {
  return `${sessionId}:r${roundNumber}`;
}

/** The rows a save of `record` writes; pure, so tests and the benchmark can look at them. */
export function saveRows(record: SessionRecord, reason: PersistReason): SaveRows {
  const { state, hostSecretHash, playerSecretHashes } = record;
  const { lesson, ...snapshot } = state;
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
  };
  for (const player of state.players) {
    const secretHash = playerSecretHashes[player.id];
    // Every player the registry seated has a hash; a record without one cannot prove that seat anyway.
    if (secretHash === undefined) continue;
    rows.players.push({
      id: player.id,
      nickname: player.nickname,
      secretHash,
      kicked: player.kicked,
      joinedAt: player.joinedAt,
      totalScore: player.total,
    });
  }

  const round = state.round;
  if (!round || !ROUND_REASONS.includes(reason)) return rows;
  const roundId = roundRowId(state.sessionId, round.number);
  const results = state.history.at(-1)?.round === round.number ? state.history.at(-1) : undefined;
  rows.rounds.push({
    id: roundId,
    number: round.number,
    scale: round.options.scale,
    temperature: round.options.temperature,
    causal: round.options.causal,
    startedAt: round.startedAt,
    lockedAt: round.lockedAt,
    revealedAt: results?.revealedAt ?? null,
  });
  const known = new Set(rows.players.map((p) => p.id));
  const roundLocked = round.lockedAt !== null;
  for (const seat of round.seats) {
    for (const playerId of seat.members) {
      const allocation = allocationOf(round, playerId);
      // Final once the round is locked; before that, only a student who locked in is done.
      if (!allocation || !known.has(playerId) || !(roundLocked || allocation.lockedIn)) continue;
      rows.allocations.push({
        id: `${roundId}:${playerId}`,
        roundId,
        playerId,
        seat: seat.index,
        token: seat.token,
        head: seat.head,
        weights: allocation.weights,
        lockedAt: allocation.lockedIn ? allocation.lockedInAt : null,
      });
    }
  }
  if (results) {
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
}

const storedSessionSelect = {
  id: true,
  lesson: true,
  snapshot: true,
  hostSecretHash: true,
  reviewSettings: true,
  players: { select: { id: true, secretHash: true } },
} as const satisfies Prisma.SessionSelect;

function isObject(value: Prisma.JsonValue): value is Prisma.JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The record a stored session holds: its snapshot with the lesson put back, and the secrets' hashes. */
function recordOf(row: StoredSession): SessionRecord {
  const { snapshot, lesson } = row;
  // Only this repository writes these columns, from a GameState; a shape check catches a foreign row.
  if (!isObject(snapshot) || !isObject(lesson) || snapshot.sessionId !== row.id || typeof snapshot.version !== 'number') {
    throw new Error(`The stored snapshot of session ${row.id} is not a game state.`);
  }
  const state = { ...snapshot, lesson } as unknown as GameState;
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

/** Sessions, players, rounds and results in the database the Prisma client is connected to. */
export class PrismaSessionRepository implements SessionRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async saveSession(record: SessionRecord, reason: PersistReason): Promise<void> {
    await this.prisma.$queryRaw<{ saved: number }[]>(saveStatement(saveRows(record, reason)));
  }

  async loadSession(sessionId: string): Promise<SessionRecord | null> {
    const row = await this.prisma.session.findUnique({ where: { id: sessionId }, select: storedSessionSelect });
    return row ? recordOf(row) : null;
  }

  async findSessionIdByCode(code: string): Promise<string | null> {
    const row = await this.prisma.session.findUnique({ where: { code }, select: { id: true } });
    return row?.id ?? null;
  }

  async listLiveSessions(): Promise<SessionRecord[]> {
    const rows = await this.prisma.session.findMany({ where: { endedAt: null }, select: storedSessionSelect, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
    return rows.map(recordOf);
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

  async saveReviewSettings(sessionId: string, settings: ReviewSettings): Promise<boolean> {
    const { count } = await this.prisma.session.updateMany({ where: { id: sessionId }, data: { reviewSettings: { ...settings } } });
    return count > 0;
  }
}
