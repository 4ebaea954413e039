/**
 * The databases repository tests run against: the embedded PGlite (in memory) and the PostgreSQL server
 * on 127.0.0.1:5432. Each test file gets its own fresh PostgreSQL database with a unique name, dropped
 * when the file is done, so files can run in parallel and leave nothing behind.
 *
 * Without a reachable PostgreSQL the PostgreSQL half is skipped with the reason printed; with CI=true
 * that is an error instead, so CI never passes by testing only PGlite.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import type { SchemaEngine } from '@prisma/schema-engine-wasm';
import pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import type { DatabaseConfig } from '../../server/persistence/config';
import { databaseFromPGlite, openDatabase, type Database } from '../../server/persistence/db';
import { SCHEMA_PATH, withSchemaEngine } from '../../prisma/tools/schema-engine';

export type DatabaseKind = 'pglite' | 'postgres';

const SCHEMA = readFileSync(SCHEMA_PATH, 'utf8');

/** A maintenance database on the server, used to create and drop the test databases. */
export const POSTGRES_ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** One database for one test file. */
export interface TestDatabase {
  kind: DatabaseKind;
  /** The process's way in, as the server would open it. */
  db: Database;
  /** For PostgreSQL, the database's URL; null for PGlite. */
  url: string | null;
  /** Empties the database (its public schema: tables, types, rows), as if it were new. */
  reset(): Promise<void>;
  /** Another connection to the same database (PGlite has one connection: the same Database). */
  connect(): Promise<Database>;
  /** Runs Prisma's own schema engine (as `prisma migrate deploy` would) against this database. */
  schemaEngine<T>(task: (engine: SchemaEngine) => Promise<T>): Promise<T>;
  /** Closes every connection and drops the database. */
  close(): Promise<void>;
}

export interface DatabaseTarget {
  kind: DatabaseKind;
  /** Why this target is skipped; false when it runs. */
  skip: string | false;
  /** A fresh, empty database; `label` goes into its name (the test file's name). */
  open(label: string): Promise<TestDatabase>;
}

let postgresStatus: Promise<string | false> | undefined;

/** Whether the PostgreSQL server answers; the reason when it does not. */
function checkPostgres(): Promise<string | false> {
  postgresStatus ??= (async () => {
    const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL, connectionTimeoutMillis: 3000 });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return false;
    } catch (error) {
      return `PostgreSQL at ${POSTGRES_ADMIN_URL} is unreachable (${error instanceof Error ? error.message : String(error)})`;
    } finally {
      await client.end().catch(() => {});
    }
  })();
  return postgresStatus;
}

/** Both databases; call once at the top of a test file and make one describe block per target. */
export async function databaseTargets(): Promise<DatabaseTarget[]> {
  const unreachable = await checkPostgres();
  if (unreachable && process.env.CI === 'true') {
    throw new Error(`${unreachable}. CI must test PostgreSQL: start it (pg_ctlcluster … main start) or set TEST_POSTGRES_URL.`);
  }
  if (unreachable) console.warn(`Skipping the PostgreSQL tests: ${unreachable}.`);
  return [
    { kind: 'pglite', skip: false, open: openPGliteTestDatabase },
    { kind: 'postgres', skip: unreachable, open: openPostgresTestDatabase },
  ];
}

const RESET_SQL = 'DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;';

async function openPGliteTestDatabase(): Promise<TestDatabase> {
  const pglite = await PGlite.create();
  const db = databaseFromPGlite(pglite, 'PGlite in memory (test)');
  return {
    kind: 'pglite',
    db,
    url: null,
    async reset() {
      await pglite.exec(RESET_SQL);
    },
    async connect() {
      return db;
    },
    schemaEngine: (task) => withSchemaEngine(SCHEMA, task, new PrismaPGlite(pglite)),
    close: () => db.close(),
  };
}

/** A name no other file or run uses: arena_test_<label>_<time>_<random>, within PostgreSQL's 63 bytes. */
function uniqueDatabaseName(label: string): string {
  const clean = label.toLowerCase().replace(/[^a-z0-9]+/g, '_').slice(0, 24);
  return `arena_test_${clean}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
}

/** One statement on the PostgreSQL server as its administrator (CREATE/DROP DATABASE). */
export async function adminQuery(sql: string): Promise<void> {
  const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL, connectionTimeoutMillis: 3000 });
  await admin.connect();
  try {
    await admin.query(sql);
  } finally {
    await admin.end();
  }
}

/**
 * A closed pg pool's sockets may take a moment to leave the server: wait for them rather than kill them
 * (which the pool would report as errors), and only then force out what a failed test left open.
 */
export async function dropDatabase(name: string): Promise<void> {
  for (let attempt = 0; attempt < 40; attempt++) {
    try {
      await adminQuery(`DROP DATABASE IF EXISTS "${name}"`);
      return;
    } catch (error) {
      // 55006 object_in_use: "database is being accessed by other users".
      if ((error as { code?: string }).code !== '55006') throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  await adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
}

async function openPostgresTestDatabase(label: string): Promise<TestDatabase> {
  const name = uniqueDatabaseName(label);
  await adminQuery(`CREATE DATABASE "${name}"`);
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  const config: DatabaseConfig = { kind: 'postgres', url: url.toString() };
  const db = await openDatabase(config);
  const others: Database[] = [];
  return {
    kind: 'postgres',
    db,
    url: config.url,
    async reset() {
      await db.sql.withSession((session) => session.exec(RESET_SQL));
    },
    async connect() {
      const other = await openDatabase(config);
      others.push(other);
      return other;
    },
    async schemaEngine(task) {
      // The engine keeps its connection, and with it the migration lock, until the pool ends.
      const pool = new pg.Pool({ connectionString: config.url });
      pool.on('error', () => {});
      try {
        return await withSchemaEngine(SCHEMA, task, new PrismaPg(pool));
      } finally {
        await pool.end();
      }
    },
    async close() {
      await Promise.all([db, ...others].map((each) => each.close().catch(() => {})));
      await dropDatabase(name);
    },
  };
}
