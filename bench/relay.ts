/**
 * The yardstick `bench:classroom` measures the game server against: a bare socket.io relay that does
 * the least a live class needs. It validates every message with the same schemas, checks an
 * allocation as the game does, stores it, answers with a version, and feeds each room's projector at
 * most once per 100 ms with every seat's mean allocation. No game rules, no views per student beyond
 * the phase changes, no saves. It speaks just enough of the protocol for the benchmark's clients.
 */
import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server, type Socket } from 'socket.io';
import { allocationProblem, allowedTokens, generateJoinCode, seededRandom } from '../lib/game';
import type { Lesson } from '../lib/lessons/schema';
import { parseInbound, type Ack } from '../lib/protocol';

const PROJECTOR_INTERVAL_MS = 100;

interface RelayStudent {
  socket: Socket;
  token: number;
  weights: number[];
  lockedIn: boolean;
}

interface RelayRoom {
  code: string;
  phase: 'lobby' | 'cards' | 'negotiate' | 'locked' | 'reveal';
  version: number;
  students: Map<string, RelayStudent>;
  teacher: Socket;
  stages: Set<Socket>;
  projectorDue: boolean;
  projectorTimer: ReturnType<typeof setTimeout> | null;
  projectorSentAt: number;
}

type Reply = (answer: Ack<unknown>) => void;

export interface Relay {
  port: number;
  close(): Promise<void>;
}

/** Starts the relay on 127.0.0.1, port 0. */
export async function startRelay(lesson: Lesson): Promise<Relay> {
  const http = createHttpServer();
  const io = new Server(http, { transports: ['websocket'], serveClient: false });
  const rooms = new Map<string, RelayRoom>();
  const tokenCount = lesson.tokens.length;
  const random = seededRandom(7);
  let nextPlayer = 0;

  const lessonInfo = { id: lesson.id, tokens: [...lesson.tokens] };
  const seatOf = (student: RelayStudent) => ({ seat: student.token, token: student.token, head: 0, allowedTokens: allowedTokens(student.token, tokenCount, false) });
  const studentView = (room: RelayRoom, playerId: string, student: RelayStudent) => ({
    kind: 'student',
    version: room.version,
    phase: room.phase,
    lesson: lessonInfo,
    round: room.phase === 'lobby' ? null : { number: 1 },
    me: { playerId },
    seat: room.phase === 'lobby' ? null : seatOf(student),
    result: room.phase === 'reveal' ? { allocation: student.weights } : null,
  });
  const seatMeans = (room: RelayRoom) => {
    const sums = Array.from({ length: tokenCount }, () => ({ count: 0, weights: new Array<number>(tokenCount).fill(0) }));
    for (const student of room.students.values()) {
      const seat = sums[student.token];
      seat.count++;
      student.weights.forEach((w, j) => (seat.weights[j] += w));
    }
    return sums.map((seat, token) => ({ seat: token, token, members: new Array<number>(seat.count).fill(0), allocation: seat.count ? seat.weights.map((w) => w / seat.count) : null }));
  };
  const stageView = (room: RelayRoom) => ({
    kind: 'stage',
    version: room.version,
    phase: room.phase,
    seats: seatMeans(room),
    reveal: room.phase === 'reveal' ? { round: 1 } : null,
  });
  const teacherView = (room: RelayRoom) => ({ kind: 'teacher', version: room.version, phase: room.phase, code: room.code, seats: seatMeans(room) });

  const sendProjector = (room: RelayRoom) => {
    if (room.projectorTimer) clearTimeout(room.projectorTimer);
    room.projectorTimer = null;
    room.projectorDue = false;
    room.projectorSentAt = performance.now();
    const frame = stageView(room);
    for (const stage of room.stages) stage.emit('state:update', frame);
  };
  const feedProjector = (room: RelayRoom) => {
    room.projectorDue = true;
    const wait = room.projectorSentAt + PROJECTOR_INTERVAL_MS - performance.now();
    if (wait <= 0) sendProjector(room);
    else room.projectorTimer ??= setTimeout(() => sendProjector(room), wait);
  };
  const setPhase = (room: RelayRoom, phase: RelayRoom['phase']) => {
    room.phase = phase;
    room.version++;
    for (const [playerId, student] of room.students) student.socket.emit('state:update', studentView(room, playerId, student));
    room.teacher.emit('state:update', teacherView(room));
    sendProjector(room);
  };

  io.on('connection', (socket) => {
    let room: RelayRoom | null = null;
    let me: { playerId: string; student: RelayStudent } | null = null;
    const on = (event: string, handle: (payload: unknown, reply: Reply) => void) => {
      socket.on(event, (payload: unknown, reply: unknown) => {
        if (typeof reply !== 'function') return;
        const parsed = parseInbound(event, payload);
        if (!parsed.ok) return (reply as Reply)({ ok: false, error: parsed.error });
        handle(parsed.data, reply as Reply);
      });
    };
    const refuse = (reply: Reply, code: string) => reply({ ok: false, error: { code, message: code } } as Ack<unknown>);

    on('session:create', (_payload, reply) => {
      let code = generateJoinCode(random);
      while (rooms.has(code)) code = generateJoinCode(random);
      room = { code, phase: 'lobby', version: 1, students: new Map(), teacher: socket, stages: new Set(), projectorDue: false, projectorTimer: null, projectorSentAt: 0 };
      rooms.set(code, room);
      reply({ ok: true, data: { sessionId: code, code, hostSecret: '', view: teacherView(room) } });
    });
    on('stage:watch', (payload, reply) => {
      const watched = rooms.get((payload as { code: string }).code);
      if (!watched) return refuse(reply, 'session/not-found');
      watched.stages.add(socket);
      socket.on('disconnect', () => watched.stages.delete(socket));
      reply({ ok: true, data: stageView(watched) });
    });
    on('seat:join', (payload, reply) => {
      const joined = rooms.get((payload as { code: string }).code);
      if (!joined) return refuse(reply, 'session/not-found');
      const playerId = `p${nextPlayer++}`;
      const token = joined.students.size % tokenCount;
      const student: RelayStudent = { socket, token, weights: new Array<number>(tokenCount).fill(1 / tokenCount), lockedIn: false };
      joined.students.set(playerId, student);
      joined.version++;
      room = joined;
      me = { playerId, student };
      feedProjector(joined);
      reply({ ok: true, data: { playerId, playerSecret: '', view: studentView(joined, playerId, student) } });
    });
    on('teacher:start-round', (_payload, reply) => {
      if (!room || room.teacher !== socket) return refuse(reply, 'auth/not-host');
      setPhase(room, 'cards');
      reply({ ok: true, data: { version: room.version } });
    });
    on('teacher:open-negotiation', (_payload, reply) => {
      if (!room || room.teacher !== socket) return refuse(reply, 'auth/not-host');
      setPhase(room, 'negotiate');
      reply({ ok: true, data: { version: room.version } });
    });
    on('attention:allocate', (payload, reply) => {
      if (!room || !me) return refuse(reply, 'auth/forbidden');
      if (room.phase !== 'negotiate' || me.student.lockedIn) return refuse(reply, 'round/locked');
      const { weights } = payload as { weights: number[] };
      const problem = allocationProblem(weights, me.student.token, tokenCount, false);
      if (problem) return reply({ ok: false, error: problem });
      me.student.weights = [...weights];
      room.version++;
      feedProjector(room);
      reply({ ok: true, data: { version: room.version } });
    });
    on('attention:lock', (_payload, reply) => {
      if (!room || !me) return refuse(reply, 'auth/forbidden');
      me.student.lockedIn = true;
      room.version++;
      feedProjector(room);
      if ([...room.students.values()].every((s) => s.lockedIn)) setPhase(room, 'locked');
      reply({ ok: true, data: { version: room.version } });
    });
    on('teacher:lock', (_payload, reply) => {
      if (!room || room.teacher !== socket) return refuse(reply, 'auth/not-host');
      if (room.phase !== 'negotiate') return refuse(reply, 'round/wrong-phase');
      setPhase(room, 'locked');
      reply({ ok: true, data: { version: room.version } });
    });
    on('teacher:reveal', (_payload, reply) => {
      if (!room || room.teacher !== socket) return refuse(reply, 'auth/not-host');
      setPhase(room, 'reveal');
      reply({ ok: true, data: { version: room.version } });
    });
  });

  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  return {
    port: (http.address() as AddressInfo).port,
    async close() {
      for (const room of rooms.values()) if (room.projectorTimer) clearTimeout(room.projectorTimer);
      await io.close();
    },
  };
}
