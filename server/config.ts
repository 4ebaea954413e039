/**
 * The process's settings, read from the environment once at start-up and checked with a schema,
 * so a typo in a variable stops the server with a message naming it instead of failing later.
 */
import { z } from 'zod';
import type { BackendName } from '../lib/attention/backends';
import { LOG_LEVELS } from './log';
import { DEFAULT_ROOM_SIZE, MAX_ROOM_SIZE } from '../lib/protocol';

/**
 * The attention engine backends the server can be told to use. Restated rather than imported so that
 * reading the settings does not load TensorFlow.js; the type checks keep the two lists equal.
 */
export const ATTENTION_BACKENDS = ['wasm', 'cpu', 'webgpu'] as const satisfies readonly BackendName[];
const everyBackendListed: Exclude<BackendName, (typeof ATTENTION_BACKENDS)[number]> extends never ? true : false = true;
void everyBackendListed;

const wholeNumber = z.string().regex(/^\d+$/, 'must be a whole number').transform(Number);

/** An http(s) address whose origin (scheme, host, port) is what browsers send; a path is ignored. */
const webOrigin = z.string().refine((value) => /^https?:\/\/[^\s/]+/.test(value) && URL.canParse(value), 'must be an http:// or https:// address such as https://arena.school.example');

// `PORT=` in a .env file or a shell means "not set", not "the empty string".
const unsetIfEmpty = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);

const configSchema = z.object({
  NODE_ENV: z.preprocess(
    unsetIfEmpty,
    z
      .enum(['development', 'production', 'test'], { error: 'must be one of development, production, test' })
      .default('development'),
  ),
  PORT: z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .regex(/^\d+$/, 'must be a whole number, such as 3000')
      .transform(Number)
      .pipe(z.number().int().min(0, 'must be at least 0').max(65535, 'must be at most 65535'))
      .default(3000),
  ),
  HOST: z.preprocess(unsetIfEmpty, z.string().default('0.0.0.0')),
  ATTENTION_BACKEND: z.preprocess(
    unsetIfEmpty,
    z.enum(ATTENTION_BACKENDS, { error: `must be one of ${ATTENTION_BACKENDS.join(', ')}` }).default('wasm'),
  ),
  // Unset: info (warn under NODE_ENV=test).
  LOG_LEVEL: z.preprocess(unsetIfEmpty, z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).optional()),
  PUBLIC_URL: z.preprocess(unsetIfEmpty, webOrigin.optional()),
  ALLOWED_ORIGINS: z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .transform((value) => value.split(',').map((item) => item.trim()).filter(Boolean))
      .pipe(z.array(webOrigin))
      .default([]),
  ),
  STAGE_EMBED_ORIGINS: z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .transform((value) => value.split(',').map((item) => item.trim()).filter(Boolean))
      .pipe(z.array(webOrigin))
      .default([]),
  ),
  ROOM_SIZE: z.preprocess(
    unsetIfEmpty,
    wholeNumber.pipe(z.number().min(1, 'must be at least 1').max(MAX_ROOM_SIZE, `must be at most ${MAX_ROOM_SIZE}`)).default(DEFAULT_ROOM_SIZE),
  ),
  IDLE_EXPIRY_MINUTES: z.preprocess(unsetIfEmpty, wholeNumber.pipe(z.number().min(1, 'must be at least 1')).default(120)),
  REDIS_URL: z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// address')
      .optional(),
  ),
  /** Starts every Redis key and channel of this deployment, so several can share one Redis. */
  REDIS_PREFIX: z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .regex(/^[A-Za-z0-9_:.-]{1,64}$/, 'must be 1 to 64 letters, digits or _ : . -')
      .default('arena'),
  ),
});

/** The validated settings of this process. */
export type Config = z.infer<typeof configSchema>;

/** The environment was unusable; the message names every variable that is wrong. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid environment:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads and validates the settings; throws a ConfigError listing each bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = configSchema.safeParse({
    NODE_ENV: env.NODE_ENV,
    PORT: env.PORT,
    HOST: env.HOST,
    ATTENTION_BACKEND: env.ATTENTION_BACKEND,
    LOG_LEVEL: env.LOG_LEVEL,
    PUBLIC_URL: env.PUBLIC_URL,
    ALLOWED_ORIGINS: env.ALLOWED_ORIGINS,
    STAGE_EMBED_ORIGINS: env.STAGE_EMBED_ORIGINS,
    ROOM_SIZE: env.ROOM_SIZE,
    IDLE_EXPIRY_MINUTES: env.IDLE_EXPIRY_MINUTES,
    REDIS_URL: env.REDIS_URL,
    REDIS_PREFIX: env.REDIS_PREFIX,
  });
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const name = String(issue.path[0] ?? 'environment');
    const value = env[name];
    return `${name}${value === undefined ? '' : ` (got "${value}")`}: ${issue.message}`;
  });
  throw new ConfigError(problems);
}

/** For the entry point: the settings, or one clear message on stderr and exit code 1. */
export function loadConfigOrExit(env: Record<string, string | undefined> = process.env): Config {
  try {
    return loadConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}
