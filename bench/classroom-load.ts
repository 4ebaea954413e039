/**
 * `npm run bench:classroom -- [--students N] [--rooms R] [--seconds S] [--db memory|pglite|postgres] [--lesson ID] [--seed N] [--open-loop] [--relay also|none|only] [--processes 1|2 [--kill]]`
 *
 * A live class under load, end to end over real sockets: the server boots in this process on
 * 127.0.0.1, port 0 (engine backend wasm, no Next), and every room gets a teacher, a projector (stage)
 * and N students, each its own socket.io-client connection over loopback. Every student joins; the
 * teacher starts a round (no timer) and opens the negotiation; every student then moves a slider (a
 * valid allocation over its allowed tokens) every 200–600 ms for S seconds; then every student locks
 * in, the teacher locks (refused when the last lock-in already locked the round) and reveals. One
 * markdown table of what was measured is printed.
 *
 * A student whose previous move is still unanswered holds the next one back (counted as "held back"),
 * so an overloaded server shows as held-back moves and long answers, and the run stays bounded.
 * The phone does not hold moves back: `--open-loop` sends every move on time, as it does; on a server
 * that cannot keep up the backlog then grows for the whole run, and the run waits up to 60 s for it.
 *
 * Defaults: 60 students, 1 room, 20 s, the embedded PGlite in a temporary folder (removed after).
 * `--db memory` uses the in-process MemorySessionRepository, `--db postgres` a fresh database on the
 * PostgreSQL server (TEST_POSTGRES_URL, else postgres://postgres@127.0.0.1:5432/test, as the tests)
 * that is dropped afterwards. `--lesson recurrent-bottleneck` gives 14 seats instead of the cat's 6.
 *
 * The clients run in a worker thread of this process, so the server's event loop (main thread) only
 * carries the server; the table gives both threads' event-loop delay and utilisation, so a slow answer
 * can be told apart from a busy client thread. Event-loop delay is sampled at 10 ms resolution, and
 * the resolution is subtracted. RSS is the whole process (server, clients and database together).
 *
 * The same class is then played against a bare socket.io relay (bench/relay.ts: validate, store, ack,
 * feed the projector at 10 Hz) in the same invocation, and a last table sets the two side by side:
 * ack p50/p99, input→projector p99 (a move's send to the first projector update whose version
 * carries it), moves handled/due, reveal to all, the server thread's busy CPU per move and its
 * ratio to the relay's, and server heap per student (the server thread's heap growth over the joins,
 * divided by the students), and the whole process's RSS growth over the joins per student (the client
 * thread's sockets are in it too, so it is an upper bound). `--relay none` skips the relay, `--relay
 * only` runs it alone. With `--rooms R` the R rooms of N students run at once in the one process; the
 * per-address budgets of the door are lifted (every phone connects from 127.0.0.1), the others stay.
 * BENCH_MARKS=1 prints when each part of the class starts and ends on the monotonic clock, to line a
 * `node --cpu-prof` profile up with the moves.
 *
 * `--processes 2` plays the class against two server processes on PostgreSQL and Redis behind one
 * address instead, and `--kill` kills one of them mid-round (bench/classroom-cluster.ts).
 *
 * A benchmark, not a test: it asserts nothing about time. It exits 1 only when the scenario itself
 * fails (a request refused that must not be, a view that never arrives) or something stays open.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay, performance, type EventLoopUtilization, type IntervalHistogram } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { io as connectSocket, type Socket } from 'socket.io-client';
import { checkNickname, seededRandom, type PersistReason } from '../lib/game';
import {
  applyPatch,
  handshakeAuth,
  type Ack,
  type AnyView,
  type ClientEventName,
  type ClientToServerEvents,
  type InboundInput,
  type ResponseData,
  type ServerToClientEvents,
  type StudentView,
} from '../lib/protocol';
import type { SessionRecord, SessionRepository, SessionSummary } from '../server/persistence/repository';
import type { ReviewSettings } from '../lib/review/types';
import { createLogger } from '../server/log';
import type { Lesson } from '../lib/lessons/schema';
import type { LimitOverrides } from '../server/limits/settings';
import type { Relay } from './relay';
import { runCluster } from './classroom-cluster';
import { largest, percentile, smallest } from './stats';

// ——— settings ———

type DbKind = 'memory' | 'pglite' | 'postgres';

interface Options {
  students: number;
  rooms: number;
  seconds: number;
  db: DbKind;
  lessonId: string;
  seed: number;
  /** Send every move on time, answered or not (as the phone does); the run may then take long. */
  openLoop: boolean;
  relay: 'also' | 'none' | 'only';
  /** 2: two server processes on PostgreSQL and Redis behind one address (bench/classroom-cluster.ts). */
  processes: number;
  /** With two processes: kill -9 the owner of most rooms at half time. */
  kill: boolean;
}

/** What the client thread needs to play the class. */
interface ClientConfig {
  url: string;
  students: number;
  rooms: number;
  seconds: number;
  lessonId: string;
  seed: number;
  openLoop: boolean;
}

/** Slider moves come every MOVE_MIN_MS + [0, MOVE_SPREAD_MS) per student. */
const MOVE_MIN_MS = 200;
const MOVE_SPREAD_MS = 400;
/** How long any one answer or view may take before the run is called failed. */
const WAIT_MS = 60_000;
/** After the last move, how long unanswered moves may take to be answered. */
const DRAIN_MS = 60_000;
const ELD_RESOLUTION_MS = 10;
/** Phones connecting at the same moment during the joins. */
const JOIN_CONCURRENCY = 50;

const USAGE =
  'usage: npm run bench:classroom -- [--students N] [--rooms R] [--seconds S] [--db memory|pglite|postgres] [--lesson ID] [--seed N] [--open-loop] [--relay also|none|only] [--processes 1|2 [--kill]]';

/** A bad command line: said in one line with the usage, no stack. */
class UsageError extends Error {}

function parseOptions(argv: string[]): Options {
  try {
    return readOptions(argv);
  } catch (error) {
    throw new UsageError(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
  }
}

function readOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      students: { type: 'string', default: '60' },
      rooms: { type: 'string', default: '1' },
      seconds: { type: 'string', default: '20' },
      db: { type: 'string', default: 'pglite' },
      lesson: { type: 'string', default: 'the-cat-sat' },
      seed: { type: 'string', default: '1' },
      'open-loop': { type: 'boolean', default: false },
      relay: { type: 'string', default: 'also' },
      processes: { type: 'string', default: '1' },
      kill: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const int = (name: string, raw: string, min: number, max: number): number => {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) throw new Error(`--${name} must be a whole number from ${min} to ${max}, not "${raw}"`);
    return n;
  };
  const db = values.db;
  if (db !== 'memory' && db !== 'pglite' && db !== 'postgres') throw new Error(`--db must be memory, pglite or postgres, not "${db}"`);
  const relay = values.relay;
  if (relay !== 'also' && relay !== 'none' && relay !== 'only') throw new Error(`--relay must be also, none or only, not "${relay}"`);
  return {
    students: int('students', values.students, 1, 1000),
    rooms: int('rooms', values.rooms, 1, 100),
    seconds: int('seconds', values.seconds, 1, 300),
    db,
    lessonId: values.lesson,
    seed: int('seed', values.seed, 0, 2 ** 31),
    openLoop: values['open-loop'],
    relay,
    processes: int('processes', values.processes, 1, 2),
    kill: values.kill,
  };
}

// ——— numbers ———

function ms(x: number): string {
  if (!Number.isFinite(x)) return '–';
  return x >= 100 ? x.toFixed(0) : x.toFixed(1);
}

function rate(count: number, windowMs: number): number {
  return windowMs > 0 ? (count * 1000) / windowMs : 0;
}

function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
}

/** Bytes per second, readable. */
function throughput(bytes: number, windowMs: number): string {
  const perSecond = rate(bytes, windowMs);
  return perSecond >= 1024 * 1024 ? `${(perSecond / 1024 / 1024).toFixed(1)} MiB/s` : `${(perSecond / 1024).toFixed(0)} KiB/s`;
}

/**
 * CPU time (user + system) of this process's main thread, in ms, from Linux's per-thread counters
 * (10 ms ticks); null elsewhere. Event-loop utilisation would count time the thread was ready but
 * not running, which on a loaded machine is most of it.
 */
function mainThreadCpuMs(): number | null {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // After the name: state is field 3 of the whole line, utime 14 and stime 15.
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/** Linux's USER_HZ, 100 on every common build. */
const CLOCK_TICKS_PER_SECOND = 100;

/** Event-loop delay from a histogram sampled every ELD_RESOLUTION_MS, the resolution taken out. */
function loopDelay(histogram: IntervalHistogram): { p99: number; max: number } {
  const of = (ns: number) => Math.max(0, ns / 1e6 - ELD_RESOLUTION_MS);
  return { p99: of(histogram.percentile(99)), max: of(histogram.max) };
}

/** The most timestamps (ms since the window opened) that fall into any one second. */
function peakPerSecond(times: readonly number[]): number {
  const buckets = new Map<number, number>();
  for (const t of times) {
    const second = Math.floor(t / 1000);
    buckets.set(second, (buckets.get(second) ?? 0) + 1);
  }
  return Math.max(0, ...buckets.values());
}

// ——— the messages between the two threads ———

interface ClientResult {
  seats: { count: number; teamSizes: number[] };
  join: { allMs: number; connectMs: number[]; ackMs: number[] };
  moves: { windowMs: number; sent: number; heldBack: number; ok: number; refused: Record<string, number>; unanswered: number; notSent: number; ackMs: number[]; toProjectorMs: number[] };
  stage: { updates: number; peakPerSecond: number; bytes: number }[];
  teacher: { updates: number; peakPerSecond: number; bytes: number }[];
  students: { updates: number; bytes: number };
  lock: { allMs: number; ackMs: number[]; teacherLock: string[] };
  reveal: { ackMs: number; allStudentsMs: number; stageMs: number }[];
  /** Why the lock-in and reveal did not finish, when they did not. */
  unfinished: string | null;
  clientThread: { eld: { p99: number; max: number }; utilisation: number };
}

/** The parts of the class the server thread measures one by one. */
type Stage = 'join' | 'moves' | 'finish';
const STAGES: readonly Stage[] = ['join', 'moves', 'finish'];
const STAGE_NAMES: Record<Stage, string> = { join: 'joins', moves: 'moves', finish: 'lock-in and reveal' };

type ToMain =
  | { type: 'stage'; stage: Stage; edge: 'start' | 'end' }
  | { type: 'result'; result: ClientResult }
  | { type: 'failed'; message: string }
  | { type: 'closed' };

/** `marked`: the server thread has taken note of a stage edge, so the class may go on. */
type ToWorker = { type: 'marked' } | { type: 'close' };

/** Tells the server thread where the class is and waits until it has taken note. */
type Mark = (stage: Stage, edge: 'start' | 'end') => Promise<void>;

// ——— the client thread: teachers, stages and students ———

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** One real socket.io client: keeps the newest view, counts what it receives. */
class BenchClient {
  latest: AnyView | null = null;
  updates = 0;
  bytes = 0;
  /** When each update arrived (ms since `since`), for the clients whose rate is checked per second. */
  readonly times: number[] = [];
  /** Each update's arrival (performance.now()) and version, for the clients whose rate is checked. */
  readonly arrivals: { at: number; version: number }[] = [];
  since = 0;
  private readonly waiters = new Set<() => void>();

  private constructor(
    readonly socket: ClientSocket,
    private readonly keepTimes: boolean,
  ) {
    socket.on('state:update', (view) => {
      this.updates++;
      if (this.keepTimes) {
        this.times.push(performance.now() - this.since);
        this.arrivals.push({ at: performance.now(), version: view.version });
      }
      this.keep(view);
    });
    socket.on('state:patch', (patch) => {
      const patched = this.latest ? applyPatch(this.latest, patch) : null;
      if (patched) {
        this.updates++;
        if (this.keepTimes) {
          this.times.push(performance.now() - this.since);
          this.arrivals.push({ at: performance.now(), version: patched.version });
        }
        this.keep(patched);
      } else if (!this.latest || patch.version > this.latest.version) {
        void this.request('state:sync', {});
      }
    });
    socket.on('disconnect', () => this.wake());
  }

  static async connect(url: string, keepTimes = false): Promise<BenchClient> {
    const socket: ClientSocket = connectSocket(url, {
      transports: ['websocket'],
      reconnection: false,
      autoConnect: false,
      forceNew: true,
      auth: handshakeAuth(),
    });
    const client = new BenchClient(socket, keepTimes);
    socket.connect();
    socket.io.engine.on('packet', (packet) => {
      if (typeof packet.data === 'string') client.bytes += packet.data.length;
    });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no connection to ${url} within ${WAIT_MS} ms`)), WAIT_MS);
      socket.once('connect', () => {
        clearTimeout(timer);
        resolve();
      });
      socket.once('connect_error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
    return client;
  }

  /** Starts counting afresh. */
  reset(): void {
    this.updates = 0;
    this.bytes = 0;
    this.times.length = 0;
    this.arrivals.length = 0;
    this.since = performance.now();
  }

  private keep(view: AnyView): void {
    if (!this.latest || view.version >= this.latest.version) this.latest = view;
    this.wake();
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) waiter();
  }

  /** Sends a request; resolves with its answer (a view in it is kept). */
  request<E extends ClientEventName>(event: E, payload: InboundInput<E>): Promise<Ack<ResponseData<E>>> {
    const raw = this.socket as unknown as { emit(event: string, payload: unknown, ack: (response: Ack<ResponseData<E>>) => void): void };
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no answer to ${event} within ${WAIT_MS} ms`)), WAIT_MS);
      raw.emit(event, payload, (response) => {
        clearTimeout(timer);
        if (response.ok) {
          const data: unknown = response.data;
          if (data && typeof data === 'object' && 'view' in data) this.keep((data as { view: AnyView }).view);
        }
        resolve(response);
      });
    });
  }

  /** Like `request`, but a refusal fails the run. */
  async must<E extends ClientEventName>(event: E, payload: InboundInput<E>): Promise<ResponseData<E>> {
    const response = await this.request(event, payload);
    if (!response.ok) throw new Error(`${event} refused: ${response.error.code} (${response.error.message})`);
    return response.data;
  }

  /** Resolves once the newest view satisfies `predicate`. */
  waitForView(predicate: (view: AnyView) => boolean, what: string): Promise<AnyView> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const view = this.latest;
        if (view && predicate(view)) {
          this.waiters.delete(check);
          clearTimeout(timer);
          resolve(view);
        } else if (!this.socket.connected) {
          this.waiters.delete(check);
          clearTimeout(timer);
          reject(new Error(`the socket closed while waiting for ${what}`));
        }
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`waited ${WAIT_MS} ms for ${what} (latest: ${this.latest ? `${this.latest.kind} in ${this.latest.phase}` : 'no view'})`));
      }, WAIT_MS);
      this.waiters.add(check);
      check();
    });
  }

  get student(): StudentView {
    if (this.latest?.kind !== 'student') throw new Error(`not a student's view: ${this.latest?.kind ?? 'none'}`);
    return this.latest;
  }

  close(): void {
    this.socket.disconnect();
  }
}

interface BenchRoom {
  code: string;
  teacher: BenchClient;
  stage: BenchClient;
  students: BenchClient[];
}

/** A valid slider position: whole percents over the allowed tokens, adding up to 100. */
function randomAllocation(tokenCount: number, allowed: readonly number[], random: () => number): number[] {
  const raw = allowed.map(() => random() + 0.05);
  const total = raw.reduce((a, b) => a + b, 0);
  const percents = raw.map((r) => Math.floor((r / total) * 100));
  let left = 100 - percents.reduce((a, b) => a + b, 0);
  for (let i = 0; left > 0; i = (i + 1) % percents.length, left--) percents[i]++;
  const weights = new Array<number>(tokenCount).fill(0);
  allowed.forEach((token, i) => (weights[token] = percents[i] / 100));
  return weights;
}

/** `student N`, or `student 0N` where the name filter reads N as a word (455, 717). */
function benchNickname(n: number): string {
  const plain = `student ${n}`;
  return checkNickname(plain).ok ? plain : `student 0${n}`;
}

const sleep = (delayMs: number) => new Promise<void>((resolve) => setTimeout(resolve, delayMs));

/**
 * For each accepted move, the time from its send to the first projector update of its room whose
 * version is at least the move's (that update was built from a state that holds it).
 */
function toProjector(accepted: readonly { sentAt: number; version: number; stage: BenchClient }[]): number[] {
  const latencies: number[] = [];
  for (const move of accepted) {
    const shown = move.stage.arrivals.find((a) => a.version >= move.version && a.at >= move.sentAt);
    if (shown) latencies.push(shown.at - move.sentAt);
  }
  return latencies;
}

async function playClass(config: ClientConfig, mark: Mark, clients: BenchClient[]): Promise<ClientResult> {
  const random = seededRandom(config.seed);
  const track = (client: BenchClient) => {
    clients.push(client);
    return client;
  };
  const isStudentIn = (phase: string) => (view: AnyView) => view.kind === 'student' && view.phase === phase;

  // Teachers and projectors first, one session per room.
  const rooms: BenchRoom[] = await Promise.all(
    Array.from({ length: config.rooms }, async () => {
      const teacher = track(await BenchClient.connect(config.url, true));
      const created = await teacher.must('session:create', { lessonId: config.lessonId, settings: { timerSeconds: null, roomSize: config.students } });
      const stage = track(await BenchClient.connect(config.url, true));
      await stage.must('stage:watch', { code: created.code });
      return { code: created.code, teacher, stage, students: [] };
    }),
  );

  // The whole class joins at once (every room at the same time), at most JOIN_CONCURRENCY phones
  // connecting at any moment: a thousand handshakes at once time out on a small machine.
  const connectMs: number[] = [];
  const joinAckMs: number[] = [];
  await mark('join', 'start');
  const joinStart = performance.now();
  const joins = rooms.flatMap((room) => Array.from({ length: config.students }, (_, k) => ({ room, k })));
  let nextJoin = 0;
  const joinOne = async ({ room, k }: { room: BenchRoom; k: number }) => {
    const t0 = performance.now();
    const student = track(await BenchClient.connect(config.url));
    const t1 = performance.now();
    connectMs.push(t1 - t0);
    room.students[k] = student;
    await student.must('seat:join', { code: room.code, nickname: benchNickname(k + 1) });
    joinAckMs.push(performance.now() - t1);
  };
  await Promise.all(
    Array.from({ length: Math.min(JOIN_CONCURRENCY, joins.length) }, async () => {
      while (nextJoin < joins.length) await joinOne(joins[nextJoin++]);
    }),
  );
  const joinAllMs = performance.now() - joinStart;
  await mark('join', 'end');

  // A round of the lesson, negotiation open, every student seated and seeing it.
  await Promise.all(
    rooms.map(async (room) => {
      await room.teacher.must('teacher:start-round', {});
      await room.teacher.must('teacher:open-negotiation', {});
    }),
  );
  await Promise.all(
    rooms.flatMap((room) => room.students.map((s) => s.waitForView((v) => isStudentIn('negotiate')(v) && (v as StudentView).seat !== null, 'a seat in the negotiation'))),
  );
  const teacherView = rooms[0].teacher.latest;
  const seats = teacherView?.kind === 'teacher' ? teacherView.seats : [];
  const seatInfo = { count: seats.length, teamSizes: seats.map((s) => s.members.length) };

  // The sliders: every student, every 200–600 ms, for `seconds`. A student whose last move is still
  // unanswered holds the next one back (unless --open-loop), so an overloaded server shows as moves
  // held back and long answers instead of a backlog that outlives the run.
  const ackMs: number[] = [];
  /** Accepted moves: when sent, the version that took them, and their room's projector. */
  const accepted: { sentAt: number; version: number; stage: BenchClient }[] = [];
  const roomOf = new Map<BenchClient, BenchRoom>();
  for (const room of rooms) for (const student of room.students) roomOf.set(student, room);
  const refused: Record<string, number> = {};
  let sent = 0;
  let ok = 0;
  let inFlight = 0;
  let lastAnswerAt = 0;
  const pending = new Set<ReturnType<typeof setTimeout>>();
  await mark('moves', 'start');
  for (const client of clients) client.reset();
  const eld = monitorEventLoopDelay({ resolution: ELD_RESOLUTION_MS });
  eld.enable();
  const eluStart: EventLoopUtilization = performance.eventLoopUtilization();
  const movesStart = performance.now();
  const stopAt = movesStart + config.seconds * 1000;

  let lost = 0;
  let heldBack = 0;
  const waiting = new Set<BenchClient>();
  const move = (student: BenchClient) => {
    if (!config.openLoop && waiting.has(student)) {
      heldBack++;
      return;
    }
    const view = student.latest;
    const seat = view?.kind === 'student' ? view.seat : null;
    const round = view?.round;
    if (view?.kind !== 'student' || !seat || !round) {
      // Its view left the negotiation (it cannot here: no timer, nobody locks): count it, go on.
      lost++;
      return;
    }
    const weights = randomAllocation(view.lesson.tokens.length, seat.allowedTokens, random);
    const t0 = performance.now();
    sent++;
    inFlight++;
    waiting.add(student);
    student.request('attention:allocate', { round: round.number, weights }).then(
      (answer) => {
        ackMs.push(performance.now() - t0);
        if (answer.ok) {
          ok++;
          const room = roomOf.get(student);
          if (room) accepted.push({ sentAt: t0, version: answer.data.version, stage: room.stage });
        }
        else refused[answer.error.code] = (refused[answer.error.code] ?? 0) + 1;
      },
      () => {},
    ).finally(() => {
      inFlight--;
      waiting.delete(student);
      lastAnswerAt = performance.now();
    });
  };
  const schedule = (student: BenchClient) => {
    const delay = MOVE_MIN_MS + random() * MOVE_SPREAD_MS;
    if (performance.now() + delay > stopAt) return;
    const timer = setTimeout(() => {
      pending.delete(timer);
      move(student);
      schedule(student);
    }, delay);
    pending.add(timer);
  };
  for (const room of rooms) for (const student of room.students) schedule(student);
  await sleep(Math.max(0, stopAt - performance.now()) + 1);
  const drainUntil = performance.now() + DRAIN_MS;
  while ((inFlight > 0 || pending.size > 0) && performance.now() < drainUntil) await sleep(5);
  for (const timer of pending) clearTimeout(timer);
  const movesEnd = Math.max(lastAnswerAt, stopAt);
  const windowMs = movesEnd - movesStart;
  const eluWindow = performance.eventLoopUtilization(eluStart);
  eld.disable();
  await mark('moves', 'end');

  const counted = (client: BenchClient) => ({
    updates: client.updates,
    peakPerSecond: peakPerSecond(client.times.filter((t) => t <= windowMs)),
    bytes: client.bytes,
  });
  const stage = rooms.map((room) => counted(room.stage));
  const teacher = rooms.map((room) => counted(room.teacher));
  const everyStudent = rooms.flatMap((room) => room.students);
  const students = { updates: everyStudent.reduce((a, s) => a + s.updates, 0), bytes: everyStudent.reduce((a, s) => a + s.bytes, 0) };
  const moves = { windowMs, sent, heldBack, ok, refused, unanswered: inFlight, notSent: lost, ackMs, toProjectorMs: toProjector(accepted) };

  // Everyone locks in at once; the last lock-in locks the round, so the teacher's lock may be refused.
  // A server still working off the moves' backlog may not answer in time: the moves' figures are
  // reported all the same, with why the class did not finish.
  const lockAckMs: number[] = [];
  await mark('finish', 'start');
  const lockStart = performance.now();
  let lockAllMs = Number.NaN;
  let teacherLock: string[] = [];
  const reveal: ClientResult['reveal'] = [];
  let unfinished: string | null = null;
  try {
    await Promise.all(
      everyStudent.map(async (student) => {
        const round = student.student.round?.number ?? 1;
        const t0 = performance.now();
        await student.must('attention:lock', { round });
        lockAckMs.push(performance.now() - t0);
      }),
    );
    lockAllMs = performance.now() - lockStart;
    teacherLock = await Promise.all(
      rooms.map(async (room) => {
        const answer = await room.teacher.request('teacher:lock', {});
        if (answer.ok) return 'the teacher locked';
        if (answer.error.code === 'round/wrong-phase') return 'the last lock-in locked it';
        throw new Error(`teacher:lock refused: ${answer.error.code} (${answer.error.message})`);
      }),
    );

    // The reveal, room by room: from the request to every student's result on its phone.
    for (const room of rooms) {
      const stageShown = room.stage.waitForView((v) => v.kind === 'stage' && v.reveal !== null, 'the reveal on the stage').then(() => performance.now());
      const results = room.students.map((s) =>
        s.waitForView((v) => isStudentIn('reveal')(v) && (v as StudentView).result !== null, "a student's result").then(() => performance.now()),
      );
      const t0 = performance.now();
      await room.teacher.must('teacher:reveal', {});
      const ackAt = performance.now();
      const shownAt = await Promise.all(results);
      reveal.push({ ackMs: ackAt - t0, allStudentsMs: largest(shownAt) - t0, stageMs: (await stageShown) - t0 });
    }
  } catch (error) {
    unfinished = error instanceof Error ? error.message : String(error);
  }
  await mark('finish', 'end');

  return {
    seats: seatInfo,
    join: { allMs: joinAllMs, connectMs, ackMs: joinAckMs },
    moves,
    stage,
    teacher,
    students,
    lock: { allMs: lockAllMs, ackMs: lockAckMs, teacherLock },
    reveal,
    unfinished,
    clientThread: { eld: loopDelay(eld), utilisation: eluWindow.utilization },
  };
}

/** The worker's side: play the class, report, and close every socket when told. */
function runClientThread(): void {
  const port = parentPort;
  if (!port) throw new Error('the client side runs in a worker thread');
  const config = workerData as ClientConfig;
  const clients: BenchClient[] = [];
  const post = (message: ToMain) => port.postMessage(message);
  const closeAll = () => {
    for (const client of clients) client.close();
  };
  let marked: (() => void) | null = null;
  // The server thread takes note only when its event loop is free: a part of the class ends once the
  // server has caught up with it, and the next starts only after that.
  const mark: Mark = (stage, edge) =>
    new Promise((resolve) => {
      marked = resolve;
      post({ type: 'stage', stage, edge });
    });
  port.on('message', (message: ToWorker) => {
    if (message.type === 'marked') {
      const resolve = marked;
      marked = null;
      resolve?.();
      return;
    }
    closeAll();
    post({ type: 'closed' });
    port.close();
  });
  playClass(config, mark, clients).then(
    (result) => post({ type: 'result', result }),
    (error: unknown) => {
      closeAll();
      post({ type: 'failed', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    },
  );
}

// ——— the server thread ———

interface SaveSample {
  reason: PersistReason;
  ms: number;
  /** The part of the class it was written in (null: before the joins, between parts). */
  stage: Stage | null;
  failed: boolean;
}

/** The real repository, with every save counted and timed. */
class CountingRepository implements SessionRepository {
  readonly saves: SaveSample[] = [];
  stage: Stage | null = null;

  constructor(private readonly inner: SessionRepository) {}

  async saveSession(record: SessionRecord, reason: PersistReason): Promise<void> {
    const t0 = performance.now();
    const stage = this.stage;
    let failed = true;
    try {
      await this.inner.saveSession(record, reason);
      failed = false;
    } finally {
      this.saves.push({ reason, ms: performance.now() - t0, stage, failed });
    }
  }

  loadSession(sessionId: string): Promise<SessionRecord | null> {
    return this.inner.loadSession(sessionId);
  }

  findSessionIdByCode(code: string): Promise<string | null> {
    return this.inner.findSessionIdByCode(code);
  }

  listLiveSessions(): Promise<SessionRecord[]> {
    return this.inner.listLiveSessions();
  }

  listLiveSessionIds(): Promise<string[]> {
    return this.inner.listLiveSessionIds();
  }

  listSessions(options?: { limit?: number }): Promise<SessionSummary[]> {
    return this.inner.listSessions(options);
  }

  saveReviewSettings(sessionId: string, settings: ReviewSettings): Promise<boolean> {
    return this.inner.saveReviewSettings(sessionId, settings);
  }
}

/** The repository the run saves to, what it is, and how to put everything away afterwards. */
async function openStore(kind: DbKind): Promise<{ repository: SessionRepository; description: string; close(): Promise<void> }> {
  if (kind === 'memory') {
    const { MemorySessionRepository } = await import('../server/persistence/memory');
    return { repository: new MemorySessionRepository(), description: 'MemorySessionRepository (no database)', close: async () => {} };
  }
  const { openPersistence } = await import('../server/persistence/index');
  if (kind === 'pglite') {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'arena-classroom-'));
    try {
      const persistence = await openPersistence({ kind: 'pglite', dataDir: path.join(dataDir, 'pglite') });
      return {
        repository: persistence.repository,
        description: `PGlite on disk (a temporary folder)`,
        async close() {
          try {
            await persistence.close();
          } finally {
            rmSync(dataDir, { recursive: true, force: true });
          }
        },
      };
    } catch (error) {
      rmSync(dataDir, { recursive: true, force: true });
      throw error;
    }
  }
  // Loaded here only: it brings Prisma, pg and PGlite, which the client thread (this file too) must not carry.
  const { adminQuery, dropDatabase, POSTGRES_ADMIN_URL } = await import('../tests/helpers/databases');
  const name = `arena_bench_classroom_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  try {
    await adminQuery(`CREATE DATABASE "${name}"`);
  } catch (error) {
    throw new Error(`PostgreSQL at ${POSTGRES_ADMIN_URL} is unusable (${error instanceof Error ? error.message : String(error)}); start it or set TEST_POSTGRES_URL`);
  }
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  try {
    const persistence = await openPersistence({ kind: 'postgres', url: url.toString() });
    return {
      repository: persistence.repository,
      description: `PostgreSQL (a fresh database on ${url.host}, dropped after)`,
      async close() {
        try {
          await persistence.close();
        } finally {
          await dropDatabase(name);
        }
      },
    };
  } catch (error) {
    await dropDatabase(name);
    throw error;
  }
}

/** Starts the client thread: this file again, with tsx's loader registered in the worker. */
function startClientThread(config: ClientConfig): Worker {
  const loader = import.meta.resolve('tsx/esm/api');
  const self = import.meta.url;
  const code = `import(${JSON.stringify(loader)}).then(({ register }) => { register(); return import(${JSON.stringify(self)}); });`;
  return new Worker(code, { eval: true, workerData: config });
}

/** Resolves once `worker` says `type`; rejects when it fails or exits first. */
function nextMessage<T extends ToMain['type']>(worker: Worker, type: T, onOther: (message: ToMain) => void): Promise<Extract<ToMain, { type: T }>> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: ToMain) => {
      if (message.type === type) {
        cleanup();
        resolve(message as Extract<ToMain, { type: T }>);
      } else if (message.type === 'failed') {
        cleanup();
        reject(new Error(`the class failed: ${message.message}`));
      } else {
        onOther(message);
      }
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    const onExit = (code: number) => {
      cleanup();
      reject(new Error(`the client thread exited (code ${code}) before it said "${type}"`));
    };
    const cleanup = () => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
  });
}

interface ServerSide {
  description: string;
  backend: string;
  eldWhole: { p99: number; max: number };
  /** The server thread's event loop in each part of the class, and the CPU time it used (ms; NaN where unknown). */
  loop: Record<Stage, { p99: number; max: number; utilisation: number; cpuMs: number }>;
  /** The server thread's heap before and after the joins. */
  heapBeforeJoins: number;
  heapAfterJoins: number;
  /** The whole process's RSS before and after the joins (the client thread's sockets included). */
  rssBeforeJoins: number;
  rssAfterJoins: number;
  rssAfterBoot: number;
  rssPeak: number;
  heapPeak: number;
  saves: SaveSample[];
  logs: string[];
  tokens: number;
}

type Target = 'arena' | 'relay';

/** A server to play the class against: the game's, or the bare relay. */
interface Booted {
  listen(): Promise<number>;
  close(): Promise<void>;
  description: string;
  backend: string;
  saves: SaveSample[];
  setStage(stage: Stage | null): void;
}

/**
 * Every phone of the run connects from 127.0.0.1, so the budgets per address (sized for one school
 * behind one NAT) would refuse a hundred classes long before the rooms are loaded: they are lifted to
 * what the run needs. The budgets per socket and per student stay as they ship.
 */
function benchLimits(options: Options): LimitOverrides {
  const phones = options.rooms * (options.students + 2);
  const plenty = { points: phones * 10, seconds: 60 };
  return {
    connectionsPerAddress: phones + 100,
    connectsPerAddress: plenty,
    joinsPerAddress: plenty,
    joinsPerRoom: plenty,
    sessionsPerAddress: { points: options.rooms + 10, seconds: 60 * 60 },
    perAddress: { move: { points: phones * 10, seconds: 1 }, sync: plenty, enter: plenty, create: plenty, teacher: plenty },
  };
}

async function boot(options: Options, target: Target, lesson: Lesson, logs: string[]): Promise<Booted> {
  if (target === 'relay') {
    const { startRelay } = await import('./relay');
    let relay: Relay | null = null;
    return {
      async listen() {
        relay = await startRelay(lesson);
        return relay.port;
      },
      close: async () => relay?.close(),
      description: 'the bare socket.io relay (bench/relay.ts), no database',
      backend: 'none',
      saves: [],
      setStage: () => {},
    };
  }
  const [{ createAttentionEngine }, { curatedLessons }, { createServer }] = await Promise.all([
    import('../lib/attention/engine'),
    import('../lib/lessons/curated/index'),
    import('../server/app'),
  ]);
  const log = (line: string) => logs.push(line);
  // Warnings and errors only: a slow save or a refusal is worth showing under the table.
  const logger = createLogger({ level: 'warn', destination: { write: (line: string) => void logs.push(line) } });
  const store = await openStore(options.db);
  const repository = new CountingRepository(store.repository);
  const engine = await createAttentionEngine({ backend: 'wasm', log });
  const server = createServer({ engine, lessons: curatedLessons, repository, logger, closeGraceMs: 500, limits: benchLimits(options) });
  return {
    listen: async () => (await server.listen(0, '127.0.0.1')).port,
    async close() {
      await server.close();
      engine.dispose();
      await store.close();
    },
    description: store.description,
    backend: engine.backend,
    saves: repository.saves,
    setStage: (stage) => {
      repository.stage = stage;
    },
  };
}

async function runServer(options: Options, target: Target): Promise<{ client: ClientResult; server: ServerSide }> {
  const { curatedLessons } = await import('../lib/lessons/curated/index');
  const lesson = curatedLessons.find((l) => l.id === options.lessonId);
  if (!lesson) throw new Error(`no lesson "${options.lessonId}"; try ${curatedLessons.map((l) => l.id).join(', ')}`);

  const logs: string[] = [];
  const server = await boot(options, target, lesson, logs);
  let worker: Worker | null = null;
  const eldWhole = monitorEventLoopDelay({ resolution: ELD_RESOLUTION_MS });
  const stageLoops = new Map(
    STAGES.map((stage) => [
      stage,
      { eld: monitorEventLoopDelay({ resolution: ELD_RESOLUTION_MS }), elu: null as EventLoopUtilization | null, utilisation: Number.NaN, cpuAtStart: null as number | null, cpuMs: Number.NaN },
    ]),
  );
  let heapBeforeJoins = 0;
  let heapAfterJoins = 0;
  let rssBeforeJoins = 0;
  let rssAfterJoins = 0;
  let rssPeak = 0;
  let heapPeak = 0;
  const sampleMemory = () => {
    const usage = process.memoryUsage();
    rssPeak = Math.max(rssPeak, usage.rss);
    heapPeak = Math.max(heapPeak, usage.heapUsed);
  };
  const sampler = setInterval(sampleMemory, 100);
  try {
    const port = await server.listen();
    const rssAfterBoot = process.memoryUsage().rss;
    eldWhole.enable();
    const onStage = (message: ToMain) => {
      if (message.type !== 'stage') return;
      const loop = stageLoops.get(message.stage);
      if (!loop) return;
      // For lining a --cpu-prof profile up with the parts of the class (its clock is the monotonic one, in µs).
      if (process.env.BENCH_MARKS) console.error(`bench:classroom: ${message.stage} ${message.edge} at ${process.hrtime.bigint() / 1000n} µs`);
      if (message.edge === 'start') {
        server.setStage(message.stage);
        if (message.stage === 'join') ({ heapUsed: heapBeforeJoins, rss: rssBeforeJoins } = process.memoryUsage());
        loop.eld.enable();
        loop.elu = performance.eventLoopUtilization();
        loop.cpuAtStart = mainThreadCpuMs();
      } else {
        server.setStage(null);
        if (message.stage === 'join') ({ heapUsed: heapAfterJoins, rss: rssAfterJoins } = process.memoryUsage());
        loop.eld.disable();
        if (loop.elu) loop.utilisation = performance.eventLoopUtilization(loop.elu).utilization;
        const cpuNow = mainThreadCpuMs();
        if (cpuNow !== null && loop.cpuAtStart !== null) loop.cpuMs = cpuNow - loop.cpuAtStart;
      }
      worker?.postMessage({ type: 'marked' } satisfies ToWorker);
    };
    worker = startClientThread({
      url: `http://127.0.0.1:${port}`,
      students: options.students,
      rooms: options.rooms,
      seconds: options.seconds,
      lessonId: options.lessonId,
      seed: options.seed,
      openLoop: options.openLoop,
    });
    const { result } = await nextMessage(worker, 'result', onStage);
    eldWhole.disable();
    sampleMemory();
    return {
      client: result,
      server: {
        description: server.description,
        backend: server.backend,
        eldWhole: loopDelay(eldWhole),
        loop: Object.fromEntries(
          [...stageLoops].map(([stage, loop]) => [stage, { ...loopDelay(loop.eld), utilisation: loop.utilisation, cpuMs: loop.cpuMs }]),
        ) as ServerSide['loop'],
        heapBeforeJoins,
        heapAfterJoins,
        rssBeforeJoins,
        rssAfterJoins,
        rssAfterBoot,
        rssPeak,
        heapPeak,
        saves: server.saves,
        logs,
        tokens: lesson.tokens.length,
      },
    };
  } finally {
    clearInterval(sampler);
    eldWhole.disable();
    for (const loop of stageLoops.values()) loop.eld.disable();
    // Rooms stop before the sockets close, so the class leaving is not saved as students going away.
    await server.close();
    if (worker) {
      const exited = new Promise<void>((resolve) => worker?.once('exit', () => resolve()));
      const closed = nextMessage(worker, 'closed', () => {}).catch(() => undefined);
      worker.postMessage({ type: 'close' } satisfies ToWorker);
      await Promise.race([closed, sleep(5000)]);
      // tsx's loader keeps a port open in the worker; the sockets are closed, so end it here.
      await worker.terminate();
      await exited;
    }
  }
}

// ——— the report ———

function report(options: Options, client: ClientResult, server: ServerSide): string {
  const n = options.students * options.rooms;
  const { moves, join, lock } = client;
  const rooms = options.rooms;
  const perRoom = (values: number[], format: (x: number) => string) => {
    if (values.length === 1) return format(values[0]);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    return `${format(mean)} mean per room (${format(smallest(values))}–${format(largest(values))})`;
  };
  const fixed1 = (x: number) => x.toFixed(1);
  const refusedCount = Object.values(moves.refused).reduce((a, b) => a + b, 0);
  const due = moves.sent + moves.heldBack + moves.notSent;
  const refusedText = refusedCount === 0 ? '0 refused' : `${refusedCount} refused (${Object.entries(moves.refused).map(([code, count]) => `${code} ×${count}`).join(', ')})`;
  const teams = [...new Set(client.seats.teamSizes)].sort((a, b) => a - b).join('/');

  const saveTimes = server.saves.map((s) => s.ms);
  const reasons = new Map<string, number>();
  for (const save of server.saves) reasons.set(save.reason, (reasons.get(save.reason) ?? 0) + 1);
  const failedSaves = server.saves.filter((s) => s.failed).length;

  const rows: [string, string][] = [
    ['students', `${n} (${rooms} room${rooms > 1 ? 's' : ''} × ${options.students}), ${client.seats.count} seats per room, teams of ${teams}`],
    ['join: all students', `${ms(join.allMs)} ms (connect p50 ${ms(percentile(join.connectMs, 0.5))} ms; seat:join ack p50 ${ms(percentile(join.ackMs, 0.5))}, p95 ${ms(percentile(join.ackMs, 0.95))}, max ${ms(largest(join.ackMs))} ms)`],
    ['allocate ack latency p50 / p95 / p99 / max', `${ms(percentile(moves.ackMs, 0.5))} / ${ms(percentile(moves.ackMs, 0.95))} / ${ms(percentile(moves.ackMs, 0.99))} / ${ms(largest(moves.ackMs))} ms`],
    [
      'moves',
      `${due} due (${rate(due, options.seconds * 1000).toFixed(0)}/s), ${moves.sent} sent, ${moves.heldBack} held back (the previous one unanswered), ` +
        `${moves.ok} accepted, ${refusedText}, ${moves.unanswered} unanswered${moves.notSent ? `, ${moves.notSent} not sent (no seat in the view)` : ''}`,
    ],
    ['moves handled per second', `${rate(moves.ok + refusedCount, moves.windowMs).toFixed(0)}/s (window ${(moves.windowMs / 1000).toFixed(1)} s: ${options.seconds} s of moves + the last answers)`],
    ['stage updates per second', `${perRoom(client.stage.map((s) => rate(s.updates, moves.windowMs)), fixed1)}; peak ${largest(client.stage.map((s) => s.peakPerSecond))} in one second; ${throughput(client.stage.reduce((a, s) => a + s.bytes, 0) / rooms, moves.windowMs)} per stage`],
    ['teacher updates per second', `${perRoom(client.teacher.map((t) => rate(t.updates, moves.windowMs)), fixed1)}; peak ${largest(client.teacher.map((t) => t.peakPerSecond))} in one second; ${throughput(client.teacher.reduce((a, t) => a + t.bytes, 0) / rooms, moves.windowMs)} per teacher`],
    ['student updates per second', `${rate(client.students.updates / n, moves.windowMs).toFixed(1)} per student; ${throughput(client.students.bytes, moves.windowMs)} to all students`],
    ['lock-in: all students', `${ms(lock.allMs)} ms (ack p50 ${ms(percentile(lock.ackMs, 0.5))}, p99 ${ms(percentile(lock.ackMs, 0.99))} ms); then ${[...new Set(lock.teacherLock)].join(' / ')}`],
    ['reveal: teacher:reveal → its ack', `${perRoom(client.reveal.map((r) => r.ackMs), ms)} ms`],
    [
      'reveal: teacher:reveal → every student has its result',
      `${perRoom(client.reveal.map((r) => r.allStudentsMs), ms)} ms (the stage: ${perRoom(client.reveal.map((r) => r.stageMs), ms)} ms)`,
    ],
    ...STAGES.map((stage): [string, string] => {
      const loop = server.loop[stage];
      return [`event-loop delay, server thread, ${STAGE_NAMES[stage]}`, `p99 ${ms(loop.p99)} ms, max ${ms(loop.max)} ms; loop busy ${(loop.utilisation * 100).toFixed(0)} %`];
    }),
    ['event-loop delay, server thread, whole run', `p99 ${ms(server.eldWhole.p99)} ms, max ${ms(server.eldWhole.max)} ms`],
    ['event-loop delay, client thread, during moves', `p99 ${ms(client.clientThread.eld.p99)} ms, max ${ms(client.clientThread.eld.max)} ms; loop busy ${(client.clientThread.utilisation * 100).toFixed(0)} %`],
    ['process RSS', `${mib(server.rssAfterBoot)} after boot, ${mib(server.rssPeak)} peak (heap used peak ${mib(server.heapPeak)})`],
    ['saves written', `${server.saves.length} (${[...reasons].map(([reason, count]) => `${reason} ${count}`).join(', ')})${failedSaves ? `, ${failedSaves} FAILED` : ''}`],
    ['save time p50 / p99 / max', `${ms(percentile(saveTimes, 0.5))} / ${ms(percentile(saveTimes, 0.99))} / ${ms(largest(saveTimes))} ms`],
    [
      'saves by part: count, p50 / p99 ms',
      STAGES.map((stage) => {
        const times = server.saves.filter((save) => save.stage === stage).map((save) => save.ms);
        return `${STAGE_NAMES[stage]} ${times.length}, ${ms(percentile(times, 0.5))} / ${ms(percentile(times, 0.99))}`;
      }).join('; '),
    ],
  ];
  const header = `### ${n} students, ${rooms} room${rooms > 1 ? 's' : ''}, ${options.seconds} s, ${options.db}${options.openLoop ? ', open loop' : ''}`;
  const context = [
    `lesson ${options.lessonId} (${server.tokens} tokens), engine ${server.backend}, ${server.description}`,
    `Node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model.trim() ?? 'unknown'}), load average at the end ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`,
  ];
  if (client.unfinished) rows.push(['DID NOT FINISH', client.unfinished]);
  const table = ['| measure | value |', '|---|---|', ...rows.map(([what, value]) => `| ${what} | ${value} |`)];
  // Anything the server logged at warn or above (a slow or failed save, a refusal) is shown.
  const notable = server.logs;
  const logs = notable.length ? [``, `The server logged ${notable.length} other line(s); the first:`, ...notable.slice(0, 5).map((l) => `    ${l.split('\n')[0]}`)] : [];
  return [header, '', ...context, '', ...table, ...logs].join('\n');
}

/** One line of the side-by-side table: the issue's columns for one server. */
function summaryRow(options: Options, target: Target, client: ClientResult, server: ServerSide, relayCpu: number | null): { cells: string[]; cpuPerMove: number } {
  const n = options.students * options.rooms;
  const { moves } = client;
  const refusedCount = Object.values(moves.refused).reduce((a, b) => a + b, 0);
  const handled = moves.ok + refusedCount;
  const due = moves.sent + moves.heldBack + moves.notSent;
  const cpuPerMove = (server.loop.moves.cpuMs * 1000) / Math.max(1, handled);
  const heapPerStudent = (server.heapAfterJoins - server.heapBeforeJoins) / n;
  const rssPerStudent = (server.rssAfterJoins - server.rssBeforeJoins) / n;
  const revealAll = client.unfinished ? Number.NaN : largest(client.reveal.map((r) => r.allStudentsMs));
  return {
    cpuPerMove,
    cells: [
      target === 'arena' ? `arena (${options.db})` : 'relay',
      options.rooms === 1 ? `1 × ${options.students}` : `${options.rooms} × ${options.students}`,
      `${ms(percentile(moves.ackMs, 0.5))} / ${ms(percentile(moves.ackMs, 0.99))}`,
      ms(percentile(moves.toProjectorMs, 0.99)),
      `${handled} / ${due}`,
      ms(revealAll),
      cpuPerMove.toFixed(0),
      relayCpu === null ? '1' : (cpuPerMove / relayCpu).toFixed(2),
      `${(heapPerStudent / 1024).toFixed(1)} KiB`,
      `${(rssPerStudent / 1024).toFixed(0)} KiB`,
      `${(server.loop.moves.utilisation * 100).toFixed(0)} %`,
    ],
  };
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  if (options.kill && options.processes < 2) throw new UsageError(`--kill needs --processes 2\n${USAGE}`);
  if (options.processes === 2) {
    console.error(`bench:classroom: two processes: ${options.students} students × ${options.rooms} room(s), ${options.seconds} s of moves${options.kill ? ', kill -9 at half time' : ''}…`);
    await runCluster({ students: options.students, rooms: options.rooms, seconds: options.seconds, lessonId: options.lessonId, seed: options.seed, kill: options.kill });
    return;
  }
  const targets: Target[] = options.relay === 'only' ? ['relay'] : options.relay === 'none' ? ['arena'] : ['relay', 'arena'];
  const rows: string[][] = [];
  let relayCpu: number | null = null;
  for (const target of targets) {
    console.error(`bench:classroom: ${target}: ${options.students} students × ${options.rooms} room(s), ${options.seconds} s of moves${target === 'arena' ? `, ${options.db}` : ''}…`);
    const { client, server } = await runServer(options, target);
    console.log(`${report(options, client, server).replace(/^### /, `### ${target}: `)}\n`);
    const row = summaryRow(options, target, client, server, relayCpu);
    if (target === 'relay') relayCpu = row.cpuPerMove;
    rows.push(row.cells);
  }
  const header = ['server', 'rooms × students', 'ack p50 / p99 ms', 'input→projector p99 ms', 'moves handled / due', 'reveal to all ms', 'server CPU µs/move', '× relay', 'server heap / student', 'RSS / student (clients too)', 'server loop busy'];
  console.log(`### side by side (load average at the end ${os.loadavg().map((x) => x.toFixed(1)).join(' ')})\n`);
  console.log([`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n'));
}

if (isMainThread) {
  main().then(
    () => {
      // Everything is closed: the process ends by itself. If it does not, say what is still open.
      const stuck = setTimeout(() => {
        console.error(`bench:classroom: still open 10 s after the end: ${process.getActiveResourcesInfo().join(', ')}`);
        process.exit(1);
      }, 10_000);
      stuck.unref();
    },
    (error: unknown) => {
      console.error(error instanceof UsageError ? error.message : error instanceof Error ? (error.stack ?? error.message) : error);
      process.exit(1);
    },
  );
} else {
  runClientThread();
}
