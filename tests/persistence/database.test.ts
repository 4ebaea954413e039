/**
 * Opening the database: the embedded PGlite creates its folder on first start and keeps its data across
 * restarts; the process shares one client; `npm run db:migrate` applies and reports.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { closeDatabase, getDatabase, openDatabase } from '../../server/persistence/db';
import { migrate, readMigrations } from '../../server/persistence/migrate';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const run = promisify(execFile);
const migrationNames = readMigrations().map((migration) => migration.name);
const tempDirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'arena-db-'));
  tempDirs.push(dir);
  return dir;
};

afterEach(async () => {
  await closeDatabase();
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('the embedded PGlite', () => {
  it('creates its folder, parents included, on first start and keeps the data across restarts', async () => {
    const dataDir = path.join(tempDir(), 'data', 'pglite');
    const first = await openDatabase({ kind: 'pglite', dataDir });
    expect(first.kind).toBe('pglite');
    expect(existsSync(path.join(dataDir, 'PG_VERSION'))).toBe(true);
    await migrate(first);
    await first.prisma.soloProgress.create({ data: { learnerId: 'l', lessonId: 'cat', bestScore: 50, stars: 1 } });
    await first.close();

    const second = await openDatabase({ kind: 'pglite', dataDir });
    expect(await migrate(second)).toEqual({ applied: [], unchanged: migrationNames });
    expect(await second.prisma.soloProgress.count()).toBe(1);
    await second.close();
  });
});

describe('getDatabase', () => {
  it('gives the whole process one client, and refuses a second configuration', async () => {
    const config = { kind: 'pglite', dataDir: null } as const;
    const [a, b] = await Promise.all([getDatabase(config), getDatabase(config)]);
    expect(a).toBe(b);
    expect(() => getDatabase({ kind: 'pglite', dataDir: '/elsewhere' })).toThrow('The database is already open as PGlite in memory');
    await closeDatabase();
    const c = await getDatabase(config);
    expect(c).not.toBe(a);
  });
});

describe('npm run db:migrate', () => {
  const tsx = path.join(ROOT, 'node_modules', '.bin', 'tsx');
  const cli = path.join(ROOT, 'server', 'cli', 'db-migrate.ts');
  const env = (dataDir: string) => ({ ...process.env, DATABASE_URL: '', DATA_DIR: dataDir });

  it('applies the migrations to the configured database and says what it did', async () => {
    const dataDir = tempDir();
    const first = await run(tsx, [cli], { cwd: ROOT, env: env(dataDir) });
    expect(first.stdout).toContain(`Migrating PGlite in ${path.join(dataDir, 'pglite')}`);
    for (const name of migrationNames) expect(first.stdout).toContain(`applied ${name}`);
    const second = await run(tsx, [cli], { cwd: ROOT, env: env(dataDir) });
    expect(second.stdout).toContain(`Nothing to apply: all ${migrationNames.length} migration(s) were already applied.`);
  });

  it('exits 1 with the reason when DATABASE_URL is unusable', async () => {
    const failure = await run(tsx, [cli], { cwd: ROOT, env: { ...process.env, DATABASE_URL: 'mysql://x' } }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 1 });
    expect((failure as { stderr: string }).stderr).toContain('DATABASE_URL (got "mysql://x"): must start with postgres://');
  });
});
