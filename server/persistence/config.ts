/**
 * Which database the process uses, read from the environment and checked with a schema at start-up.
 *
 * - `DATABASE_URL` unset: the embedded PGlite, kept in `<DATA_DIR>/pglite` (DATA_DIR defaults to ./data).
 *   No server to install; the folder is created on first start.
 * - `DATABASE_URL=postgres://…` or `postgresql://…`: a PostgreSQL server (production, several processes).
 * - `DATABASE_URL=memory://`: a PGlite that lives in memory and is gone when the process ends (tests).
 */
import path from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../config';

/** Where the data lives. `dataDir: null` is an in-memory PGlite. */
export type DatabaseConfig = { kind: 'pglite'; dataDir: string | null } | { kind: 'postgres'; url: string };

/** DATA_DIR's default, relative to the working directory. */
export const DEFAULT_DATA_DIR = './data';

const MEMORY_URL = 'memory://';

// `DATABASE_URL=` in a .env file or a shell means "not set", not "the empty string".
const unsetIfEmpty = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);

const databaseUrl = z
  .string()
  .trim()
  .refine((url) => url === MEMORY_URL || /^postgres(ql)?:\/\//i.test(url), {
    error: `must start with postgres:// or postgresql:// (a PostgreSQL server) or be ${MEMORY_URL} (a PGlite in memory); leave it unset for the embedded PGlite in DATA_DIR`,
  })
  .refine((url) => url === MEMORY_URL || URL.canParse(url), { error: 'is not a well-formed URL' });

const databaseEnvSchema = z.object({
  DATABASE_URL: z.preprocess(unsetIfEmpty, databaseUrl.optional()),
  DATA_DIR: z.preprocess(unsetIfEmpty, z.string().default(DEFAULT_DATA_DIR)),
});

/** A URL as it may be printed: the password replaced by `***`. */
export function redactUrl(url: string): string {
  if (!URL.canParse(url)) return url.replace(/\/\/([^:/@]*):[^@/]*@/, '//$1:***@');
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

/** Reads DATABASE_URL and DATA_DIR; throws a ConfigError naming the bad variable (passwords redacted). */
export function loadDatabaseConfig(env: Record<string, string | undefined> = process.env, cwd = process.cwd()): DatabaseConfig {
  const parsed = databaseEnvSchema.safeParse({ DATABASE_URL: env.DATABASE_URL, DATA_DIR: env.DATA_DIR });
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const name = String(issue.path[0] ?? 'environment');
        const value = env[name];
        return `${name}${value === undefined ? '' : ` (got "${redactUrl(value)}")`}: ${issue.message}`;
      }),
    );
  }
  const { DATABASE_URL: url, DATA_DIR: dataDir } = parsed.data;
  if (url === undefined) return { kind: 'pglite', dataDir: path.resolve(cwd, dataDir, 'pglite') };
  if (url === MEMORY_URL) return { kind: 'pglite', dataDir: null };
  return { kind: 'postgres', url };
}

/** One line for logs: which database, without secrets. */
export function describeDatabase(config: DatabaseConfig): string {
  if (config.kind === 'postgres') return `PostgreSQL at ${redactUrl(config.url)}`;
  return config.dataDir === null ? 'PGlite in memory' : `PGlite in ${config.dataDir}`;
}
