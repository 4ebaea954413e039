/** Reading DATABASE_URL and DATA_DIR: the embedded default, PostgreSQL, memory, and clear refusals. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../server/config';
import { describeDatabase, loadDatabaseConfig, redactUrl } from '../../server/persistence/config';

const cwd = '/srv/arena';

describe('loadDatabaseConfig', () => {
  it('defaults to the embedded PGlite in ./data/pglite', () => {
    expect(loadDatabaseConfig({}, cwd)).toEqual({ kind: 'pglite', dataDir: path.join(cwd, 'data', 'pglite') });
    expect(loadDatabaseConfig({ DATABASE_URL: '  ', DATA_DIR: '' }, cwd)).toEqual({ kind: 'pglite', dataDir: path.join(cwd, 'data', 'pglite') });
  });

  it('keeps PGlite under DATA_DIR, relative to the working directory or absolute', () => {
    expect(loadDatabaseConfig({ DATA_DIR: 'var/db' }, cwd)).toEqual({ kind: 'pglite', dataDir: path.join(cwd, 'var', 'db', 'pglite') });
    expect(loadDatabaseConfig({ DATA_DIR: '/tmp/arena' }, cwd)).toEqual({ kind: 'pglite', dataDir: '/tmp/arena/pglite' });
  });

  it('uses a PostgreSQL server for postgres:// and postgresql:// URLs', () => {
    const url = 'postgres://arena:s3cret@db.internal:5432/arena?sslmode=require';
    expect(loadDatabaseConfig({ DATABASE_URL: url }, cwd)).toEqual({ kind: 'postgres', url });
    expect(loadDatabaseConfig({ DATABASE_URL: 'postgresql://localhost/arena' }, cwd)).toEqual({ kind: 'postgres', url: 'postgresql://localhost/arena' });
  });

  it('keeps PGlite in memory for memory://', () => {
    expect(loadDatabaseConfig({ DATABASE_URL: 'memory://' }, cwd)).toEqual({ kind: 'pglite', dataDir: null });
  });

  it('refuses any other URL, naming the variable and hiding the password', () => {
    let error: unknown;
    try {
      loadDatabaseConfig({ DATABASE_URL: 'mysql://root:hunter2@localhost/arena' }, cwd);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).toContain('DATABASE_URL (got "mysql://root:***@localhost/arena"): must start with postgres:// or postgresql://');
    expect(message).not.toContain('hunter2');
    expect(() => loadDatabaseConfig({ DATABASE_URL: 'file:./dev.db' }, cwd)).toThrow(/DATABASE_URL .*leave it unset for the embedded PGlite/);
    expect(() => loadDatabaseConfig({ DATABASE_URL: 'postgres://a b' }, cwd)).toThrow('DATABASE_URL (got "postgres://a b"): is not a well-formed URL');
  });
});

describe('redactUrl and describeDatabase', () => {
  it('never print a password', () => {
    expect(redactUrl('postgres://arena:s3cret@db:5432/arena')).toBe('postgres://arena:***@db:5432/arena');
    expect(redactUrl('postgres://arena@db/arena')).toBe('postgres://arena@db/arena');
    expect(describeDatabase({ kind: 'postgres', url: 'postgres://arena:s3cret@db/arena' })).toBe('PostgreSQL at postgres://arena:***@db/arena');
    expect(describeDatabase({ kind: 'pglite', dataDir: '/srv/arena/data/pglite' })).toBe('PGlite in /srv/arena/data/pglite');
    expect(describeDatabase({ kind: 'pglite', dataDir: null })).toBe('PGlite in memory');
  });
});
