/**
 * Entry point: reads the settings, opens and migrates the database, starts the attention engine and
 * Next side by side, then serves all of it on one port, with the live sessions the database holds
 * restored before the port answers. `npm run dev` and `npm start` run this file.
 */
import { Redis } from 'ioredis';
import next from 'next';
import { z } from 'zod';
import { createAttentionEngine } from '../lib/attention/engine';
import { curatedLessons } from '../lib/lessons/curated/index';
import { createServer, type PageHandler } from './app';
import { ConfigError, loadConfigOrExit } from './config';
import { errorFields, loggerFromConfig, type Logger } from './log';
import { redisLimiters } from './limits/store';
import { loadDatabaseConfig, openPersistence, type DatabaseConfig } from './persistence/index';
import { MigrationError } from './persistence/migrate';
import { PrismaSoloRepository } from './persistence/solo-prisma';
import { PrismaAuthoredLessonRepository } from './persistence/authored-lessons';
import { loadWordNetLexicon } from './authoring/lexicon';
import { createScale } from './scale/index';

const SHUTDOWN_DEADLINE_MS = 10_000;

/**
 * ARENA_API_ONLY=1 serves the API and socket.io without Next (no pages, no build needed): for
 * processes that only carry the game, such as the crash-recovery test's.
 */
const apiOnlySchema = z.preprocess(
  (value) => (typeof value === 'string' && value.trim() === '' ? undefined : value),
  z.enum(['0', '1', 'true', 'false'], { error: 'must be 1 (no pages) or 0' }).default('0'),
);

/** The database settings and ARENA_API_ONLY, or every problem on stderr and exit code 1. */
function loadStorageConfigOrExit(env: Record<string, string | undefined> = process.env): { database: DatabaseConfig; apiOnly: boolean } {
  const problems: string[] = [];
  let database: DatabaseConfig | null = null;
  try {
    database = loadDatabaseConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(...error.problems);
  }
  const apiOnly = apiOnlySchema.safeParse(env.ARENA_API_ONLY);
  if (!apiOnly.success) problems.push(`ARENA_API_ONLY (got "${env.ARENA_API_ONLY}"): ${apiOnly.error.issues[0]?.message ?? 'invalid'}`);
  if (problems.length > 0 || database === null || !apiOnly.success) {
    console.error(new ConfigError(problems).message);
    process.exit(1);
  }
  return { database, apiOnly: apiOnly.data === '1' || apiOnly.data === 'true' };
}

/** Set as soon as the settings are read; until then problems go to stderr as plain text. */
let logger: Logger | null = null;

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const storage = loadStorageConfigOrExit();
  const log = loggerFromConfig(config);
  logger = log;
  const dev = config.NODE_ENV !== 'production';

  const nextApp = storage.apiOnly ? null : next({ dev, dir: process.cwd(), hostname: 'localhost', port: config.PORT });
  // Each takes a moment (WASM compile, Next's manifest or dev bundler, PGlite's start and the migrations);
  // none needs another.
  const [engine, persistence] = await Promise.all([
    // The engine only speaks when the chosen backend could not start and another one took over.
    createAttentionEngine({ backend: config.ATTENTION_BACKEND, log: (line) => log.warn({ family: 'engine' }, line) }),
    openPersistence(
      storage.database,
      (line) => log.info({ family: 'database' }, line),
      (line) => log.warn({ family: 'database' }, line),
    ),
    nextApp?.prepare(),
  ]);
  log.info({ family: 'database' }, persistence.summary);
  // WordNet takes a few seconds to read; the lesson editor's first sentence should not wait for it.
  loadWordNetLexicon().catch((error: unknown) => log.error({ family: 'startup', ...errorFields(error) }, 'WordNet could not be read; the lesson editor will fail'));
  const nextHandler = nextApp?.getRequestHandler();
  const pages: PageHandler | undefined = nextHandler ? (req, res) => nextHandler(req, res) : undefined;

  // With several processes the door's counts are shared through Redis; alone, memory is enough.
  const redis = config.REDIS_URL ? new Redis(config.REDIS_URL, { enableOfflineQueue: false, lazyConnect: false }) : null;
  redis?.on('error', (error: Error) => log.warn({ family: 'limits' }, `Redis (rate limits): ${error.message}; counting in memory until it answers`));
  // Several processes share rooms only through PostgreSQL: each PGlite is one process's own.
  const scale = config.REDIS_URL && storage.database.kind === 'postgres' ? createScale({ redisUrl: config.REDIS_URL, prefix: config.REDIS_PREFIX, logger: log }) : undefined;
  if (config.REDIS_URL && !scale) log.warn({ family: 'scale' }, 'REDIS_URL without DATABASE_URL: rate limits are shared, but rooms stay in this one process (several processes need PostgreSQL)');
  const server = createServer({
    engine,
    lessons: curatedLessons,
    nextHandler: pages,
    repository: persistence.repository,
    soloRepository: new PrismaSoloRepository(persistence.database.prisma),
    authoredLessons: new PrismaAuthoredLessonRepository(persistence.database.prisma),
    logger: log,
    limiters: redis ? redisLimiters(redis, `${config.REDIS_PREFIX}:limits`) : undefined,
    allowedOrigins: [...config.ALLOWED_ORIGINS, ...(config.PUBLIC_URL ? [config.PUBLIC_URL] : [])],
    defaultRoomSize: config.ROOM_SIZE,
    idleExpiryMs: config.IDLE_EXPIRY_MINUTES * 60_000,
    publicUrl: config.PUBLIC_URL,
    stageEmbedOrigins: config.STAGE_EMBED_ORIGINS.map((origin) => new URL(origin).origin),
    dev,
    scale,
  });
  const { port } = await server.listen(config.PORT, config.HOST);
  log.info(
    { family: 'startup', port, backend: engine.backend, apiOnly: storage.apiOnly },
    `Attention Arena on http://localhost:${port} (engine: ${engine.backend}${storage.apiOnly ? ', API only: no pages' : ''})`,
  );

  let stopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) {
      // A second Ctrl-C means "now".
      process.exit(1);
    }
    stopping = true;
    log.info({ family: 'shutdown', signal }, `${signal} received, shutting down`);
    setTimeout(() => {
      log.error({ family: 'shutdown' }, `Shutdown took longer than ${SHUTDOWN_DEADLINE_MS / 1000}s; exiting anyway`);
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS).unref();
    void (async () => {
      let code = 0;
      // The database closes last: the rooms' queued saves finish while the server closes.
      for (const [what, step] of [
        ['HTTP and socket.io', () => server.close()],
        ['Next', async () => nextApp?.close()],
        ['attention engine', async () => engine.dispose()],
        ['Redis', async () => {
          redis?.disconnect();
          await scale?.close();
        }],
        ['database', () => persistence.close()],
      ] as const) {
        try {
          await step();
        } catch (error) {
          code = 1;
          log.error({ family: 'shutdown', step: what, ...errorFields(error) }, `closing ${what} failed`);
        }
      }
      process.exit(code);
    })();
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  // A migration history that disagrees with prisma/migrations, or a database that cannot be reached,
  // says what to do in its message; anything else gets its stack.
  const known = error instanceof Error && (error instanceof MigrationError || error.message.startsWith('Cannot use '));
  if (logger) logger.fatal({ family: 'startup', ...(known ? {} : errorFields(error)) }, `Attention Arena failed to start: ${known ? error.message : 'see err'}`);
  else console.error('Attention Arena failed to start:', known ? error.message : error);
  process.exit(1);
});
