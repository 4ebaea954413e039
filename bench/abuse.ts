/**
 * `npm run bench:abuse -- [--rooms 3] [--students 30] [--seconds 10] [--rate 5000]`
 *
 * One student floods the server while other classes play. The server runs in its own process
 * (`ARENA_API_ONLY=1`, database in memory, production settings, the door's defaults), as it would in
 * class. Each of the rooms gets a teacher and N students who move a slider every 200–600 ms (each move
 * waits for the previous answer, as the phone's does). Two phases of S seconds each, back to back:
 * without the flood, then with a bound student of an extra room sending `attention:allocate` at RATE
 * events per second from a worker thread (reconnecting and rejoining whenever it is disconnected, as a
 * persistent abuser would). Printed: the other rooms' ack latency (p50, p99, max) in each phase and
 * their ratio, what the flooder was answered, how often it was disconnected, and the load average.
 *
 * A benchmark, not a test: it asserts nothing about time.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { io as connectSocket, type Socket } from 'socket.io-client';
import { seededRandom } from '../lib/game';
import { handshakeAuth, type Ack, type ClientToServerEvents, type ServerToClientEvents, type StudentView } from '../lib/protocol';

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

interface FloodConfig {
  url: string;
  code: string;
  playerSecret: string;
  rate: number;
  seconds: number;
  token: number;
}

interface FloodResult {
  sent: number;
  ok: number;
  limited: number;
  other: number;
  disconnects: number;
  refusedConnects: number;
}

function connect(url: string): Promise<ClientSocket> {
  const socket: ClientSocket = connectSocket(url, { transports: ['websocket'], reconnection: false, forceNew: true, auth: handshakeAuth() });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (error) => {
      socket.close();
      reject(error);
    });
  });
}

function weightsFor(token: number, random: () => number): number[] {
  const raw = Array.from({ length: 6 }, () => random());
  raw[token] += 1;
  const total = raw.reduce((a, b) => a + b, 0);
  return raw.map((w) => w / total);
}

// ——— the flooder (worker thread) ———

async function flood(config: FloodConfig): Promise<FloodResult> {
  const result: FloodResult = { sent: 0, ok: 0, limited: 0, other: 0, disconnects: 0, refusedConnects: 0 };
  const weights = weightsFor(config.token, Math.random);
  const until = performance.now() + config.seconds * 1000;
  let socket: ClientSocket | null = null;
  const tickMs = 10;
  const perTick = Math.max(1, Math.round((config.rate * tickMs) / 1000));
  while (performance.now() < until) {
    if (!socket?.connected) {
      if (socket) result.disconnects++;
      try {
        socket = await connect(config.url);
        await socket.emitWithAck('seat:rejoin', { code: config.code, playerSecret: config.playerSecret });
      } catch {
        result.refusedConnects++;
        await new Promise((resolve) => setTimeout(resolve, 50));
        continue;
      }
    }
    const started = performance.now();
    for (let i = 0; i < perTick; i++) {
      result.sent++;
      socket.emit('attention:allocate', { round: 1, weights }, (answer: Ack<unknown>) => {
        if (answer.ok) result.ok++;
        else if (answer.error.code === 'rate/limited') result.limited++;
        else result.other++;
      });
    }
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, tickMs - (performance.now() - started))));
  }
  socket?.disconnect();
  return result;
}

if (!isMainThread) {
  void flood(workerData as FloodConfig).then((result) => parentPort?.postMessage(result));
}

// ——— the server process ———

async function startServer(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts'], {
    env: { ...process.env, ARENA_API_ONLY: '1', PORT: '0', HOST: '127.0.0.1', DATABASE_URL: 'memory://', NODE_ENV: 'production', ATTENTION_BACKEND: 'wasm' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stderr?.on('data', () => {});
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /Attention Arena on http:\/\/localhost:(\d+)/.exec(out);
      if (match) resolve(`http://127.0.0.1:${match[1]}`);
    });
    child.once('exit', (code) => reject(new Error(`the server exited (${code}) before listening:\n${out}`)));
  });
  return { url, child };
}

// ——— the classes ———

interface Student {
  socket: ClientSocket;
  token: number;
}

async function openRoom(url: string, students: number, tag: string): Promise<{ teacher: ClientSocket; code: string; students: Student[]; secrets: string[] }> {
  const teacher = await connect(url);
  const created = await teacher.emitWithAck('session:create', { lessonId: 'the-cat-sat', settings: { timerSeconds: null } });
  if (!created.ok) throw new Error(`session:create refused: ${created.error.code}`);
  const code = created.data.code;
  const joined: { socket: ClientSocket; secret: string; views: StudentView[] }[] = [];
  for (let i = 0; i < students; i++) {
    const socket = await connect(url);
    const views: StudentView[] = [];
    socket.on('state:update', (view) => views.push(view as StudentView));
    const answer = await socket.emitWithAck('seat:join', { code, nickname: `${tag}${i}` });
    if (!answer.ok) throw new Error(`seat:join refused: ${answer.error.code}`);
    joined.push({ socket, secret: answer.data.playerSecret, views });
  }
  await teacher.emitWithAck('teacher:start-round', {});
  await teacher.emitWithAck('teacher:open-negotiation', {});
  const seated: Student[] = [];
  for (const { socket, views } of joined) {
    const view = (await socket.emitWithAck('state:sync', {})) as Ack<{ view: StudentView }>;
    const seat = view.ok ? view.data.view.seat : (views.at(-1)?.seat ?? null);
    seated.push({ socket, token: seat?.token ?? 0 });
  }
  return { teacher, code, students: seated, secrets: joined.map((j) => j.secret) };
}

/** Every student moves every 200–600 ms for `seconds`, each move after the previous answer; returns ack latencies (ms). */
async function play(students: Student[], seconds: number, seed: number): Promise<{ latencies: number[]; refused: Record<string, number> }> {
  const random = seededRandom(seed);
  const latencies: number[] = [];
  const refused: Record<string, number> = {};
  const until = performance.now() + seconds * 1000;
  await Promise.all(
    students.map(async (student) => {
      while (performance.now() < until) {
        await new Promise((resolve) => setTimeout(resolve, 200 + random() * 400));
        const sent = performance.now();
        const answer = await student.socket.emitWithAck('attention:allocate', { round: 1, weights: weightsFor(student.token, random) });
        latencies.push(performance.now() - sent);
        if (!answer.ok) refused[answer.error.code] = (refused[answer.error.code] ?? 0) + 1;
      }
    }),
  );
  return { latencies, refused };
}

function percentile(xs: readonly number[], p: number): number {
  if (xs.length === 0) return NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rooms: { type: 'string', default: '3' },
      students: { type: 'string', default: '30' },
      seconds: { type: 'string', default: '10' },
      rate: { type: 'string', default: '5000' },
    },
  });
  const rooms = Number(values.rooms);
  const students = Number(values.students);
  const seconds = Number(values.seconds);
  const rate = Number(values.rate);

  const { url, child } = await startServer();
  try {
    const classes = [];
    for (let r = 0; r < rooms; r++) classes.push(await openRoom(url, students, `r${r}s`));
    const noisy = await openRoom(url, 1, 'noisy');
    const everyone = classes.flatMap((c) => c.students);
    const loadBefore = os.loadavg()[0];

    const calm = await play(everyone, seconds, 1);

    const loader = import.meta.resolve('tsx/esm/api');
    const code = `import(${JSON.stringify(loader)}).then(({ register }) => { register(); return import(${JSON.stringify(import.meta.url)}); });`;
    const config: FloodConfig = { url, code: noisy.code, playerSecret: noisy.secrets[0], rate, seconds, token: noisy.students[0].token };
    const worker = new Worker(code, { eval: true, workerData: config });
    const flooded = new Promise<FloodResult>((resolve, reject) => {
      worker.once('message', (message: FloodResult) => resolve(message));
      worker.once('error', reject);
    });
    const underFlood = await play(everyone, seconds, 2);
    const floodResult = await flooded;
    await worker.terminate();
    const loadAfter = os.loadavg()[0];

    const row = (name: string, xs: number[]) =>
      `| ${name} | ${xs.length} | ${percentile(xs, 50).toFixed(1)} | ${percentile(xs, 99).toFixed(1)} | ${Math.max(...xs).toFixed(1)} |`;
    console.log(`\n${rooms} rooms × ${students} students, ${seconds} s per phase; flooder at ${rate} events/s (load average ${loadBefore.toFixed(1)} → ${loadAfter.toFixed(1)}, ${os.cpus().length} cores)\n`);
    console.log('| phase | acks | p50 ms | p99 ms | max ms |');
    console.log('|---|---|---|---|---|');
    console.log(row('without flood', calm.latencies));
    console.log(row('with flood', underFlood.latencies));
    console.log(`\np99 with / without: ${(percentile(underFlood.latencies, 99) / percentile(calm.latencies, 99)).toFixed(2)}×`);
    console.log(`other rooms refused: without ${JSON.stringify(calm.refused)}, with ${JSON.stringify(underFlood.refused)}`);
    console.log(
      `flooder: sent ${floodResult.sent}, accepted ${floodResult.ok}, rate/limited ${floodResult.limited}, other refusals ${floodResult.other}, ` +
        `disconnected ${floodResult.disconnects} times, connections refused ${floodResult.refusedConnects}`,
    );
    for (const c of [...classes, noisy]) for (const s of [c.teacher, ...c.students.map((x) => x.socket)]) s.disconnect();
  } finally {
    child.kill('SIGTERM');
  }
}

if (isMainThread) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
