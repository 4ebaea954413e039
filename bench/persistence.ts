/**
 * `npm run bench:persistence`: what one save of a 300-student class costs, on the embedded PGlite (on
 * disk, as `npm start` uses it) run on the server's own thread (as it was) and on a thread of its own
 * (as it is now), and on the PostgreSQL server (skipped when unreachable).
 *
 * Each sample is a fresh session played by the game core up to the write being timed, so every write
 * inserts what a real one would insert (300 players on the roster save, 300 final allocations at the
 * lock, 300 results at the reveal) rather than finding its rows already there; within a sample the
 * writes follow each other, so each writes only what changed since the one before. The last row is a
 * class in round 5: its finished rounds are rows of their own, written once, so the snapshot stays the
 * size of the live state (the "before" column shows the snapshot with the history inside, as it was).
 *
 * For every save: how long it took, how much of that time the server's thread was busy with it
 * (performance.eventLoopUtilization: a busy thread serves no socket of any room), and the longest it
 * was blocked in one piece (the longest delay perf_hooks.monitorEventLoopDelay saw at 1 ms
 * resolution, resolution subtracted; PGlite yields between the protocol messages of a query, so this
 * stays short even where the thread is busy for the whole save).
 *
 * Then a burst: BURST students join one room at once. "one by one" awaits each save before the next
 * (how the room saved before); "together" issues them all at once (how a room saves now: it moves on
 * while its saves are written, and the repository writes what arrived together in one statement).
 * The median (and the slowest of the middle 80 %) of SAMPLES sessions is printed per write and database.
 *
 * `npm run bench:persistence -- --memory [--students N] [--db pglite|postgres|memory]`: memory per
 * connected student instead. The server boots in this process (engine cpu, no Next) on the chosen
 * store; a child process (so its sockets cost this process nothing) opens a session and seats N/2
 * students (N = 300 by default, a full room), each its own socket.io connection, who then stay idle;
 * then N/2 more join the same room. RSS and heap are read after a full garbage collection once the
 * first half is seated and once all N are (every join stored): the difference over N/2 is the cost of one idle
 * connected student, with everything a first class brings along (Prisma's first queries, PGlite's
 * start-up, socket.io) already in both readings. RSS covers PGlite's thread too; after boot the run
 * waits until RSS has held still for 10 s before the class starts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import { fork } from 'node:child_process';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import v8 from 'node:v8';
import vm from 'node:vm';
import { io as connectSocket } from 'socket.io-client';
import { PGlite } from '@electric-sql/pglite';
import { attendLayer } from '../lib/attention/reference';
import { createSession, reduce, seededRandom, type GameEvent, type GameState, type PersistReason } from '../lib/game';
import { getLesson } from '../lib/lessons/curated';
import { databaseFromPGlite, openDatabase, type Database } from '../server/persistence/db';
import { migrate } from '../server/persistence/migrate';
import { nothingWritten, PrismaSessionRepository, remember, saveRows } from '../server/persistence/prisma-repository';
import type { SessionRecord } from '../server/persistence/repository';
import { createAttentionEngine } from '../lib/attention/engine';
import { curatedLessons } from '../lib/lessons/curated/index';
import { handshakeAuth, type Ack } from '../lib/protocol';
import { createServer } from '../server/app';
import { openPersistence } from '../server/persistence/index';
import { MemorySessionRepository } from '../server/persistence/memory';
import type { SessionRepository } from '../server/persistence/repository';
import { hashSecret } from '../server/secrets';
import { databaseTargets } from '../tests/helpers/databases';

const PLAYERS = 300;
const SAMPLES = 15;
const WARMUP = 2;
/** Students joining one room at once in the burst. */
const BURST = 120;
const BURST_SAMPLES = 5;
const lesson = getLesson('the-cat-sat');
if (!lesson) throw new Error('the cat lesson is missing');

/** A write to time, and how the class gets there from the write before it. */
interface Write {
  label: string;
  reason: PersistReason;
  advance: (state: GameState, play: (state: GameState, events: GameEvent[]) => GameState) => GameState;
}

const teacher = { role: 'teacher' } as const;
const student = (playerId: string) => ({ role: 'student', playerId }) as const;

/** Half the class moves a slider in `round`, the first 30 lock in. */
function studentMoves(state: GameState, round: number): GameEvent[] {
  const events: GameEvent[] = [];
  for (let i = 0; i < PLAYERS / 2; i++) {
    const seat = state.round!.seats.find((s) => s.members.includes(`p${i}`))!;
    const weights = state.lesson.tokens.map((_, t) => (t === seat.token ? 0.5 : 0.5 / (state.lesson.tokens.length - 1)));
    events.push({ type: 'attention:allocate', round, weights, by: student(`p${i}`) });
    if (i < 30) events.push({ type: 'attention:lock', round, by: student(`p${i}`) });
  }
  return events;
}

const WRITES: Write[] = [
  {
    label: `roster (${PLAYERS} joined)`,
    reason: 'roster',
    advance: (state, play) =>
      play(state, Array.from({ length: PLAYERS }, (_, i): GameEvent => ({ type: 'seat:join', nickname: `student ${i}`, by: student(`p${i}`) }))),
  },
  { label: 'phase: round 1 starts', reason: 'phase', advance: (state, play) => play(state, [{ type: 'teacher:start-round', by: teacher }]) },
  {
    label: 'student moves (150 moved, 30 locked in)',
    reason: 'phase',
    advance: (state, play) => {
      const negotiating = play(state, [{ type: 'teacher:open-negotiation', by: teacher }]);
      return play(negotiating, studentMoves(negotiating, 1));
    },
  },
  { label: 'phase: lock (final allocations)', reason: 'phase', advance: (state, play) => play(state, [{ type: 'teacher:lock', by: teacher }]) },
  { label: 'phase: reveal (results, totals)', reason: 'results', advance: (state, play) => play(state, [{ type: 'teacher:reveal', by: teacher }]) },
  {
    label: 'student moves in round 5 (4 rounds of history)',
    reason: 'phase',
    advance: (state, play) => {
      for (let round = 2; round <= 5; round++) {
        state = play(state, [
          { type: 'teacher:next-round', by: teacher },
          { type: 'teacher:open-negotiation', by: teacher },
        ]);
        state = play(state, studentMoves(state, round));
        if (round < 5) state = play(state, [{ type: 'teacher:lock', by: teacher }, { type: 'teacher:reveal', by: teacher }]);
      }
      return state;
    },
  },
];

/** Applies events the way a room does, answering the engine's requests with the reference. */
function play(state: GameState, events: GameEvent[], now: () => number, random: () => number): GameState {
  for (const event of events) {
    const result = reduce(state, event, { now: now(), random });
    if (!result.ok) throw new Error(`${event.type} refused: ${result.error.code}`);
    state = result.state;
    for (const effect of result.effects) {
      if (effect.type !== 'compute-attention') continue;
      const layer = attendLayer(state.cards, state.lesson.wO, effect.options);
      state = play(state, [{ type: 'attention:computed', round: effect.round, attention: { heads: layer.heads.map((h) => ({ weights: h.weights, outputs: h.outputs })) }, by: { role: 'system' } }], now, random);
    }
  }
  return state;
}

/** One class's record just before each write. */
function classRecords(sample: number): SessionRecord[] {
  let time = 1_700_000_000_000 + sample * 3_600_000;
  const now = () => (time += 50);
  const random = seededRandom(sample + 1);
  const created = createSession({ sessionId: `bench-${sample}-${Date.now().toString(36)}`, lesson: lesson!, settings: { timerSeconds: 600 } }, { now: now(), random });
  if (!created.ok) throw new Error(created.error.message);
  let state = created.state;
  const hashes: Record<string, string> = {};
  for (let i = 0; i < PLAYERS; i++) hashes[`p${i}`] = hashSecret(`secret ${sample} ${i} ${state.sessionId}`);
  const records: SessionRecord[] = [];
  for (const write of WRITES) {
    state = write.advance(state, (from, events) => play(from, events, now, random));
    records.push({ state, hostSecretHash: hashSecret(`host ${state.sessionId}`), playerSecretHashes: hashes });
  }
  return records;
}

function percentile(xs: number[], p: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * (sorted.length - 1)))];
}

/**
 * A timing, in ms: how long the work took, how much of that the server's thread was busy (event-loop
 * utilisation: JavaScript and WebAssembly running rather than waiting), and the longest it was blocked
 * in one piece.
 */
interface Timing {
  ms: number;
  busyMs: number;
  blockedMs: number;
}

/** Runs `work`, watching the event loop. */
async function timed(work: () => Promise<unknown>): Promise<Timing> {
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  const utilisation = performance.eventLoopUtilization();
  const t0 = performance.now();
  await work();
  const ms = performance.now() - t0;
  const busyMs = performance.eventLoopUtilization(utilisation).active;
  // A block that lasted until the work ended is recorded by the histogram's next tick: let it come.
  await new Promise((resolve) => setTimeout(resolve, 5));
  delay.disable();
  // The histogram holds nothing when no timer tick fell inside the work.
  const blockedMs = delay.count > 0 ? Math.max(0, delay.max / 1e6 - 1) : 0;
  return { ms, busyMs, blockedMs };
}

/** The records of BURST students joining one class, one record per join. */
function burstRecords(sample: number): SessionRecord[] {
  let time = 1_800_000_000_000 + sample * 3_600_000;
  const now = () => (time += 5);
  const random = seededRandom(sample + 101);
  const created = createSession({ sessionId: `burst-${sample}-${Date.now().toString(36)}`, lesson: lesson!, settings: { timerSeconds: 600 } }, { now: now(), random });
  if (!created.ok) throw new Error(created.error.message);
  let state = created.state;
  const hashes: Record<string, string> = {};
  const records: SessionRecord[] = [];
  for (let i = 0; i < BURST; i++) {
    const playerId = `${state.sessionId}-p${i}`;
    hashes[playerId] = hashSecret(`secret ${playerId}`);
    state = play(state, [{ type: 'seat:join', nickname: `student ${i}`, by: student(playerId) }], now, random);
    records.push({ state, hostSecretHash: hashSecret(`host ${state.sessionId}`), playerSecretHashes: { ...hashes } });
  }
  return records;
}

interface DatabaseResult {
  writes: Timing[][];
  oneByOne: Timing[];
  together: (Timing & { statements: number })[];
}

async function benchDatabase(db: Database): Promise<DatabaseResult> {
  await migrate(db);
  const result: DatabaseResult = { writes: WRITES.map(() => []), oneByOne: [], together: [] };
  for (let sample = 0; sample < WARMUP + SAMPLES; sample++) {
    // A fresh repository per class: each sample's first write finds nothing written before.
    const repository = new PrismaSessionRepository(db.prisma, db.runStatements);
    const records = classRecords(sample);
    for (const [i, record] of records.entries()) {
      const timing = await timed(() => repository.saveSession(record, WRITES[i].reason));
      if (sample >= WARMUP) result.writes[i].push(timing);
    }
  }
  for (let sample = 0; sample < BURST_SAMPLES; sample++) {
    const sequential = new PrismaSessionRepository(db.prisma, db.runStatements);
    const records = burstRecords(2 * sample);
    result.oneByOne.push(
      await timed(async () => {
        for (const record of records) await sequential.saveSession(record, 'roster');
      }),
    );
    const batched = new PrismaSessionRepository(db.prisma, db.runStatements);
    const together = burstRecords(2 * sample + 1);
    const timing = await timed(() => Promise.all(together.map((record) => batched.saveSession(record, 'roster'))));
    result.together.push({ ...timing, statements: batched.statements });
  }
  return result;
}

async function inTempDir<T>(task: (dataDir: string) => Promise<T>): Promise<T> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'arena-bench-'));
  try {
    return await task(path.join(dataDir, 'pglite'));
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function benchAndClose(open: () => Promise<Database>): Promise<DatabaseResult> {
  const db = await open();
  try {
    return await benchDatabase(db);
  } finally {
    await db.close();
  }
}

const cell = (xs: number[]) => `${percentile(xs, 0.5).toFixed(1)} (${percentile(xs, 0.9).toFixed(1)})`;

function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((h, col) => Math.max(h.length, ...rows.map((r) => r[col].length)));
  const line = (cells: string[]) => `| ${cells.map((c, col) => c.padEnd(widths[col])).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const row of rows) console.log(line(row));
}

async function main(): Promise<void> {
  const example = classRecords(0);
  const columns: { name: string; result: DatabaseResult | null; note: string }[] = [];

  columns.push({
    name: 'PGlite, server thread',
    result: await inTempDir((dataDir) => benchAndClose(async () => databaseFromPGlite(await PGlite.create(dataDir)))),
    note: '',
  });
  columns.push({ name: 'PGlite, own thread', result: await inTempDir((dataDir) => benchAndClose(() => openDatabase({ kind: 'pglite', dataDir }))), note: '' });

  const postgres = (await databaseTargets()).find((t) => t.kind === 'postgres')!;
  if (postgres.skip) {
    columns.push({ name: 'PostgreSQL', result: null, note: postgres.skip });
  } else {
    const t = await postgres.open('bench');
    try {
      columns.push({ name: 'PostgreSQL', result: await benchDatabase(t.db), note: '' });
    } finally {
      await t.close();
    }
  }

  console.log(`\nOne save of a ${PLAYERS}-student class ("${lesson!.id}"); median (p90) of ${SAMPLES} sessions, ms`);
  console.log(`(load average at the end: ${os.loadavg().map((x) => x.toFixed(1)).join(' ')} on ${os.cpus().length} CPUs)\n`);
  // Each write of the sequence sends only the rows that changed since the one before it.
  const written = nothingWritten();
  const rowCounts = example.map((record) => {
    const rows = saveRows(record, written);
    remember(written, rows);
    const { players, rounds, allocations, roundResults, playerResults, history } = rows;
    return String(1 + players.length + rounds.length + allocations.length + roundResults.length + playerResults.length + history.length);
  });
  const sizes = example.map((record) => {
    const { lesson: _lesson, ...withHistory } = record.state;
    return { now: saveRows(record).session.snapshot.length, before: JSON.stringify(withHistory).length };
  });
  printTable(
    ['write', 'rows written', 'snapshot (before)', ...columns.flatMap((c) => [`${c.name}: save`, 'thread busy', 'longest block'])],
    WRITES.map((write, i) => [
      write.label,
      rowCounts[i],
      `${(sizes[i].now / 1024).toFixed(0)} KB (${(sizes[i].before / 1024).toFixed(0)} KB)`,
      ...columns.flatMap((c) =>
        c.result
          ? [cell(c.result.writes[i].map((t) => t.ms)), cell(c.result.writes[i].map((t) => t.busyMs)), cell(c.result.writes[i].map((t) => t.blockedMs))]
          : ['skipped', '', ''],
      ),
    ]),
  );

  console.log(`\n${BURST} students join one room at once; median (p90) of ${BURST_SAMPLES} bursts, ms until every join is stored\n`);
  printTable(
    ['database', 'one by one: all stored', 'thread busy', 'longest block', 'together: all stored', 'thread busy', 'longest block', 'statements'],
    columns.map((c) =>
      c.result
        ? [
            c.name,
            cell(c.result.oneByOne.map((t) => t.ms)),
            cell(c.result.oneByOne.map((t) => t.busyMs)),
            cell(c.result.oneByOne.map((t) => t.blockedMs)),
            cell(c.result.together.map((t) => t.ms)),
            cell(c.result.together.map((t) => t.busyMs)),
            cell(c.result.together.map((t) => t.blockedMs)),
            cell(c.result.together.map((t) => t.statements)),
          ]
        : [c.name, 'skipped', '', '', '', '', '', ''],
    ),
  );
  for (const column of columns) if (column.note) console.log(`\n${column.name}: ${column.note}`);
}

// ——— memory per connected student ———

/** The child: a teacher opens a session, `students` students join it one after another, then all stay idle. */
async function seatClass(url: string, students: number): Promise<void> {
  const connect = async () => {
    const socket = connectSocket(url, { transports: ['websocket'], reconnection: false, forceNew: true, auth: handshakeAuth() });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
    return socket;
  };
  const ask = async <T>(socket: Awaited<ReturnType<typeof connect>>, event: string, payload: unknown): Promise<T> => {
    const raw = socket as unknown as { emitWithAck(event: string, payload: unknown): Promise<Ack<T>> };
    const answer = await raw.emitWithAck(event, payload);
    if (!answer.ok) throw new Error(`${event} refused: ${answer.error.code} ${answer.error.message}`);
    return answer.data;
  };
  // The parent says when: it lets its own memory settle first.
  await new Promise<void>((resolve) => process.once('message', () => resolve()));
  const teacher = await connect();
  const { code } = await ask<{ code: string }>(teacher, 'session:create', { lessonId: 'the-cat-sat', settings: { timerSeconds: null } });
  const sockets = [teacher];
  const seat = async (from: number) => {
    for (let i = from; i < from + students; i++) {
      const socket = await connect();
      await ask(socket, 'seat:join', { code, nickname: `student ${i}` });
      sockets.push(socket);
    }
    process.send?.('seated');
    // Stays connected until the parent has measured and says so.
    await new Promise<void>((resolve) => process.once('message', () => resolve()));
  };
  await seat(0);
  await seat(students);
  for (const socket of sockets) socket.disconnect();
}

async function openRepository(kind: string): Promise<{ repository: SessionRepository; close(): Promise<void> }> {
  if (kind === 'memory') return { repository: new MemorySessionRepository(), close: async () => {} };
  if (kind === 'pglite') {
    const dir = mkdtempSync(path.join(tmpdir(), 'arena-memory-'));
    const persistence = await openPersistence({ kind: 'pglite', dataDir: path.join(dir, 'pglite') });
    return {
      repository: persistence.repository,
      async close() {
        await persistence.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const postgres = (await databaseTargets()).find((t) => t.kind === 'postgres')!;
  if (postgres.skip) throw new Error(postgres.skip);
  const t = await postgres.open('bench memory');
  await migrate(t.db);
  return { repository: new PrismaSessionRepository(t.db.prisma, t.db.runStatements), close: () => t.close() };
}

async function measureMemory(kind: string, students: number): Promise<void> {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  /**
   * Collects garbage until RSS holds still (within 1 MiB for `quietMs`, at most two minutes): PGlite's
   * thread gives back a few hundred MiB of start-up memory (WebAssembly compilation) some time after it
   * opened, which would otherwise land inside the class's reading.
   */
  const settle = async (quietMs = 600) => {
    const until = performance.now() + 120_000;
    let last = process.memoryUsage().rss;
    let stillSince = performance.now();
    for (;;) {
      gc();
      await new Promise((resolve) => setTimeout(resolve, 200));
      const rss = process.memoryUsage().rss;
      if (Math.abs(rss - last) > 2 ** 20) stillSince = performance.now();
      last = rss;
      if (performance.now() - stillSince >= quietMs || performance.now() > until) return process.memoryUsage();
    }
  };
  const store = await openRepository(kind);
  const engine = await createAttentionEngine({ backend: 'cpu', log: () => {} });
  const server = createServer({ engine, lessons: curatedLessons, repository: store.repository, closeGraceMs: 500 });
  const { port } = await server.listen(0, '127.0.0.1');
  const url = `http://127.0.0.1:${port}`;
  const half = Math.floor(students / 2);
  const child = fork(fileURLToPath(import.meta.url), ['--seat', url, String(half)], { execArgv: process.execArgv, stdio: 'inherit' });
  const exited = new Promise<void>((resolve, reject) => child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`the clients' process exited with ${code}`)))));
  const seated = () => Promise.race([new Promise<void>((resolve) => child.once('message', () => resolve())), exited]);
  try {
    const boot = await settle(10_000);
    child.send('go');
    await seated();
    const before = await settle();
    child.send('more');
    await seated();
    const after = await settle();
    child.send('done');
    await exited;
    const kib = (bytes: number) => `${(bytes / 1024 / half).toFixed(1)} KiB`;
    console.log(`\nMemory per idle connected student: ${half} students join a room of ${half}, store: ${kind} (RSS after boot ${(boot.rss / 2 ** 20).toFixed(0)} MiB)`);
    console.log(`(load average at the end: ${os.loadavg().map((x) => x.toFixed(1)).join(' ')} on ${os.cpus().length} CPUs)\n`);
    printTable(
      ['measure', `${half} seated`, `${2 * half} seated`, 'per student'],
      [
        ['RSS', `${(before.rss / 2 ** 20).toFixed(0)} MiB`, `${(after.rss / 2 ** 20).toFixed(0)} MiB`, kib(after.rss - before.rss)],
        ['heap used', `${(before.heapUsed / 2 ** 20).toFixed(1)} MiB`, `${(after.heapUsed / 2 ** 20).toFixed(1)} MiB`, kib(after.heapUsed - before.heapUsed)],
        ['external + array buffers', `${((before.external + before.arrayBuffers) / 2 ** 20).toFixed(1)} MiB`, `${((after.external + after.arrayBuffers) / 2 ** 20).toFixed(1)} MiB`, kib(after.external + after.arrayBuffers - before.external - before.arrayBuffers)],
      ],
    );
  } finally {
    await server.close();
    engine.dispose();
    await store.close();
  }
}

function entry(): Promise<void> {
  const { values } = parseArgs({
    options: { memory: { type: 'boolean', default: false }, students: { type: 'string', default: '300' }, db: { type: 'string', default: 'pglite' }, seat: { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  if (values.seat !== undefined) return seatClass(values.seat, Number(process.argv.at(-1)));
  if (!values.memory) return main();
  if (!['pglite', 'postgres', 'memory'].includes(values.db)) throw new Error(`--db must be pglite, postgres or memory, not "${values.db}"`);
  return measureMemory(values.db, Number(values.students));
}

entry().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
