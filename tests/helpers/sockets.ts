/**
 * Real socket.io clients against a real server on port 0, for the realtime tests. Tests wait for
 * events (a view that satisfies a predicate, a notice, an answer), never for time to pass; time in
 * the game moves only when a test advances the fake clock.
 */
import { io as connectSocket, type Socket } from 'socket.io-client';
import { createAttentionEngine, type AttentionEngine } from '../../lib/attention/engine';
import { seededRandom } from '../../lib/game';
import { curatedLessons } from '../../lib/lessons/curated/index';
import type { Lesson } from '../../lib/lessons/schema';
import {
  applyPatch,
  PROTOCOL_VERSION,
  type Ack,
  type AnyView,
  type ClientEventName,
  type ClientToServerEvents,
  type InboundInput,
  type ProtocolError,
  type ResponseData,
  type ServerEventName,
  type ServerToClientEvents,
  type StageView,
  type StudentView,
  type TeacherView,
} from '../../lib/protocol';
import { createServer, type ArenaServer } from '../../server/app';
import { MemorySessionRepository } from '../../server/persistence/memory';
import type { SessionRepository } from '../../server/persistence/repository';
import type { LimitOverrides } from '../../server/limits/settings';
import type { CancelTimer, Clock } from '../../server/rooms/clock';
import { captureLogs } from './logs';

/** How long a test waits for something the server should do at once; only reached when it does not. */
const WAIT_MS = 30_000;

export const START_TIME = 1_700_000_000_000;

/** A clock that moves only when told: timers fire, in time order, as `advance` passes them. */
export class FakeClock implements Clock {
  private time: number;
  private nextId = 1;
  private readonly timers = new Map<number, { at: number; callback: () => void }>();

  constructor(start = START_TIME) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  schedule(delayMs: number, callback: () => void): CancelTimer {
    const id = this.nextId++;
    this.timers.set(id, { at: this.time + Math.max(0, delayMs), callback });
    return () => this.timers.delete(id);
  }

  /** Moves time on by `ms`, firing each due timer at its own time (ties in the order they were set). */
  advance(ms: number): void {
    const until = this.time + ms;
    for (;;) {
      let due: [number, { at: number; callback: () => void }] | null = null;
      for (const entry of this.timers) if (entry[1].at <= until && (due === null || entry[1].at < due[1].at)) due = entry;
      if (!due) break;
      this.timers.delete(due[0]);
      this.time = Math.max(this.time, due[1].at);
      due[1].callback();
    }
    this.time = until;
  }

  /** Timers not fired yet. */
  get pending(): number {
    return this.timers.size;
  }
}

export interface Arena {
  url: string;
  server: ArenaServer;
  repository: SessionRepository;
  clock: FakeClock;
  logs: string[];
  /** Connects a client that speaks this protocol version. */
  connect(options?: ConnectOptions): Promise<Client>;
  /** Closes every client this arena connected, then the server (the engine stays for the next arena). */
  close(): Promise<void>;
}

export interface ArenaOptions {
  engine: AttentionEngine;
  clock?: FakeClock;
  repository?: SessionRepository;
  /** Seed for seating and AI classmates. */
  seed?: number;
  lessons?: readonly Lesson[];
  /** The door's budgets where a test needs others than the defaults. */
  limits?: LimitOverrides;
  /** Web origins besides the server's own. */
  allowedOrigins?: readonly string[];
  /**
   * The coalescing interval of the teacher's, the projector's and teammates' updates; 0 (the default
   * here) sends every change at once, so tests that do not move the fake clock still see them.
   */
  stageIntervalMs?: number;
  /** Likewise for what students hear of others' moves; 0 by default here. */
  teammateIntervalMs?: number;
}

/** A cpu engine: the fastest backend to start, and exact enough to compare with the reference. */
export function cpuEngine(): Promise<AttentionEngine> {
  return createAttentionEngine({ backend: 'cpu', log: () => {} });
}

/** Boots a server on 127.0.0.1, port 0, with a fake clock and an in-memory repository unless given. */
export async function bootArena(options: ArenaOptions): Promise<Arena> {
  const captured = captureLogs();
  const clock = options.clock ?? new FakeClock();
  const repository = options.repository ?? new MemorySessionRepository();
  const server = createServer({
    engine: options.engine,
    lessons: options.lessons ?? curatedLessons,
    repository,
    clock,
    random: seededRandom(options.seed ?? 1),
    logger: captured.logger,
    closeGraceMs: 500,
    limits: options.limits,
    allowedOrigins: options.allowedOrigins,
    stageIntervalMs: options.stageIntervalMs ?? 0,
    teammateIntervalMs: options.teammateIntervalMs ?? 0,
  });
  const { port } = await server.listen(0, '127.0.0.1');
  const url = `http://127.0.0.1:${port}`;
  const clients: Client[] = [];
  return {
    url,
    server,
    repository,
    clock,
    logs: captured.lines,
    async connect(connectOptions) {
      const client = await Client.connect(url, connectOptions);
      clients.push(client);
      return client;
    },
    async close() {
      for (const client of clients) client.disconnect();
      await server.close();
    },
  };
}

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface ConnectOptions {
  /** The handshake's `auth`; this protocol's version when absent. */
  auth?: unknown;
}

/** What the server said in a refused connection. */
export interface ConnectRefusal {
  message: string;
  data: ProtocolError | undefined;
}

/** Tries to connect; resolves with the refusal when the server turns the connection down. */
export function connectRefused(url: string, auth: unknown): Promise<ConnectRefusal> {
  const socket: ClientSocket = connectSocket(url, { transports: ['websocket'], reconnection: false, forceNew: true, auth: auth as object });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the server neither accepted nor refused the connection')), WAIT_MS);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.disconnect();
      reject(new Error('the server accepted a connection it should have refused'));
    });
    socket.once('connect_error', (error: Error & { data?: ProtocolError }) => {
      clearTimeout(timer);
      socket.disconnect();
      resolve({ message: error.message, data: error.data });
    });
  });
}

/** Something the server pushed to this client, in arrival order. */
export type Pushed = { [E in ServerEventName]: { event: E; data: Parameters<ServerToClientEvents[E]>[0] } }[ServerEventName];

/** A socket.io client that records everything it receives, as a browser's lib/client would see it. */
export class Client {
  /** The data of every engine.io packet received: the socket.io packets exactly as they were encoded. */
  readonly frames: string[] = [];
  /** Every `state:update`, in arrival order. */
  readonly updates: AnyView[] = [];
  /** Every server push (updates and notices), in arrival order. */
  readonly pushed: Pushed[] = [];
  /** The newest view known, from updates and answers (highest version wins). */
  latest: AnyView | null = null;
  /** Patches that did not apply to the view held (each followed by a `state:sync`). */
  patchesMissed = 0;
  /** How many of the next patches to lose, to test the way back. */
  dropPatches = 0;
  /** Why the server closed the socket, once it has. */
  disconnectReason: string | null = null;
  private readonly waiters = new Set<() => void>();

  private constructor(readonly socket: ClientSocket) {
    socket.on('state:update', (view) => {
      this.updates.push(view);
      this.push({ event: 'state:update', data: view });
      this.keep(view);
    });
    // A patch is applied to the view held, as lib/client does; one that does not fit asks for the whole view.
    socket.on('state:patch', (patch) => {
      if (this.dropPatches > 0) {
        // A patch lost on the way, as a flaky network would.
        this.dropPatches--;
        return;
      }
      this.push({ event: 'state:patch', data: patch });
      const patched = this.latest ? applyPatch(this.latest, patch) : null;
      if (patched) {
        this.updates.push(patched);
        this.keep(patched);
      } else if (!this.latest || patch.version > this.latest.version) {
        this.patchesMissed++;
        void this.request('state:sync', {});
      }
    });
    socket.on('key:requested', (data) => this.push({ event: 'key:requested', data }));
    socket.on('key:shared', (data) => this.push({ event: 'key:shared', data }));
    socket.on('player:kicked', (data) => this.push({ event: 'player:kicked', data }));
    socket.on('disconnect', (reason) => {
      this.disconnectReason = reason;
      this.wake();
    });
  }

  static async connect(url: string, options: ConnectOptions = {}): Promise<Client> {
    const socket: ClientSocket = connectSocket(url, {
      transports: ['websocket'],
      reconnection: false,
      autoConnect: false,
      forceNew: true,
      auth: (options.auth ?? { protocolVersion: PROTOCOL_VERSION }) as object,
    });
    const client = new Client(socket);
    socket.connect();
    // The engine exists once connect() returns; no packet can have arrived yet.
    socket.io.engine.on('packet', (packet) => {
      client.frames.push(typeof packet.data === 'string' ? packet.data : JSON.stringify(packet.data ?? null));
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', (error) => reject(error));
    });
    return client;
  }

  private push(item: Pushed): void {
    this.pushed.push(item);
    this.wake();
  }

  private keep(view: AnyView): void {
    if (!this.latest || view.version >= this.latest.version) this.latest = view;
    this.wake();
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) waiter();
  }

  /** Sends anything at all, the way a broken or hostile client could; resolves with the answer. */
  emitRaw(event: string, ...args: unknown[]): Promise<Ack<unknown>> {
    const raw = this.socket as unknown as { emit(event: string, ...args: unknown[]): void };
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no answer to ${event} within ${WAIT_MS} ms`)), WAIT_MS);
      raw.emit(event, ...args, (response: Ack<unknown>) => {
        clearTimeout(timer);
        resolve(response);
      });
    });
  }

  /** Sends a request and resolves with its acknowledgement; a view in the answer is kept as `latest`. */
  async request<E extends ClientEventName>(event: E, payload: InboundInput<E>): Promise<Ack<ResponseData<E>>> {
    const response = (await this.emitRaw(event, payload)) as Ack<ResponseData<E>>;
    if (response.ok) {
      const data: unknown = response.data;
      if (data && typeof data === 'object' && 'view' in data) this.keep((data as { view: AnyView }).view);
    }
    return response;
  }

  /** Like `request`, but the request must be accepted. */
  async must<E extends ClientEventName>(event: E, payload: InboundInput<E>): Promise<ResponseData<E>> {
    const response = await this.request(event, payload);
    if (!response.ok) throw new Error(`${event} refused: ${response.error.code} (${response.error.message})`);
    return response.data;
  }

  /** Like `request`, but the request must be refused; resolves with the refusal. */
  async refused<E extends ClientEventName>(event: E, payload: InboundInput<E>): Promise<ProtocolError> {
    const response = await this.request(event, payload);
    if (response.ok) throw new Error(`${event} was accepted; expected a refusal`);
    return response.error;
  }

  /** Resolves once `condition()` returns something other than undefined, checked after every push. */
  waitFor<T>(condition: () => T | undefined, what: string): Promise<T> {
    const now = condition();
    if (now !== undefined) return Promise.resolve(now);
    return new Promise((resolve, reject) => {
      const check = () => {
        const value = condition();
        if (value === undefined) return;
        this.waiters.delete(check);
        clearTimeout(timer);
        resolve(value);
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        const latest = this.latest ? `phase ${this.latest.phase}, version ${this.latest.version}` : 'no view';
        reject(new Error(`waited ${WAIT_MS} ms for ${what} (latest: ${latest})`));
      }, WAIT_MS);
      this.waiters.add(check);
    });
  }

  /** Resolves with the newest view once it satisfies `predicate`. */
  waitForView<V extends AnyView = AnyView>(predicate: (view: V) => boolean, what = 'a view'): Promise<V> {
    return this.waitFor(() => {
      const view = this.latest as V | null;
      return view && predicate(view) ? view : undefined;
    }, what);
  }

  /** Resolves with the first push of `event` after the `after`-th push (all pushes so far by default). */
  waitForPush<E extends ServerEventName>(event: E, after = this.pushed.length): Promise<Parameters<ServerToClientEvents[E]>[0]> {
    return this.waitFor(() => {
      const found = this.pushed.slice(after).find((p) => p.event === event);
      return found ? (found.data as Parameters<ServerToClientEvents[E]>[0]) : undefined;
    }, `a ${event}`);
  }

  /** Resolves once the server has closed this socket. */
  waitForDisconnect(): Promise<string> {
    return this.waitFor(() => this.disconnectReason ?? undefined, 'the server to close the socket');
  }

  /**
   * Waits until every update the server sent before now has arrived: a `state:sync` answer travels
   * the same ordered channel, after them.
   */
  async barrier(): Promise<AnyView> {
    const { view } = await this.must('state:sync', {});
    return view;
  }

  get student(): StudentView {
    if (this.latest?.kind !== 'student') throw new Error(`not a student's view: ${this.latest?.kind ?? 'none'}`);
    return this.latest;
  }

  get teacher(): TeacherView {
    if (this.latest?.kind !== 'teacher') throw new Error(`not the teacher's view: ${this.latest?.kind ?? 'none'}`);
    return this.latest;
  }

  get stage(): StageView {
    if (this.latest?.kind !== 'stage') throw new Error(`not the stage's view: ${this.latest?.kind ?? 'none'}`);
    return this.latest;
  }

  disconnect(): void {
    if (this.socket.connected) this.socket.disconnect();
  }
}

/** A session with a teacher, its code and host secret, and `count` students joined (nicknames s1…). */
export interface Classroom {
  teacher: Client;
  code: string;
  sessionId: string;
  hostSecret: string;
  students: Client[];
  secrets: string[];
  playerIds: string[];
}

/** Opens a session and seats nobody yet: students join in the lobby. */
export async function openClassroom(
  arena: Arena,
  lessonId: string,
  count: number,
  settings: InboundInput<'session:create'>['settings'] = {},
): Promise<Classroom> {
  const teacher = await arena.connect();
  const created = await teacher.must('session:create', { lessonId, settings });
  const room: Classroom = {
    teacher,
    code: created.code,
    sessionId: created.sessionId,
    hostSecret: created.hostSecret,
    students: [],
    secrets: [],
    playerIds: [],
  };
  for (let i = 1; i <= count; i++) await joinStudent(arena, room, `s${i}`);
  return room;
}

/** One more student joins `room` under `nickname`. */
export async function joinStudent(arena: Arena, room: Classroom, nickname: string): Promise<Client> {
  const student = await arena.connect();
  const joined = await student.must('seat:join', { code: room.code, nickname });
  room.students.push(student);
  room.secrets.push(joined.playerSecret);
  room.playerIds.push(joined.playerId);
  return student;
}

/** An allocation over `tokenCount` tokens: `main` on one token, the rest spread evenly over `others`. */
export function allocation(tokenCount: number, main: number, weight: number, others: readonly number[]): number[] {
  const weights = new Array<number>(tokenCount).fill(0);
  weights[main] = weight;
  const rest = others.filter((t) => t !== main);
  for (const t of rest) weights[t] += (1 - weight) / rest.length;
  if (rest.length === 0) weights[main] = 1;
  return weights;
}
