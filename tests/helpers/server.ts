/** Boots the real server in-process on a free port, with or without Next, for integration and e2e tests. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import next from 'next';
import { createAttentionEngine, type AttentionEngine, type BackendName } from '../../lib/attention/engine';
import { curatedLessons } from '../../lib/lessons/curated/index';
import type { Lesson } from '../../lib/lessons/schema';
import { createServer, type ArenaServer, type PageHandler } from '../../server/app';
import { createLogger } from '../../server/log';

/** The repository root, whatever directory the tests were started from. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface BootedServer {
  /** http://127.0.0.1:PORT, no trailing slash. */
  url: string;
  port: number;
  server: ArenaServer;
  engine: AttentionEngine;
  /** Lines the server logged, for assertions and for failure messages. */
  logs: string[];
  close(): Promise<void>;
}

export interface BootOptions {
  backend?: BackendName;
  lessons?: readonly Lesson[];
  clock?: () => number;
  /** Serve pages from the production build in .next (it must exist); otherwise pages answer 404. */
  withNext?: boolean;
  /** Origins that may frame the stage (STAGE_EMBED_ORIGINS). */
  stageEmbedOrigins?: readonly string[];
}

/** Fails with the fix in the message, rather than with Next's own error deep inside prepare(). */
export function assertProductionBuild(): void {
  if (!existsSync(path.join(ROOT, '.next', 'BUILD_ID'))) {
    throw new Error('No production build in .next (BUILD_ID is missing). Run `npx next build` first; `npm test` does it for you.');
  }
}

const noPages: PageHandler = async (_req, res) => {
  res.writeHead(404, { 'content-type': 'text/plain' });
  res.end('no pages in this test');
};

/** Starts engine, optional Next, and the server on port 0 of 127.0.0.1. */
export async function bootServer(options: BootOptions = {}): Promise<BootedServer> {
  const logs: string[] = [];
  const log = (line: string) => logs.push(line);
  const logger = createLogger({ level: 'debug', destination: { write: (line: string) => void logs.push(line) } });
  const engine = await createAttentionEngine({ backend: options.backend ?? 'cpu', log });

  let nextApp: ReturnType<typeof next> | undefined;
  let nextHandler = noPages;
  if (options.withNext) {
    assertProductionBuild();
    nextApp = next({ dev: false, dir: ROOT, quiet: true, hostname: '127.0.0.1' });
    await nextApp.prepare();
    const handle = nextApp.getRequestHandler();
    nextHandler = (req, res) => handle(req, res);
  }

  const server = createServer({
    engine,
    lessons: options.lessons ?? curatedLessons,
    nextHandler,
    logger,
    clock: options.clock,
    closeGraceMs: 500,
    stageEmbedOrigins: options.stageEmbedOrigins,
  });
  const { port } = await server.listen(0, '127.0.0.1');
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    server,
    engine,
    logs,
    async close() {
      await server.close();
      await nextApp?.close();
      engine.dispose();
    },
  };
}
