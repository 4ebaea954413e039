/**
 * Entry point: reads the settings, starts the attention engine and Next side by side, then serves
 * both on one port. `npm run dev` and `npm start` run this file.
 */
import next from 'next';
import { createAttentionEngine } from '../lib/attention/engine';
import { curatedLessons } from '../lib/lessons/curated/index';
import { createServer } from './app';
import { loadConfigOrExit } from './config';

const SHUTDOWN_DEADLINE_MS = 10_000;

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const dev = config.NODE_ENV !== 'production';

  const nextApp = next({ dev, dir: process.cwd(), hostname: 'localhost', port: config.PORT });
  // Both take seconds (WASM compile, Next's build manifest or dev bundler); neither needs the other.
  const [engine] = await Promise.all([
    createAttentionEngine({ backend: config.ATTENTION_BACKEND, log: console.log }),
    nextApp.prepare(),
  ]);
  const nextHandler = nextApp.getRequestHandler();

  const server = createServer({
    engine,
    lessons: curatedLessons,
    nextHandler: (req, res) => nextHandler(req, res),
    log: console.error,
  });
  const { port } = await server.listen(config.PORT, config.HOST);
  console.log(`Attention Arena on http://localhost:${port} (engine: ${engine.backend})`);

  let stopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) {
      // A second Ctrl-C means "now".
      process.exit(1);
    }
    stopping = true;
    console.log(`${signal} received, shutting down`);
    setTimeout(() => {
      console.error(`Shutdown took longer than ${SHUTDOWN_DEADLINE_MS / 1000}s; exiting anyway`);
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS).unref();
    void (async () => {
      let code = 0;
      for (const [what, step] of [
        ['HTTP and socket.io', () => server.close()],
        ['Next', () => nextApp.close()],
        ['attention engine', async () => engine.dispose()],
      ] as const) {
        try {
          await step();
        } catch (error) {
          code = 1;
          console.error(`Closing ${what} failed:`, error);
        }
      }
      process.exit(code);
    })();
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  console.error('Attention Arena failed to start:', error);
  process.exit(1);
});
