/**
 * Persistence for the process: the database the configuration names (opened once, migrated before
 * anything is served) and the session repository over it.
 */
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
export async function openPersistence(
  config: DatabaseConfig,
  log: (line: string) => void = () => {},
  warn?: (line: string) => void,
): Promise<Persistence> {
  let database: Database;
  let migrations: MigrateResult;
  try {
    database = await getDatabase(config, warn);
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
    repository: new PrismaSessionRepository(database.prisma, database.runStatements),
    migrations,
    summary: `Database: ${describeDatabase(config)} (${applied}${migrations.applied.length + migrations.unchanged.length} in all)`,
    close: closeDatabase,
  };
}
