/**
 * The migrate step on PGlite and on the PostgreSQL server: it applies and records migrations exactly as
 * Prisma does (Prisma's own schema engine, the WebAssembly build, is the referee), changes nothing the
 * second time, and refuses a history that disagrees with the files.
 */
import { createHash } from 'node:crypto';
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../server/persistence/db';
import { migrate, MIGRATION_LOCK_KEY, MigrationError, MIGRATIONS_DIR, readMigrations } from '../../server/persistence/migrate';
import { readMigrationList } from '../../prisma/tools/schema-engine';
import { databaseTargets, type TestDatabase } from '../helpers/databases';

const migrationNames = readMigrations().map((migration) => migration.name);
const [firstMigration] = migrationNames;
const NO_FILTER = { externalTables: [], externalEnums: [] };

interface MigrationRecord {
  id: string;
  checksum: string;
  finished_at: Date | null;
  migration_name: string;
  logs: string | null;
  rolled_back_at: Date | null;
  started_at: Date;
  applied_steps_count: number;
}

const records = (db: Database) =>
  db.sql.withSession((session) => session.query<MigrationRecord>('SELECT * FROM "_prisma_migrations" ORDER BY "migration_name", "started_at"'));

const tableNames = (db: Database) =>
  db.sql.withSession(async (session) =>
    (await session.query<{ table_name: string }>("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name")).map(
      (row) => row.table_name,
    ),
  );

const columnNames = (db: Database, table: string) =>
  db.sql.withSession(async (session) =>
    (
      await session.query<{ column_name: string }>(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 ORDER BY column_name",
        [table],
      )
    ).map((row) => row.column_name),
  );

/** How `_prisma_migrations` is built, column by column, to compare ours with Prisma's. */
const migrationsTableShape = (db: Database) =>
  db.sql.withSession((session) =>
    session.query(
      `SELECT c.column_name, c.ordinal_position, c.data_type, c.character_maximum_length, c.is_nullable, c.column_default,
              (SELECT bool_or(ix.indisprimary) FROM pg_index ix JOIN pg_attribute a ON a.attrelid = ix.indrelid AND a.attnum = ANY(ix.indkey)
                WHERE ix.indrelid = '"_prisma_migrations"'::regclass AND a.attname = c.column_name) AS in_primary_key
         FROM information_schema.columns c
        WHERE c.table_schema = 'public' AND c.table_name = '_prisma_migrations'
        ORDER BY c.ordinal_position`,
    ),
  );

/** A copy of the repository's migrations that a test may edit. */
function copyMigrations(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'arena-migrations-'));
  cpSync(MIGRATIONS_DIR, dir, { recursive: true });
  return dir;
}

function addMigration(dir: string, name: string, sql: string): void {
  mkdirSync(path.join(dir, name));
  writeFileSync(path.join(dir, name, 'migration.sql'), sql);
}

const ADD_NOTE = '20990101000000_add_note';

for (const target of await databaseTargets()) {
  describe.skipIf(target.skip)(`migrate on ${target.kind}`, () => {
    let t: TestDatabase;
    const tempDirs: string[] = [];
    const tempCopy = () => {
      const dir = copyMigrations();
      tempDirs.push(dir);
      return dir;
    };

    beforeAll(async () => {
      t = await target.open('migrate');
    });
    afterAll(async () => {
      await t?.close();
    });
    beforeEach(async () => {
      await t.reset();
    });
    afterEach(() => {
      for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
    });

    it('applies every migration in order and records each with its SHA-256 checksum', async () => {
      expect(migrationNames.length).toBeGreaterThan(0);
      const result = await migrate(t.db);
      expect(result).toEqual({ applied: migrationNames, unchanged: [] });

      const rows = await records(t.db);
      expect(rows.map((row) => row.migration_name)).toEqual(migrationNames);
      for (const row of rows) {
        const file = readFileSync(path.join(MIGRATIONS_DIR, row.migration_name, 'migration.sql'));
        expect(row.checksum).toBe(createHash('sha256').update(file).digest('hex'));
        expect(row.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        expect(row.finished_at).toBeInstanceOf(Date);
        expect(row.finished_at!.getTime()).toBeGreaterThanOrEqual(row.started_at.getTime());
        expect(row).toMatchObject({ logs: null, rolled_back_at: null, applied_steps_count: 1 });
      }
      expect(await tableNames(t.db)).toEqual(expect.arrayContaining(['Session', 'Player', 'Round', 'Allocation', 'RoundResult', 'PlayerResult', 'SoloRun', 'SoloProgress']));
    });

    it("builds _prisma_migrations and checksums exactly as Prisma's schema engine does", async () => {
      const applied = await t.schemaEngine((engine) => engine.applyMigrations({ migrationsList: readMigrationList(), filters: NO_FILTER }));
      expect(applied.appliedMigrationNames).toEqual(migrationNames);
      const prismaShape = await migrationsTableShape(t.db);
      const prismaRows = await records(t.db);

      await t.reset();
      await migrate(t.db);
      expect(await migrationsTableShape(t.db)).toEqual(prismaShape);
      const ours = await records(t.db);
      expect(ours.map(({ migration_name, checksum, logs, rolled_back_at, applied_steps_count }) => ({ migration_name, checksum, logs, rolled_back_at, applied_steps_count }))).toEqual(
        prismaRows.map(({ migration_name, checksum, logs, rolled_back_at, applied_steps_count }) => ({ migration_name, checksum, logs, rolled_back_at, applied_steps_count })),
      );
    });

    it('leaves nothing for `prisma migrate deploy` to apply, and nothing for Prisma to flag', async () => {
      await migrate(t.db);
      await t.schemaEngine(async (engine) => {
        const history = await engine.diagnoseMigrationHistory({ migrationsList: readMigrationList(), optInToShadowDatabase: false, filters: NO_FILTER });
        expect(history).toEqual({ editedMigrationNames: [], failedMigrationNames: [], hasMigrationsTable: true, history: null });
        const deploy = await engine.applyMigrations({ migrationsList: readMigrationList(), filters: NO_FILTER });
        expect(deploy.appliedMigrationNames).toEqual([]);
      });
    });

    it('takes over a database that `prisma migrate deploy` migrated', async () => {
      await t.schemaEngine((engine) => engine.applyMigrations({ migrationsList: readMigrationList(), filters: NO_FILTER }));
      expect(await migrate(t.db)).toEqual({ applied: [], unchanged: migrationNames });
    });

    it('changes nothing when run a second time', async () => {
      await migrate(t.db);
      const before = { rows: await records(t.db), tables: await tableNames(t.db) };
      expect(await migrate(t.db)).toEqual({ applied: [], unchanged: migrationNames });
      expect({ rows: await records(t.db), tables: await tableNames(t.db) }).toEqual(before);
    });

    it('applies only what is new', async () => {
      const dir = tempCopy();
      await migrate(t.db, { migrationsDir: dir });
      addMigration(dir, ADD_NOTE, 'ALTER TABLE "SoloRun" ADD COLUMN "note" TEXT;\n');
      const lines: string[] = [];
      expect(await migrate(t.db, { migrationsDir: dir, log: (line) => lines.push(line) })).toEqual({ applied: [ADD_NOTE], unchanged: migrationNames });
      expect(lines).toEqual([`applied ${ADD_NOTE}`]);
      expect(await columnNames(t.db, 'SoloRun')).toContain('note');
    });

    it('refuses to go on when an applied migration was changed, naming it, and applies nothing', async () => {
      const dir = tempCopy();
      await migrate(t.db, { migrationsDir: dir });
      appendFileSync(path.join(dir, firstMigration, 'migration.sql'), '\n-- an afterthought\n');
      addMigration(dir, ADD_NOTE, 'ALTER TABLE "SoloRun" ADD COLUMN "note" TEXT;\n');

      const refusal = await migrate(t.db, { migrationsDir: dir }).catch((error: unknown) => error);
      expect(refusal).toBeInstanceOf(MigrationError);
      expect((refusal as MigrationError).migration).toBe(firstMigration);
      expect((refusal as MigrationError).message).toContain(`The migration ${firstMigration} was changed after it was applied`);
      expect(await columnNames(t.db, 'SoloRun')).not.toContain('note');
      expect((await records(t.db)).map((row) => row.migration_name)).toEqual(migrationNames);
    });

    it('does not count line endings as a change, as Prisma does not', async () => {
      const dir = tempCopy();
      await migrate(t.db, { migrationsDir: dir });
      const file = path.join(dir, firstMigration, 'migration.sql');
      writeFileSync(file, readFileSync(file, 'utf8').replace(/\n/g, '\r\n'));
      expect(await migrate(t.db, { migrationsDir: dir })).toEqual({ applied: [], unchanged: migrationNames });
    });

    it('refuses to go on when an applied migration has no folder', async () => {
      const dir = tempCopy();
      await migrate(t.db, { migrationsDir: dir });
      renameSync(path.join(dir, firstMigration), path.join(dir, `${firstMigration}_renamed`));
      await expect(migrate(t.db, { migrationsDir: dir })).rejects.toThrow(`The migration ${firstMigration} is applied to this database but its folder is missing`);
    });

    it('refuses to go on while a migration is recorded as failed', async () => {
      await migrate(t.db);
      await t.db.sql.withSession((session) =>
        session.query('INSERT INTO "_prisma_migrations" ("id", "checksum", "migration_name") VALUES ($1, $2, $3)', [
          '00000000-0000-4000-8000-000000000000',
          'f'.repeat(64),
          ADD_NOTE,
        ]),
      );
      await expect(migrate(t.db)).rejects.toThrow(`The migration ${ADD_NOTE} was started but never finished`);
    });

    it('rolls a failing migration back entirely, records nothing for it, and applies it once fixed', async () => {
      const dir = tempCopy();
      await migrate(t.db, { migrationsDir: dir });
      addMigration(dir, '20990101000000_broken', 'CREATE TABLE "Half" ("id" INTEGER);\nSELECT * FROM "NoSuchTable";\n');
      await expect(migrate(t.db, { migrationsDir: dir })).rejects.toThrow(/The migration 20990101000000_broken failed and was rolled back: .*NoSuchTable/);
      expect(await tableNames(t.db)).not.toContain('Half');
      expect((await records(t.db)).map((row) => row.migration_name)).toEqual(migrationNames);

      writeFileSync(path.join(dir, '20990101000000_broken', 'migration.sql'), 'CREATE TABLE "Half" ("id" INTEGER);\n');
      expect((await migrate(t.db, { migrationsDir: dir })).applied).toEqual(['20990101000000_broken']);
      expect(await tableNames(t.db)).toContain('Half');
    });

    // PGlite has one connection per database, so no second process can hold its lock: PostgreSQL only.
    const onPostgres = target.kind === 'pglite' ? () => {} : it;
    onPostgres('gives up with a clear error when another process holds the migration lock too long', async () => {
      const other = await t.connect();
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      let locked!: () => void;
      const isLocked = new Promise<void>((resolve) => (locked = resolve));
      const holder = other.sql.withSession(async (session) => {
        await session.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
        locked();
        await released;
        await session.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
      });
      await isLocked;
      try {
        await expect(migrate(t.db, { lockTimeoutMs: 300 })).rejects.toThrow(`Another process has been migrating this database for over 0.3 s (it holds advisory lock ${MIGRATION_LOCK_KEY})`);
      } finally {
        release();
        await holder;
      }
      expect((await migrate(t.db)).applied).toEqual(migrationNames);
    });

    it('lets exactly one of two simultaneous runs apply the migrations', async () => {
      const other = await t.connect();
      const [first, second] = await Promise.all([migrate(t.db), migrate(other)]);
      expect([...first.applied, ...second.applied]).toEqual(migrationNames);
      expect((await records(t.db)).map((row) => row.migration_name)).toEqual(migrationNames);
    });
  });
}
