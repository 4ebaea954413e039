/**
 * Opens the database the configuration names: the embedded PGlite (default) or a PostgreSQL server.
 * Either way the result is a Prisma client over a driver adapter (no query engine binary) plus a raw
 * SQL connector for what Prisma cannot do through prepared statements, such as running migrations.
 */
import { mkdirSync } from 'node:fs';
import type { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { describeDatabase, type DatabaseConfig } from './config';
import { PrismaClient } from './generated/client';
import { PGliteThread, type PGliteLike } from './pglite-thread';

export type { DatabaseConfig } from './config';
export { PrismaClient } from './generated/client';

/** One database connection; statements run in the order they are sent. */
export interface SqlSession {
  /** One statement with `$1`-style parameters. */
  query<Row extends object = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<Row[]>;
  /** A script of any number of statements, without parameters (a migration file). */
  exec(script: string): Promise<void>;
}

/** Lends one connection at a time, so a caller can hold a session lock and run transactions on it. */
export interface SqlConnector {
  withSession<T>(task: (session: SqlSession) => Promise<T>): Promise<T>;
}

/** One statement with `$1`-style parameters. */
export interface SqlStatement {
  text: string;
  values: readonly unknown[];
}

/**
 * Runs statements straight on the driver, as one transaction (a single statement needs no BEGIN), and
 * returns each one's rows. The session saves go this way rather than through Prisma: the Prisma
 * adapters pass every query to @prisma/debug, which keeps the arguments of the last 100 calls even
 * when debugging is off, and a save's arguments hold the whole snapshot (tens of KB per student-class).
 */
export type StatementRunner = (statements: readonly SqlStatement[]) => Promise<Record<string, unknown>[][]>;

/** An open database. */
export interface Database {
  prisma: PrismaClient;
  kind: DatabaseConfig['kind'];
  /** For logs: which database, without secrets. */
  description: string;
  sql: SqlConnector;
  runStatements: StatementRunner;
  /** Disconnects Prisma and closes the driver (and PGlite's files). */
  close(): Promise<void>;
}

/** Where a database says something that happens outside any query (an idle connection lost). */
export type DatabaseWarn = (line: string) => void;

const warnOnStderr: DatabaseWarn = (line) => console.error(`database: ${line}`);

/** Opens a new connection to the configured database. Servers use `getDatabase`; tests open their own. */
export async function openDatabase(config: DatabaseConfig, warn: DatabaseWarn = warnOnStderr): Promise<Database> {
  return config.kind === 'postgres' ? openPostgres(config.url, describeDatabase(config), warn) : openPGlite(config.dataDir, describeDatabase(config));
}

async function openPGlite(dataDir: string | null, description: string): Promise<Database> {
  // PGlite creates its own folder but not the parents (./data on a fresh clone).
  if (dataDir !== null) mkdirSync(dataDir, { recursive: true });
  // On a thread of its own: PGlite's queries run synchronously and would stall every socket.
  return databaseFromPGlite(await PGliteThread.open(dataDir), description);
}

/** Wraps a PGlite the caller opened (tests, tools), here or on its own thread; closing the Database closes it. */
export function databaseFromPGlite(pglite: PGliteLike, description = 'PGlite'): Database {
  // The adapter calls only query, exec and transaction, which a PGliteThread answers as PGlite does.
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(pglite as PGlite) });
  return {
    prisma,
    kind: 'pglite',
    description,
    sql: pgliteConnector(pglite),
    async runStatements(statements) {
      if (statements.length === 1) return [(await pglite.query<Record<string, unknown>>(statements[0].text, [...statements[0].values])).rows];
      return pglite.transaction(async (tx) => {
        const results: Record<string, unknown>[][] = [];
        for (const statement of statements) results.push((await tx.query<Record<string, unknown>>(statement.text, [...statement.values])).rows);
        return results;
      });
    },
    async close() {
      await prisma.$disconnect();
      if (!pglite.closed) await pglite.close();
    },
  };
}

function pgliteSession(client: PGliteLike): SqlSession {
  return {
    async query<Row extends object>(sql: string, params: readonly unknown[] = []) {
      const result = await client.query<Row>(sql, [...params]);
      return result.rows;
    },
    async exec(script) {
      await client.exec(script);
    },
  };
}

/**
 * PGlite has a single connection. Sessions take turns, so two callers in this process never interleave
 * their BEGIN and COMMIT on it (another process cannot open the same folder at all). Prisma's queries do
 * not take turns with them: run migrations before serving, or a query could land inside their transaction.
 */
function pgliteConnector(pglite: PGliteLike): SqlConnector {
  let turn: Promise<unknown> = Promise.resolve();
  return {
    withSession<T>(task: (session: SqlSession) => Promise<T>): Promise<T> {
      const mine = turn.then(() => task(pgliteSession(pglite)));
      turn = mine.catch(() => undefined);
      return mine;
    },
  };
}

async function openPostgres(url: string, description: string, warn: DatabaseWarn): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url });
  // An idle client losing its server (a restart, a network blip) must not crash the process.
  pool.on('error', (error) => warn(`idle connection error: ${error.message}`));
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  return {
    prisma,
    kind: 'postgres',
    description,
    async runStatements(statements) {
      if (statements.length === 1) return [(await pool.query<Record<string, unknown>>(statements[0].text, [...statements[0].values])).rows];
      const client = await pool.connect();
      let broken = false;
      try {
        await client.query('BEGIN');
        const results: Record<string, unknown>[][] = [];
        for (const statement of statements) results.push((await client.query<Record<string, unknown>>(statement.text, [...statement.values])).rows);
        await client.query('COMMIT');
        return results;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {
          broken = true;
        });
        throw error;
      } finally {
        client.release(broken);
      }
    },
    sql: {
      async withSession<T>(task: (session: SqlSession) => Promise<T>): Promise<T> {
        const client = await pool.connect();
        let broken = false;
        try {
          return await task({
            async query<Row extends object>(sql: string, params: readonly unknown[] = []) {
              const result = await client.query<Row>(sql, [...params]);
              return result.rows;
            },
            async exec(script) {
              // Without parameters pg uses the simple query protocol, which runs several statements.
              await client.query(script);
            },
          });
        } catch (error) {
          broken = true;
          throw error;
        } finally {
          // A session that failed may still be inside a transaction: destroy it rather than reuse it.
          client.release(broken);
        }
      },
    },
    async close() {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}

let shared: { config: DatabaseConfig; database: Promise<Database> } | undefined;

/** The process's one database (one Prisma client per process), opened by the first call. */
export function getDatabase(config: DatabaseConfig, warn?: DatabaseWarn): Promise<Database> {
  if (!shared) {
    const database = openDatabase(config, warn);
    shared = { config, database };
    // A failed open is not cached: the next call tries again.
    database.catch(() => {
      if (shared?.database === database) shared = undefined;
    });
    return database;
  }
  if (JSON.stringify(shared.config) !== JSON.stringify(config)) {
    throw new Error(`The database is already open as ${describeDatabase(shared.config)}; this process cannot open ${describeDatabase(config)} too.`);
  }
  return shared.database;
}

/** Closes the process's database, if it was opened (at shutdown). */
export async function closeDatabase(): Promise<void> {
  const current = shared;
  shared = undefined;
  if (current) await (await current.database).close();
}
