/** A real server logger whose JSON lines are kept in memory, so tests can read what the server logged. */
import { createLogger, type Logger } from '../../server/log';

export interface CapturedLogs {
  logger: Logger;
  /** Every line written, as the JSON text an operator's log system would receive. */
  lines: string[];
  /** The lines, parsed. */
  entries(): Record<string, unknown>[];
}

export function captureLogs(level: 'debug' | 'info' | 'trace' = 'debug'): CapturedLogs {
  const lines: string[] = [];
  const logger = createLogger({ level, destination: { write: (line: string) => void lines.push(line) } });
  return { logger, lines, entries: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}
