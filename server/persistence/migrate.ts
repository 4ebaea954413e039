/**
 * Applies the SQL migrations in prisma/migrations, the way `prisma migrate deploy` does, without the
 * Prisma CLI (whose schema engine binary cannot be downloaded everywhere this runs).
 *
 * Each migration runs in its own transaction and is recorded in `_prisma_migrations` with Prisma's own
 * columns and checksum, so `prisma migrate deploy` on another machine sees it as applied, and the other
 * way round. It refuses to go on when an applied migration's file changed, when a recorded migration's
 * folder is missing, or when a migration was left failed; running it twice changes nothing.
 */
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database, SqlConnector, SqlSession } from './db';

/** The repository's migrations folder. */
export const MIGRATIONS_DIR = fileURLToPath(new URL('../../prisma/migrations', import.meta.url));

/**
 * The key `prisma migrate deploy` locks with (pg_advisory_lock(72707369)), so this and the Prisma CLI
 * exclude each other as well as two servers starting at once.
 */
export const MIGRATION_LOCK_KEY = 72707369;

/** Prisma's migrations table, column for column (schema engine, PostgreSQL connector). */
const CREATE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

/** A migration found on disk. */
export interface MigrationFile {
  /** The folder's name, `<timestamp>_<name>`; migrations apply in the order of these names. */
  name: string;
  sql: string;
  checksum: string;
}

/** What a run did. */
export interface MigrateResult {
  /** Applied by this run, in order. */
  applied: string[];
  /** Already applied before this run. */
  unchanged: string[];
}

/** The database's migrations disagree with the files; the message says which migration and what to do. */
export class MigrationError extends Error {
  constructor(
    message: string,
    readonly migration: string | null,
  ) {
    super(message);
    this.name = 'MigrationError';
  }
}

export interface MigrateOptions {
  migrationsDir?: string;
  /** Told about each migration as it is applied. */
  log?: (line: string) => void;
  /** How long to wait for another process's run (or `prisma migrate deploy`) to finish; 60 s by default. */
  lockTimeoutMs?: number;
}

/** Prisma's checksum of a migration file: SHA-256 of its text, lower-case hex. */
export function migrationChecksum(sql: string): string {
  return createHash('sha256').update(sql, 'utf8').digest('hex');
}

/**
 * Whether a migration's text is the one recorded. Like Prisma, line endings do not count: a checkout that
 * turned LF into CRLF (or back) has not changed the migration.
 */
export function matchesChecksum(sql: string, checksum: string): boolean {
  const lf = sql.replace(/\r\n/g, '\n');
  return [sql, lf, lf.replace(/\n/g, '\r\n')].some((variant) => migrationChecksum(variant) === checksum);
}

/** The migrations on disk, in the order they apply. */
export function readMigrations(migrationsDir: string = MIGRATIONS_DIR): MigrationFile[] {
  if (!existsSync(migrationsDir)) throw new MigrationError(`The migrations folder ${migrationsDir} does not exist.`, null);
  const lockfile = path.join(migrationsDir, 'migration_lock.toml');
  if (existsSync(lockfile)) {
    const provider = /^\s*provider\s*=\s*"([^"]*)"/m.exec(readFileSync(lockfile, 'utf8'))?.[1];
    if (provider !== 'postgresql') {
      throw new MigrationError(`${lockfile} names the provider "${provider ?? '(none)'}"; these migrations must be for "postgresql".`, null);
    }
  }
  return readdirSync(migrationsDir)
    .filter((entry) => statSync(path.join(migrationsDir, entry)).isDirectory())
    .sort()
    .map((name) => {
      const file = path.join(migrationsDir, name, 'migration.sql');
      if (!existsSync(file)) throw new MigrationError(`The migration folder ${name} has no migration.sql.`, name);
      const sql = readFileSync(file, 'utf8');
      return { name, sql, checksum: migrationChecksum(sql) };
    });
}

interface MigrationRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

/** Applies the pending migrations; throws a MigrationError, applying nothing, when the history is wrong. */
export async function migrate(target: Database | SqlConnector, options: MigrateOptions = {}): Promise<MigrateResult> {
  const connector = 'withSession' in target ? target : target.sql;
  const files = readMigrations(options.migrationsDir);
  const log = options.log ?? (() => {});

  return connector.withSession(async (session) => {
    // Held on this connection until the end of the run, across the per-migration transactions.
    await acquireMigrationLock(session, options.lockTimeoutMs ?? 60_000);
    const unlock = () => session.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    let result: MigrateResult;
    try {
      await session.exec(CREATE_MIGRATIONS_TABLE);
      const rows = await session.query<MigrationRow>(
        'SELECT "migration_name", "checksum", "finished_at", "rolled_back_at" FROM "_prisma_migrations" ORDER BY "started_at", "migration_name"',
      );
      const pending = checkHistory(files, rows);
      result = { applied: [], unchanged: files.filter((file) => !pending.includes(file)).map((file) => file.name) };
      for (const file of pending) {
        await applyOne(session, file);
        result.applied.push(file.name);
        log(`applied ${file.name}`);
      }
    } catch (error) {
      // The first error is the one worth reporting; a broken connection is discarded, lock and all.
      await unlock().catch(() => {});
      throw error;
    }
    await unlock();
    return result;
  });
}

/** Waits for the advisory lock, polling, so a stuck holder ends in a clear error rather than a hung start. */
async function acquireMigrationLock(session: SqlSession, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [row] = await session.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS "locked"', [MIGRATION_LOCK_KEY]);
    if (row?.locked) return;
    if (Date.now() >= deadline) {
      throw new MigrationError(
        `Another process has been migrating this database for over ${timeoutMs / 1000} s (it holds advisory lock ${MIGRATION_LOCK_KEY}). ` +
          'Wait for it to finish, or end it, and start again.',
        null,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The files not yet applied, after checking that the recorded history agrees with the files. */
function checkHistory(files: MigrationFile[], rows: MigrationRow[]): MigrationFile[] {
  const byName = new Map(files.map((file) => [file.name, file]));
  // A rolled-back row is history only: Prisma applies that migration again.
  const live = rows.filter((row) => row.rolled_back_at === null);

  const failed = live.find((row) => row.finished_at === null);
  if (failed) {
    throw new MigrationError(
      `The migration ${failed.migration_name} was started but never finished (it failed, or is running elsewhere). ` +
        `Fix the database by hand, then mark it with \`prisma migrate resolve --applied ${failed.migration_name}\` or \`--rolled-back ${failed.migration_name}\`.`,
      failed.migration_name,
    );
  }

  const appliedNames = new Set<string>();
  for (const row of live) {
    const file = byName.get(row.migration_name);
    if (!file) {
      throw new MigrationError(
        `The migration ${row.migration_name} is applied to this database but its folder is missing from prisma/migrations. ` +
          'This code is older than the database, or the folder was renamed or deleted: restore it.',
        row.migration_name,
      );
    }
    if (!matchesChecksum(file.sql, row.checksum)) {
      throw new MigrationError(
        `The migration ${row.migration_name} was changed after it was applied to this database ` +
          `(recorded checksum ${row.checksum}, file ${file.checksum}). Restore its migration.sql and put the change in a new migration.`,
        row.migration_name,
      );
    }
    appliedNames.add(row.migration_name);
  }
  return files.filter((file) => !appliedNames.has(file.name));
}

/** One migration and its record, in one transaction: either both are there afterwards or neither is. */
async function applyOne(session: SqlSession, file: MigrationFile): Promise<void> {
  const id = randomUUID();
  await session.exec('BEGIN');
  try {
    await session.query('INSERT INTO "_prisma_migrations" ("id", "checksum", "migration_name", "started_at", "applied_steps_count") VALUES ($1, $2, $3, now(), 0)', [
      id,
      file.checksum,
      file.name,
    ]);
    await session.exec(file.sql);
    await session.query('UPDATE "_prisma_migrations" SET "finished_at" = clock_timestamp(), "applied_steps_count" = 1 WHERE "id" = $1', [id]);
    await session.exec('COMMIT');
  } catch (error) {
    await session.exec('ROLLBACK').catch(() => {});
    const reason = error instanceof Error ? error.message : String(error);
    throw new MigrationError(`The migration ${file.name} failed and was rolled back: ${reason}`, file.name);
  }
}
