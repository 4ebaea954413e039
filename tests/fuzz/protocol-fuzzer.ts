/**
 * A seeded protocol fuzzer over real sockets: a teacher, students, a projector and strangers send
 * every event of the protocol and names that are not, with payloads that are right, almost right and
 * hostile (wrong types, NaN and Infinity, huge strings and arrays, prototype keys, extra arguments,
 * no acknowledgement, binary data). After every step it checks that the server answered each
 * request with a protocol refusal or a success (never `server/internal`), logged no failure, that
 * every room's state keeps the game's invariants, and that no prototype was polluted. Used by the
 * test suite (a few thousand events) and by `npm run fuzz` (100,000 and more).
 */
import { io as connectSocket } from 'socket.io-client';
import { invariantViolations, seededRandom } from '../../lib/game';
import { CLIENT_EVENT_NAMES, PROTOCOL_VERSION, type Ack } from '../../lib/protocol';
import type { Arena, ClientSocket } from '../helpers/sockets';

type Rng = () => number;

const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.min(items.length - 1, Math.floor(rng() * items.length))];
const chance = (rng: Rng, p: number) => rng() < p;

/** Values that have broken servers before: every one may stand in for any field. */
function hostileValue(rng: Rng): unknown {
  const values: (() => unknown)[] = [
    () => null,
    () => undefined,
    () => NaN,
    () => Infinity,
    () => -Infinity,
    () => -1,
    () => 1e308,
    () => 2 ** 53 + 1,
    () => 0.1 + 0.2,
    () => '',
    () => 'x'.repeat(Math.floor(rng() * 3000)),
    () => '\u202E\u0000<script>',
    () => [],
    () => Array.from({ length: Math.floor(rng() * 40) }, () => rng()),
    () => ({}),
    () => JSON.parse('{"__proto__":{"polluted":true}}') as unknown,
    () => ({ constructor: { prototype: { polluted: true } } }),
    () => '__proto__',
    () => true,
    () => ({ toString: 'not a function', valueOf: 42 }),
    () => [[[[[[[[[[]]]]]]]]]],
  ];
  return pick(rng, values)();
}

/** What the fuzzer knows of the game so far, to make plausible payloads. */
interface Knowledge {
  code: string;
  hostSecret: string;
  playerSecrets: string[];
  playerIds: string[];
  tokenCount: number;
}

function plausiblePayload(rng: Rng, event: string, k: Knowledge): Record<string, unknown> {
  const round = chance(rng, 0.8) ? 1 + Math.floor(rng() * 3) : Math.floor(rng() * 1000) - 5;
  const weights = Array.from({ length: k.tokenCount }, () => rng());
  const total = weights.reduce((a, b) => a + b, 0);
  switch (event) {
    case 'session:create':
      return { lessonId: pick(rng, ['the-cat-sat', 'multi-head', 'causal-mask', 'nope']), settings: chance(rng, 0.5) ? { timerSeconds: 60 } : {} };
    case 'session:resume':
      return { code: k.code, hostSecret: chance(rng, 0.5) ? k.hostSecret : 'A'.repeat(43) };
    case 'seat:join':
      return { code: chance(rng, 0.8) ? k.code : 'ACEFHJKM', nickname: `fz${Math.floor(rng() * 1e6)}` };
    case 'seat:rejoin':
      return { code: k.code, playerSecret: k.playerSecrets.length > 0 ? pick(rng, k.playerSecrets) : 'B'.repeat(43) };
    case 'stage:watch':
      return { code: k.code };
    case 'state:sync':
      return {};
    case 'key:request':
      return { round, token: Math.floor(rng() * (k.tokenCount + 2)) - 1 };
    case 'key:share':
      return { round, requestId: `k${Math.floor(rng() * 20)}` };
    case 'attention:allocate':
      return { round, weights: chance(rng, 0.7) ? weights.map((w) => w / total) : weights };
    case 'attention:lock':
      return { round };
    case 'teacher:add-time':
      return { seconds: Math.floor(rng() * 700) };
    case 'teacher:kick':
    case 'teacher:readmit':
      return { playerId: k.playerIds.length > 0 && chance(rng, 0.7) ? pick(rng, k.playerIds) : 'p_nobody' };
    case 'teacher:admit':
      return { nickname: `late${Math.floor(rng() * 100)}` };
    case 'teacher:rename':
      return { playerId: k.playerIds.length > 0 ? pick(rng, k.playerIds) : 'p_nobody', nickname: `renamed${Math.floor(rng() * 1e6)}` };
    case 'teacher:settings':
      return { settings: pick(rng, [{ botSkill: rng() }, { timerSeconds: 30 }, { lobbyLocked: chance(rng, 0.5) }, { roomSize: 1 + Math.floor(rng() * 50) }, { lateJoin: true }]) };
    default:
      return {};
  }
}

/** A payload for `event`: plausible, then maybe spoiled field by field or replaced outright. */
function payloadFor(rng: Rng, event: string, k: Knowledge): unknown {
  if (chance(rng, 0.1)) return hostileValue(rng);
  const payload = plausiblePayload(rng, event, k);
  if (chance(rng, 0.35)) {
    const keys = Object.keys(payload);
    const key = keys.length > 0 && chance(rng, 0.8) ? pick(rng, keys) : pick(rng, ['__proto__', 'constructor', 'extra', 'prototype']);
    payload[key] = hostileValue(rng);
  }
  return payload;
}

/** Names socket.io-client refuses to emit (they are its own events). */
const RESERVED_NAMES = new Set(['connect', 'connect_error', 'disconnect', 'disconnecting', 'newListener', 'removeListener']);

const UNKNOWN_NAMES = ['teacher:hack', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'connect', 'disconnect', 'disconnecting', 'error', 'x'.repeat(200), ''];

export interface FuzzResult {
  events: number;
  answered: number;
  refusals: Record<string, number>;
  internalErrors: number;
  failuresLogged: string[];
  invariantBreaks: string[];
  disconnects: number;
  reconnects: number;
  /** Sessions the fuzzer opened (a new one each time the teacher's random `teacher:end` ended one). */
  sessions: number;
}

interface Actor {
  role: 'teacher' | 'student' | 'stage' | 'stranger';
  socket: ClientSocket;
  /** Set while a new socket is being opened for this actor, so two events never open two. */
  reviving?: Promise<void>;
}

function connect(url: string): Promise<ClientSocket> {
  const socket: ClientSocket = connectSocket(url, {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    auth: { protocolVersion: PROTOCOL_VERSION },
  });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (error) => reject(error));
  });
}

/** Sends one raw event; resolves with its answer, or null when none is due (no ack, or the socket went). */
function send(socket: ClientSocket, event: string, args: unknown[], withAck: boolean): Promise<Ack<unknown> | null> {
  const raw = socket as unknown as { emit(event: string, ...args: unknown[]): void; packet(packet: { type: number; nsp: string; data: unknown[] }): void };
  if (RESERVED_NAMES.has(event)) {
    // socket.io-client will not emit these names; a hostile client writes the packet itself (type 2: EVENT).
    raw.packet({ type: 2, nsp: '/', data: [event, ...args] });
    return Promise.resolve(null);
  }
  // A socket the server closed would buffer the message and never hear an answer.
  if (!socket.connected) return Promise.resolve(null);
  if (!withAck) {
    raw.emit(event, ...args);
    return Promise.resolve(null);
  }
  return new Promise((resolve) => {
    const onGone = () => resolve(null);
    socket.once('disconnect', onGone);
    raw.emit(event, ...args, (answer: Ack<unknown>) => {
      socket.off('disconnect', onGone);
      resolve(answer);
    });
  });
}

/** Every room's state against the game's invariants. */
function checkRooms(arena: Arena): string[] {
  const broken: string[] = [];
  for (const room of arena.server.realtime.registry.all()) {
    for (const problem of invariantViolations(room.state)) broken.push(`${room.code}: ${problem}`);
  }
  if (({} as Record<string, unknown>).polluted !== undefined) broken.push('Object.prototype was polluted');
  return broken;
}

/**
 * Runs `events` fuzzed messages against `arena` in batches of `concurrency` (1: one at a time, the
 * invariants checked after each).
 */
export async function fuzzProtocol(arena: Arena, options: { seed: number; events: number; concurrency?: number; onProgress?: (done: number) => void }): Promise<FuzzResult> {
  const rng = seededRandom(options.seed);
  const concurrency = options.concurrency ?? 1;
  const result: FuzzResult = { events: 0, answered: 0, refusals: {}, internalErrors: 0, failuresLogged: [], invariantBreaks: [], disconnects: 0, reconnects: 0, sessions: 0 };
  const logsBefore = arena.logs.length;

  // A session with a few students for the plausible payloads to aim at; a new one once it has ended.
  const k: Knowledge = { code: '', hostSecret: '', playerSecrets: [], playerIds: [], tokenCount: 6 };
  const actors: Actor[] = [
    { role: 'teacher', socket: await connect(arena.url) },
    ...(await Promise.all(Array.from({ length: 4 }, async () => ({ role: 'student' as const, socket: await connect(arena.url) })))),
    { role: 'stage', socket: await connect(arena.url) },
    { role: 'stranger', socket: await connect(arena.url) },
  ];
  /** Opens the session the fuzzer plays; false when the door refused it for this address's rate (the run ends there). */
  const openSession = async (first: boolean): Promise<boolean> => {
    for (const actor of actors) {
      await actor.reviving;
      if (!actor.socket.connected) {
        actor.socket.close();
        actor.socket = await connect(arena.url);
      }
    }
    let created: Ack<{ code: string; hostSecret: string }> | null = null;
    // A socket the server closes in between (a hostile packet sent just before) is replaced and asked again.
    for (let attempt = 0; attempt < 5 && !created?.ok; attempt++) {
      if (!actors[0].socket.connected) {
        actors[0].socket.close();
        actors[0].socket = await connect(arena.url);
      }
      created = (await send(actors[0].socket, 'session:create', [{ lessonId: 'the-cat-sat', settings: { timerSeconds: null } }], true)) as Ack<{
        code: string;
        hostSecret: string;
      }> | null;
    }
    // One address that keeps opening sessions is held back by the door: that is the door working, not a failure.
    if (!first && created?.ok === false && created.error.code === 'rate/limited') return false;
    if (!created?.ok) throw new Error(`the fuzzer could not open its session: ${JSON.stringify(created)}; the server said: ${arena.logs.slice(-3).join(' | ')}`);
    Object.assign(k, { code: created.data.code, hostSecret: created.data.hostSecret, playerSecrets: [], playerIds: [] });
    for (const [i, actor] of actors.entries()) {
      if (actor.role === 'student') {
        const joined = (await send(actor.socket, 'seat:join', [{ code: k.code, nickname: `student${i}` }], true)) as Ack<{ playerId: string; playerSecret: string }> | null;
        if (joined?.ok) {
          k.playerSecrets.push(joined.data.playerSecret);
          k.playerIds.push(joined.data.playerId);
        }
      }
      if (actor.role === 'stage') await send(actor.socket, 'stage:watch', [{ code: k.code }], true);
    }
    result.sessions++;
    return true;
  };
  await openSession(true);

  /** A closed socket is replaced by a fresh one that proves the same role again, as a real client would. */
  const revive = (actor: Actor): Promise<void> => {
    actor.reviving ??= reviveNow(actor).finally(() => (actor.reviving = undefined));
    return actor.reviving;
  };
  const reviveNow = async (actor: Actor) => {
    if (actor.socket.connected) return;
    result.disconnects++;
    actor.socket.close();
    actor.socket = await connect(arena.url).catch((error: unknown) => {
      throw new Error(`could not reconnect: ${String(error)}; the server said: ${arena.logs.slice(-3).join(' | ')}`);
    });
    result.reconnects++;
    if (actor.role === 'teacher') await send(actor.socket, 'session:resume', [{ code: k.code, hostSecret: k.hostSecret }], true);
    if (actor.role === 'student' && k.playerSecrets.length > 0) await send(actor.socket, 'seat:rejoin', [{ code: k.code, playerSecret: pick(rng, k.playerSecrets) }], true);
    if (actor.role === 'stage') await send(actor.socket, 'stage:watch', [{ code: k.code }], true);
  };

  const oneEvent = async () => {
    const actor = pick(rng, actors);
    await revive(actor);
    const event = chance(rng, 0.05) ? pick(rng, UNKNOWN_NAMES) : pick(rng, CLIENT_EVENT_NAMES);
    const args: unknown[] = [payloadFor(rng, event, k)];
    if (chance(rng, 0.03)) args.push(hostileValue(rng));
    if (chance(rng, 0.02)) args.push(Buffer.from('binary'));
    const withAck = !chance(rng, 0.05);
    result.events++;
    if (process.env.FUZZ_TRACE) console.error(result.events, actor.role, event, JSON.stringify(args).slice(0, 120), withAck);
    const answer = await send(actor.socket, event, args, withAck);
    if (process.env.FUZZ_TRACE) console.error('  →', JSON.stringify(answer).slice(0, 160));
    if (answer) {
      result.answered++;
      if (!answer.ok) {
        result.refusals[answer.error.code] = (result.refusals[answer.error.code] ?? 0) + 1;
        if (answer.error.code === 'server/internal') result.internalErrors++;
      } else if (event === 'seat:join') {
        const data = answer.data as { playerId: string; playerSecret: string };
        k.playerIds.push(data.playerId);
        k.playerSecrets.push(data.playerSecret);
      } else if (event === 'session:create') {
        // A new session's teacher: the fuzzer keeps playing its first one.
        actor.socket.disconnect();
      }
    }
    await revive(actor);
  };

  while (result.events < options.events) {
    await Promise.all(Array.from({ length: Math.min(concurrency, options.events - result.events) }, () => oneEvent()));
    const live = arena.server.realtime.registry.all().find((room) => room.code === k.code);
    if ((!live || live.state.phase === 'ended') && !(await openSession(false))) break;
    result.invariantBreaks.push(...checkRooms(arena));
    if (result.invariantBreaks.length > 0) break;
    options.onProgress?.(result.events);
  }

  for (const actor of actors) actor.socket.disconnect();
  result.failuresLogged = arena.logs.slice(logsBefore).filter((line) => /failed|TypeError|RangeError|ReferenceError/.test(line));
  return result;
}
