/**
 * The one Node process: an HTTP server that answers /api itself, hands every other request to Next,
 * and carries socket.io on the same port. Everything it needs comes in as an argument so tests can boot
 * a real server with their own parts.
 */
import { createServer as createHttpServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server as SocketServer } from 'socket.io';
import type { AttentionEngine } from '../lib/attention/engine';
import type { Lesson } from '../lib/lessons/schema';
import type { ClientToServerEvents, ServerToClientEvents } from '../lib/protocol';
import { handleApi, type RouteDeps } from './http/routes';
import { createSoloApi } from './http/solo';
import { MemorySessionRepository } from './persistence/memory';
import type { SessionRepository } from './persistence/repository';
import { MemorySoloRepository, type SoloRepository } from './persistence/solo-repository';
import { attachRealtime, type Realtime } from './realtime';
import { toClock, type Clock } from './rooms/clock';
import type { ArenaIo, NoInterServerEvents, SocketData } from './rooms/types';
import type { RandomBytes } from './secrets';

/** Next's request handler, or a stand-in for tests that run without Next. */
export type PageHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/** What the server is built from. */
export interface ServerDeps {
  engine: AttentionEngine;
  lessons: readonly Lesson[];
  /** Everything outside /api goes here; without it such requests get a plain 404. */
  nextHandler?: PageHandler;
  log?: (line: string) => void;
  /**
   * Time for the API, the game and its timers. A bare function is only a time source (timers stay
   * Node's); tests pass a full clock to move time on by hand.
   */
  clock?: Clock | (() => number);
  /** Where sessions are saved; in process memory when absent. */
  repository?: SessionRepository;
  /** Where solo progress (finished runs, each learner's best) is saved; in process memory when absent. */
  soloRepository?: SoloRepository;
  /** Chance for seating and AI classmates (seeded in tests); never used for secrets. */
  random?: () => number;
  /** Randomness for secrets and ids; node:crypto when absent. */
  randomBytes?: RandomBytes;
  /** The projector's and the teacher's update interval (ms); ~10 per second when absent. */
  stageIntervalMs?: number;
  /** How often a phone hears of others' moves (ms); at most 2 per second when absent. */
  teammateIntervalMs?: number;
  /** How long close() lets open requests finish before cutting them off. */
  closeGraceMs?: number;
}

/** A server that has been built but not necessarily started. */
export interface ArenaServer {
  httpServer: HttpServer;
  io: ArenaIo;
  /** The live game: rooms, their queues and the repository they save to. */
  realtime: Realtime;
  /** Restores live sessions from the repository, then starts listening; port 0 picks a free port, which is returned. */
  listen(port: number, host?: string): Promise<{ port: number }>;
  /** Disconnects every socket, stops accepting requests and resolves once the port is free. */
  close(): Promise<void>;
}

const notFound: PageHandler = async (_req, res) => {
  res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
  res.end('Not found');
};

function isApiPath(url: string | undefined): boolean {
  return url === '/api' || (url?.startsWith('/api/') ?? false) || (url?.startsWith('/api?') ?? false);
}

/** Builds the HTTP server, its API routes and the socket.io server on top of it. */
export function createServer(deps: ServerDeps): ArenaServer {
  const log = deps.log ?? (() => {});
  const gameClock = toClock(deps.clock);
  const clock = () => gameClock.now();
  const pages = deps.nextHandler ?? notFound;
  // One repository for the game and the review routes.
  const repository = deps.repository ?? new MemorySessionRepository();
  // Set once the rooms exist: the review reads a live room's state rather than its last snapshot.
  let liveRooms: Realtime | null = null;
  const routeDeps: RouteDeps = {
    engine: deps.engine,
    lessons: deps.lessons,
    clock,
    startedAt: clock(),
    log,
    review: { repository, liveRecord: (sessionId) => liveRooms?.registry.get(sessionId)?.record() ?? null },
    solo: createSoloApi({
      engine: deps.engine,
      lessons: deps.lessons,
      repository: deps.soloRepository ?? new MemorySoloRepository(),
      clock,
      random: deps.random ?? Math.random,
      log,
    }),
  };

  const httpServer = createHttpServer((req, res) => {
    const handled = isApiPath(req.url) ? handleApi(req, res, routeDeps) : pages(req, res);
    handled.catch((error: unknown) => {
      log(`Request ${req.method} ${req.url} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
        res.end('Internal server error');
      } else {
        res.destroy();
      }
    });
  });

  const io = new SocketServer<ClientToServerEvents, ServerToClientEvents, NoInterServerEvents, SocketData>(httpServer, {
    serveClient: false,
    // Next's dev server upgrades its own hot-reload socket on this HTTP server; socket.io must leave
    // upgrades for other paths alone instead of destroying them.
    destroyUpgrade: false,
  });
  const realtime = attachRealtime(io, {
    engine: deps.engine,
    lessons: deps.lessons,
    repository,
    clock: gameClock,
    random: deps.random,
    randomBytes: deps.randomBytes,
    log,
    stageIntervalMs: deps.stageIntervalMs,
    teammateIntervalMs: deps.teammateIntervalMs,
  });
  liveRooms = realtime;

  let closing: Promise<void> | undefined;

  return {
    httpServer,
    io,
    realtime,
    async listen(port, host) {
      // Rooms first: a reconnecting phone must find its session as soon as the port answers.
      await realtime.restore();
      return new Promise((resolve, reject) => {
        const onError = (error: Error) => reject(error);
        httpServer.once('error', onError);
        httpServer.listen(port, host, () => {
          httpServer.off('error', onError);
          resolve({ port: (httpServer.address() as AddressInfo).port });
        });
      });
    },
    close() {
      closing ??= (async () => {
        // A browser's keep-alive or a streaming page must not hold shutdown forever.
        const cutOff = setTimeout(() => httpServer.closeAllConnections(), deps.closeGraceMs ?? 3000);
        cutOff.unref();
        try {
          // Rooms stop first, so the sockets closing below are not taken for students going away.
          await realtime.close();
          // io.close() disconnects every socket, then closes the HTTP server and waits for it.
          const stopped = io.close();
          httpServer.closeIdleConnections();
          await stopped;
        } finally {
          clearTimeout(cutOff);
        }
      })();
      return closing;
    },
  };
}
