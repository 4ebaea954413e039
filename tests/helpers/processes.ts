/**
 * The real server as its own process (`node --import tsx server/index.ts`, what `npm start` runs,
 * without tsx's wrapper process so that a kill reaches the server itself), for tests that must crash
 * it. Every process started here is remembered; `killAll` (in afterAll) ends whatever is left.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** How long a server may take to start: engine, database (PGlite's first start creates its files), migrations; minutes on a busy machine. */
const START_TIMEOUT_MS = 240_000;

const running = new Set<ServerProcess>();

/** A port nobody listens on right now (the OS picks it; it is free again once this returns). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

export interface ServerProcessOptions {
  port: number;
  /** Added to the environment (DATABASE_URL, DATA_DIR, …); the test's own DATABASE_URL never leaks in. */
  env?: Record<string, string>;
}

/** One server process. */
export class ServerProcess {
  /** stdout and stderr, interleaved, as they arrived. */
  output = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private exitedYet = false;

  private constructor(
    readonly child: ChildProcess,
    readonly port: number,
  ) {
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (this.output += chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (this.output += chunk));
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.exitedYet = true;
        running.delete(this);
        resolve({ code, signal });
      });
    });
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /**
   * Starts `server/index.ts` on 127.0.0.1:`port` with the cpu engine and no pages (ARENA_API_ONLY), and
   * resolves once it says it is listening (live sessions are restored before that).
   */
  static async start(options: ServerProcessOptions): Promise<ServerProcess> {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATABASE_URL: '',
      DATA_DIR: '',
      NODE_ENV: 'production',
      PORT: String(options.port),
      HOST: '127.0.0.1',
      ATTENTION_BACKEND: 'cpu',
      ARENA_API_ONLY: '1',
      ...options.env,
    };
    const child = spawn(process.execPath, ['--import', 'tsx', path.join('server', 'index.ts')], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const server = new ServerProcess(child, options.port);
    running.add(server);
    try {
      await server.waitForOutput(/Attention Arena on http:\/\/\S+:(\d+)/, START_TIMEOUT_MS);
    } catch (error) {
      server.kill();
      throw error;
    }
    return server;
  }

  /** Resolves with the match once the output matches `pattern`; rejects when the process exits first or time runs out. */
  waitForOutput(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const match = this.output.match(pattern);
        if (match) {
          done();
          resolve(match);
        }
      };
      const onExit = () => {
        done();
        reject(new Error(`The server exited (code ${this.child.exitCode}) before printing ${pattern}. Its output:\n${this.output}`));
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`The server did not print ${pattern} within ${timeoutMs / 1000} s. Its output:\n${this.output}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.child.stdout?.off('data', check);
        this.child.stderr?.off('data', check);
        this.child.off('exit', onExit);
      };
      this.child.stdout?.on('data', check);
      this.child.stderr?.on('data', check);
      this.child.once('exit', onExit);
      if (this.exitedYet) onExit();
      else check();
    });
  }

  /** `kill -9`: the process gets no chance to save, flush or close anything. Resolves once it is gone. */
  async crash(): Promise<void> {
    this.kill();
    await this.exited;
  }

  /** A graceful stop (SIGTERM), as a deploy would do; resolves with the exit code. */
  async stop(): Promise<number | null> {
    if (!this.exitedYet) this.child.kill('SIGTERM');
    return (await this.exited).code;
  }

  private kill(): void {
    if (!this.exitedYet) this.child.kill('SIGKILL');
  }

  /** SIGKILLs every server process still running; for afterAll, whatever the tests did. */
  static async killAll(): Promise<void> {
    const left = [...running];
    for (const server of left) server.kill();
    await Promise.all(left.map((server) => server.exited));
  }
}
