/**
 * `npm run bench:classroom -- --processes 2 [--kill] [--students N] [--rooms R] [--seconds S]`
 *
 * The class of `classroom-load.ts`, played against two server processes (`server/index.ts`, API
 * only, cpu engine) on one PostgreSQL database (a fresh one, dropped afterwards) and one Redis
 * (REDIS_URL, else redis://127.0.0.1:6379, under a key prefix of its own), behind one address: a
 * TCP balancer in this process that hands each new connection to the next process in turn. The
 * teachers open their rooms one after another, so the rooms are spread over both processes. The
 * clients are the browser's own `ArenaClient`s: they reconnect and prove who they are by themselves.
 *
 * Every student moves a slider every 200–600 ms for S seconds and locks in at a random moment of the
 * first 90 % of them. With `--kill`, at half time the process that owns the most rooms is killed with
 * SIGKILL; the table gives, per room it owned, the time from the kill until the room's teacher had a
 * full view again through the other process, and how many lock-ins the server had acknowledged before
 * the kill but no longer knew after it (the target: none). Then everyone locks in, every teacher
 * reveals, and the rounds that finished (every student saw the result) are counted.
 *
 * A benchmark, not a test: it asserts nothing about time. It exits 1 when the scenario fails.
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import { ArenaClient, memoryStore, socketIoTransport } from '../lib/client';
import { seededRandom } from '../lib/game';
import type { StudentView, TeacherView } from '../lib/protocol';
import { Balancer } from '../tests/helpers/balancer';
import { adminQuery, dropDatabase, POSTGRES_ADMIN_URL } from '../tests/helpers/databases';
import { freePort, ServerProcess } from '../tests/helpers/processes';
import { largest, percentile } from './stats';

export interface ClusterOptions {
  students: number;
  rooms: number;
  seconds: number;
  lessonId: string;
  seed: number;
  kill: boolean;
}

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const WAIT_MS = 60_000;
const MOVE_MIN_MS = 200;
const MOVE_SPREAD_MS = 400;

const startedAt = performance.now();
/** One line on stderr per stage, so a slow run shows where it is. */
const progress = (what: string) => console.error(`bench:classroom: ${(Math.round(performance.now() - startedAt) / 1000).toFixed(1)} s: ${what}`);

const sleep = (delayMs: number) => new Promise<void>((resolve) => setTimeout(resolve, delayMs));

const ms = (x: number) => (Number.isFinite(x) ? x.toFixed(0) : '–');

interface Room {
  code: string;
  sessionId: string;
  teacher: ArenaClient;
  students: ArenaClient[];
  /** Students whose lock-in the server acknowledged before the kill. */
  lockedBeforeKill: Set<number>;
}

/** A valid slider position: whole percents over the allowed tokens, adding up to 100. */
function randomAllocation(view: StudentView, random: () => number): number[] {
  const allowed = view.seat?.allowedTokens ?? [];
  const percents = allowed.map(() => Math.floor(random() * 10));
  let left = 100 - percents.reduce((a, b) => a + b, 0);
  for (let i = 0; left > 0; i = (i + 1) % percents.length, left--) percents[i]++;
  const weights = new Array<number>(view.lesson.tokens.length).fill(0);
  allowed.forEach((token, i) => (weights[token] = percents[i] / 100));
  return weights;
}

function studentView(client: ArenaClient): StudentView | null {
  const view = client.snapshot.view;
  return view?.kind === 'student' ? view : null;
}

/** Resolves once `check` holds, looked at after every change of the client. */
function until(client: ArenaClient, check: () => boolean, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let unsubscribe = () => {};
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`waited ${WAIT_MS} ms for ${what}`));
    }, WAIT_MS);
    const look = () => {
      if (!check()) return;
      clearTimeout(timer);
      unsubscribe();
      resolve();
    };
    unsubscribe = client.subscribe(look);
    look();
  });
}

/** Runs `task` over `items`, at most `limit` at a time. */
async function inBatches<T>(items: readonly T[], limit: number, task: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        await task(items[i], i);
      }
    }),
  );
}

/** Plays the class against two processes and prints one markdown table. */
export async function runCluster(options: ClusterOptions): Promise<void> {
  const prefix = `arena-bench-${randomBytes(4).toString('hex')}`;
  const database = `arena_bench_cluster_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  await adminQuery(`CREATE DATABASE "${database}"`);
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${database}`;
  const redis = new Redis(REDIS_URL);
  const clients: ArenaClient[] = [];
  const servers: ServerProcess[] = [];
  let balancer: Balancer | null = null;
  // Interrupted (Ctrl-C, a timeout): the server processes must not outlive the run.
  const onSignal = () => {
    void ServerProcess.killAll();
    process.exit(1);
  };
  process.once('SIGINT', onSignal).once('SIGTERM', onSignal);
  try {
    const env = { DATABASE_URL: url.toString(), REDIS_URL, REDIS_PREFIX: prefix };
    // One after the other: the second finds the migrations applied.
    for (let i = 0; i < 2; i++) servers.push(await ServerProcess.start({ port: await freePort(), env }));
    const front = await Balancer.start(servers.map((server) => server.port));
    balancer = front;
    const connect = () => {
      const client = new ArenaClient({
        transport: socketIoTransport({ url: front.url, reconnectionDelayMs: 200, reconnectionDelayMaxMs: 1000 }),
        store: memoryStore(),
        resyncIntervalMs: 0,
        requestTimeoutMs: WAIT_MS,
      });
      clients.push(client);
      return client;
    };

    // ——— rooms, spread over both processes ———
    progress('both processes listen');
    const rooms: Room[] = [];
    for (let r = 0; r < options.rooms; r++) {
      const teacher = connect();
      const created = await teacher.createSession({ lessonId: options.lessonId, settings: { timerSeconds: null, roomSize: Math.max(options.students, 1) } });
      rooms.push({ code: created.code, sessionId: created.sessionId, teacher, students: [], lockedBeforeKill: new Set() });
    }
    const joinStarted = performance.now();
    const seats = rooms.flatMap((room) => Array.from({ length: options.students }, (_, k) => ({ room, k })));
    await inBatches(seats, 50, async ({ room, k }) => {
      const student = connect();
      room.students[k] = student;
      await student.join(room.code, `student ${k + 1}`);
    });
    const joinMs = performance.now() - joinStarted;
    progress(`${seats.length} students joined in ${ms(joinMs)} ms`);
    const ownerOf = async (room: Room) => (await redis.get(`${prefix}:lease:${room.sessionId}`)) ?? '';
    const owners = await Promise.all(rooms.map(ownerOf));
    const perProcess = servers.map((server) => owners.filter((owner) => owner.includes(`-${server.child.pid}-`)).length);

    for (const room of rooms) {
      await room.teacher.request('teacher:start-round', {});
      await room.teacher.request('teacher:open-negotiation', {});
    }
    await inBatches(rooms.flatMap((room) => room.students), 100, (student) =>
      until(student, () => studentView(student)?.phase === 'negotiate' && studentView(student)?.seat !== null, 'a seat'),
    );

    // ——— moves, lock-ins, and the kill at half time ———
    const random = seededRandom(options.seed);
    const acks: number[] = [];
    const refused = new Map<string, number>();
    const refuse = (code: string) => refused.set(code, (refused.get(code) ?? 0) + 1);
    let killedAt: number | null = null;
    const movesEnd = performance.now() + options.seconds * 1000;
    // Spread over 90 % of the moves: about half the lock-ins come before a kill at half time, the rest
    // after it, while the others still move their sliders.
    const lockAt = () => performance.now() + random() * options.seconds * 1000 * 0.9;
    const play = async (room: Room, k: number) => {
      const student = room.students[k];
      const lockTime = lockAt();
      // The answer says so before the view does.
      let locked = false;
      while (performance.now() < movesEnd && !locked) {
        const view = studentView(student);
        if (view?.seat && !view.seat.lockedIn) {
          if (performance.now() >= lockTime) {
            const sentBeforeKill = killedAt === null;
            const answer = await student.attempt('attention:lock', { round: 1 });
            locked = answer.ok || answer.error.code === 'attention/already-locked';
            if (answer.ok && sentBeforeKill && killedAt === null) room.lockedBeforeKill.add(k);
            else if (!answer.ok) refuse(answer.error.code);
            if (locked) continue;
          } else {
            const sent = performance.now();
            const answer = await student.attempt('attention:allocate', { round: 1, weights: randomAllocation(view, random) });
            if (answer.ok && killedAt === null) acks.push(performance.now() - sent);
            else if (!answer.ok) refuse(answer.error.code);
          }
        }
        await sleep(MOVE_MIN_MS + random() * MOVE_SPREAD_MS);
      }
    };
    const killer = (async () => {
      if (!options.kill) return null;
      await sleep((options.seconds * 1000) / 2);
      const most = perProcess.indexOf(largest(perProcess));
      const victim = servers[most];
      const victimRooms = rooms.filter((_, i) => owners[i].includes(`-${victim.child.pid}-`));
      const load = os.loadavg()[0];
      const survivor = servers[1 - most];
      const survivorLogFrom = survivor.output.length;
      const killedAtWall = Date.now();
      killedAt = performance.now();
      await victim.crash();
      // A room is served again once its teacher has a full view from the other process.
      const takeover = await Promise.all(
        victimRooms.map(async (room) => {
          // A request in flight when the connection dropped fails; the next one waits for the way back.
          while (!(await room.teacher.attempt('state:sync', {})).ok) {
            if (performance.now() - killedAt! > WAIT_MS) return NaN;
            await sleep(250);
          }
          return performance.now() - killedAt!;
        }),
      );
      // When the survivor had each room restored and running, by its own log (the clients' view above
      // also carries their reconnection and this load generator's own delays).
      const restored = survivor.output
        .slice(survivorLogFrom)
        .split('\n')
        .filter((line) => line.includes('took over a room'))
        .map((line) => Date.parse((JSON.parse(line) as { time: string }).time) - killedAtWall);
      return { victim: most, rooms: victimRooms.length, takeover, restored, load };
    })();
    const [killed] = await Promise.all([killer, ...rooms.flatMap((room) => room.students.map((_, k) => play(room, k)))]);
    progress(`moves done${killed ? `; ${killed.takeover.filter(Number.isFinite).length} of ${killed.rooms} room(s) served again after the kill` : ''}`);

    // ——— lock-ins kept, then everyone locks in and every round is revealed ———
    let lost = 0;
    let acknowledged = 0;
    for (const room of rooms) {
      const { view } = await room.teacher.request('state:sync', {});
      const players = (view as TeacherView).players;
      for (const k of room.lockedBeforeKill) {
        acknowledged++;
        const playerId = studentView(room.students[k])?.me.playerId;
        if (!players.find((p) => p.playerId === playerId)?.lockedIn) lost++;
      }
    }
    const revealStarted = performance.now();
    let finished = 0;
    await inBatches(rooms, 4, async (room) => {
      await inBatches(room.students, 10, async (student) => {
        if (!studentView(student)?.seat?.lockedIn) await student.attempt('attention:lock', { round: 1 });
      });
      await room.teacher.attempt('teacher:lock', {});
      await room.teacher.request('teacher:reveal', {});
      await Promise.all(room.students.map((student) => until(student, () => studentView(student)?.result?.round === 1, 'the result')));
      finished++;
    });
    const revealMs = performance.now() - revealStarted;
    progress(`${finished} round(s) revealed`);

    const rows: [string, string][] = [
      ['processes', `2 behind one TCP balancer; rooms owned ${perProcess.join(' + ')}`],
      ['rooms × students', `${options.rooms} × ${options.students}`],
      ['join: all students', `${ms(joinMs)} ms`],
      ['move ack p50 / p99 (before any kill)', `${ms(percentile(acks, 0.5))} / ${ms(percentile(acks, 0.99))} ms (${acks.length} moves)`],
      // During a takeover a request in flight fails with client/timeout (the connection dropped) and is not sent again.
      ['moves and lock-ins refused', refused.size === 0 ? '0' : [...refused].map(([code, n]) => `${n} ${code}`).join(', ')],
    ];
    if (killed) {
      rows.push(
        ['kill -9', `process ${killed.victim + 1}, owner of ${killed.rooms} room(s), at ${options.seconds / 2} s (load average ${killed.load.toFixed(1)})`],
        ['takeover: room restored on the other process (its log) p50 / max', `${ms(percentile(killed.restored, 0.5))} / ${ms(largest(killed.restored))} ms (${killed.restored.length} room(s))`],
        [
          'takeover: teacher served again (client side) p50 / max',
          `${ms(percentile(killed.takeover, 0.5))} / ${ms(largest(killed.takeover))} ms${killed.takeover.some((t) => !Number.isFinite(t)) ? ` (${killed.takeover.filter((t) => !Number.isFinite(t)).length} not within ${WAIT_MS / 1000} s)` : ''}`,
        ],
      );
    }
    rows.push(
      ['lock-ins acknowledged before the kill / lost', `${acknowledged} / ${lost}`],
      ['rounds finished', `${finished} of ${rooms.length} (reveal to all: ${ms(revealMs)} ms)`],
    );
    console.log(`### two processes (load average at the end ${os.loadavg().map((x) => x.toFixed(1)).join(' ')})\n`);
    console.log(['| measure | value |', '|---|---|', ...rows.map(([what, value]) => `| ${what} | ${value} |`)].join('\n'));
    if (lost > 0 || finished < rooms.length) throw new Error(`${lost} lock-in(s) lost, ${rooms.length - finished} round(s) unfinished`);
  } catch (error) {
    // What the processes said about ownership and failures explains most failed runs.
    for (const [i, server] of servers.entries()) {
      const lines = server.output.split('\n').filter((line) => /"family":"scale"|"level":(50|60)/.test(line));
      console.error(`process ${i + 1} (pid ${server.child.pid}), ${lines.length} line(s) about ownership and errors:\n${lines.slice(0, 40).join('\n')}`);
    }
    throw error;
  } finally {
    process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
    for (const client of clients) client.close();
    await ServerProcess.killAll();
    await balancer?.close();
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
    await dropDatabase(database);
  }
}
