/**
 * The server's structured log: one JSON line per event in production (level, time, session code, event
 * family, duration), readable lines in development, quiet in tests. Built on pino, the logger made for
 * Node servers: it writes asynchronously, so logging never holds up a room.
 *
 * What never reaches a log at info or above: host and player secrets (redacted wherever they appear in a
 * logged object, whatever the caller meant), nicknames (redacted the same way; debug lines may carry a
 * player id instead), message payloads.
 */
import pino, { type DestinationStream, type Level, type LevelWithSilent, type Logger as PinoLogger } from 'pino';

export type Logger = PinoLogger;

/** The families a log line can belong to, so an operator can filter and count them. */
export type LogFamily =
  | 'startup'
  | 'config'
  | 'database'
  | 'engine'
  | 'http'
  | 'session'
  | 'seat'
  | 'attention'
  | 'key'
  | 'teacher'
  | 'stage'
  | 'room'
  | 'persistence'
  | 'solo'
  | 'review'
  | 'limits'
  | 'authoring'
  | 'shutdown';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const satisfies readonly LevelWithSilent[];

/**
 * Keys whose values are censored wherever they appear (top level or one object down): every secret the
 * protocol knows, and nicknames, which are personal data in a classroom.
 */
const REDACTED_KEYS = ['hostSecret', 'playerSecret', 'secret', 'authorization', 'cookie', 'nickname'] as const;
export const REDACT_PATHS: string[] = REDACTED_KEYS.flatMap((key) => [key, `*.${key}`]);

export interface LoggerOptions {
  level?: LevelWithSilent;
  /** Human-readable lines (pino-pretty) instead of JSON; for a developer's terminal. */
  pretty?: boolean;
  /** Where JSON lines go; stdout when absent. Tests pass a stream to read what was logged. */
  destination?: DestinationStream;
}

/** A logger for the server process. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const base = {
    level: options.level ?? 'info',
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
  };
  if (options.destination) return pino(base, options.destination);
  if (options.pretty) {
    return pino({
      ...base,
      transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'HH:MM:ss.l', ignore: 'pid,hostname' } },
    });
  }
  return pino(base);
}

/** The logger for the entry point, from NODE_ENV and LOG_LEVEL (already validated by the config). */
export function loggerFromConfig(config: { NODE_ENV: string; LOG_LEVEL?: Level | 'silent' }): Logger {
  const production = config.NODE_ENV === 'production';
  return createLogger({
    level: config.LOG_LEVEL ?? (config.NODE_ENV === 'test' ? 'warn' : 'info'),
    pretty: !production && process.stdout.isTTY === true,
  });
}

/** A logger that writes nothing: the default for servers built in tests. */
export const silentLogger: Logger = pino({ level: 'silent' });

/** An error as log fields: message and stack, never the objects it may hold. */
export function errorFields(error: unknown): { err: { message: string; stack?: string } } {
  if (error instanceof Error) return { err: { message: error.message, stack: error.stack } };
  return { err: { message: String(error) } };
}
