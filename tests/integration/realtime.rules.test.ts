/**
 * The server's door and clock over real sockets: refused handshakes and payloads, the causal mask,
 * the round timer, and how often the projector is updated.
 */
import { describe, expect, it } from 'vitest';
import type { AttentionEngine } from '../../lib/attention/engine';
import { PROTOCOL_VERSION, type StageView, type StudentView, type TeacherView } from '../../lib/protocol';
import { STAGE_UPDATE_INTERVAL_MS, TEAMMATE_UPDATE_INTERVAL_MS } from '../../server/realtime';
import { setUpArenas } from '../helpers/arenas';
import { allocation, connectRefused, openClassroom } from '../helpers/sockets';

const arenas = setUpArenas();

describe('the handshake', () => {
  it('refuses an outdated client with protocol/outdated, and one that names no version', async () => {
    const arena = await arenas.boot();
    const outdated = await connectRefused(arena.url, { protocolVersion: PROTOCOL_VERSION - 1 });
    expect(outdated.data?.code).toBe('protocol/outdated');
    expect(outdated.message).toMatch(/reload/i);
    const newer = await connectRefused(arena.url, { protocolVersion: PROTOCOL_VERSION + 1 });
    expect(newer.data?.code).toBe('protocol/unsupported');
    const silent = await connectRefused(arena.url, {});
    expect(silent.data?.code).toBe('request/invalid');
  });
});

describe('the server’s clock', () => {
  it('is stamped on every answer, accepted or refused, so phones can correct their own', async () => {
    const arena = await arenas.boot();
    const room = await openClassroom(arena, 'the-cat-sat', 1);
    arena.clock.advance(12_345);
    const [student] = room.students;
    const accepted = await student.emitRaw('state:sync', {});
    expect(accepted).toMatchObject({ ok: true, serverTime: arena.clock.now() });
    const refused = await student.emitRaw('attention:allocate', { round: 1 });
    expect(refused).toMatchObject({ ok: false, serverTime: arena.clock.now() });
    const unknown = await student.emitRaw('no:such-event', {});
    expect(unknown).toMatchObject({ ok: false, serverTime: arena.clock.now() });
  });
});

describe('invalid payloads', () => {
  it('are refused with request/invalid and change nothing', async () => {
    const arena = await arenas.boot();
    const room = await openClassroom(arena, 'the-cat-sat', 1);
    const { teacher } = room;
    const [student] = room.students;
    await teacher.must('teacher:start-round', {});
    await teacher.must('teacher:open-negotiation', {});
    const before = await teacher.barrier();
    const weights = allocation(6, 0, 0.5, [0, 1, 2, 3, 4, 5]);

    const attempts: [string, unknown][] = [
      ['attention:allocate', { round: 1, weights, extra: true }],
      ['attention:allocate', { round: '1', weights }],
      ['attention:allocate', { round: 1, weights: weights.map(String) }],
      ['attention:allocate', { round: 1 }],
      ['attention:allocate', 'weights'],
      ['attention:allocate', null],
      ['key:request', { round: 1, token: 99 }],
      ['seat:join', { code: room.code, nickname: 5 }],
      ['seat:join', { code: 'not a code', nickname: 'x' }],
      ['seat:rejoin', { code: room.code, playerSecret: 'short' }],
    ];
    for (const [event, payload] of attempts) {
      const answer = await student.emitRaw(event, payload);
      expect(answer.ok, `${event} ${JSON.stringify(payload)}`).toBe(false);
      if (!answer.ok) expect(answer.error.code, `${event} ${JSON.stringify(payload)}`).toBe('request/invalid');
    }
    for (const [event, payload] of [
      ['teacher:add-time', { seconds: 'ten' }],
      ['teacher:settings', { settings: { timerSeconds: 30, colour: 'red' } }],
      ['teacher:kick', {}],
      ['teacher:lock', { now: true }],
    ] as const) {
      const answer = await teacher.emitRaw(event, payload);
      expect(answer.ok ? null : answer.error.code, event).toBe('request/invalid');
    }
    // Two payloads, or an event this protocol does not have.
    expect(await teacher.emitRaw('teacher:lock', {}, {})).toMatchObject({ ok: false, error: { code: 'request/invalid' } });
    expect(await teacher.emitRaw('teacher:explode', {})).toMatchObject({ ok: false, error: { code: 'request/unknown-event' } });

    const after = await teacher.barrier();
    expect(after.version).toBe(before.version);
    expect(after).toEqual(before);
    expect(student.updates.filter((v) => v.version > before.version)).toHaveLength(0);
  });
});

describe('a causal round', () => {
  it('refuses weight on a later token, and asking for a later key', async () => {
    const arena = await arenas.boot({ seed: 2 });
    const room = await openClassroom(arena, 'the-cat-sat', 3, { causal: true });
    const { teacher, students } = room;
    await teacher.must('teacher:start-round', {});
    await teacher.must('teacher:open-negotiation', {});
    await Promise.all(students.map((s) => s.waitForView<StudentView>((v) => v.phase === 'negotiate' && v.seat !== null)));
    const early = students.find((s) => (s.student.seat?.token ?? 5) < 5)!;
    const token = early.student.seat!.token;
    expect(early.student.round?.causal).toBe(true);
    expect(early.student.seat?.allowedTokens).toEqual(Array.from({ length: token + 1 }, (_, j) => j));
    const before = await teacher.barrier();

    const peeking = allocation(6, token + 1, 0.5, early.student.seat!.allowedTokens);
    expect((await early.refused('attention:allocate', { round: 1, weights: peeking })).code).toBe('attention/causal-violation');
    expect((await early.refused('key:request', { round: 1, token: token + 1 })).code).toBe('attention/causal-violation');
    expect((await teacher.barrier()).version).toBe(before.version);

    const allowed = allocation(6, token, 0.5, early.student.seat!.allowedTokens);
    await early.must('attention:allocate', { round: 1, weights: allowed });
    await teacher.must('teacher:lock', {});
    await teacher.must('teacher:reveal', {});
    const result = await early.waitForView<StudentView>((v) => v.result !== null);
    // The model's row is causal too.
    expect(result.result?.trueRow.slice(token + 1).every((w) => w === 0)).toBe(true);
  });
});

describe('the round timer', () => {
  it('locks the round when the time is up, pauses with the game, and counts added time', async () => {
    const arena = await arenas.boot();
    const room = await openClassroom(arena, 'the-cat-sat', 1, { timerSeconds: 30 });
    const { teacher } = room;
    const { clock } = arena;
    await teacher.must('teacher:start-round', {});
    await teacher.must('teacher:open-negotiation', {});
    const opened = await teacher.barrier();
    expect(opened.round?.timer.deadline).toBe(clock.now() + 30_000);

    clock.advance(10_000);
    await teacher.must('teacher:pause', {});
    clock.advance(60_000);
    expect((await teacher.barrier()).phase).toBe('negotiate');
    await teacher.must('teacher:resume', {});
    await teacher.must('teacher:add-time', { seconds: 5 });
    // 20 s were left at the pause, plus 5 added.
    clock.advance(24_999);
    expect((await teacher.barrier()).phase).toBe('negotiate');
    clock.advance(1);
    const locked = await teacher.waitForView<TeacherView>((v) => v.phase === 'locked', 'the timer to lock the round');
    expect(locked.round?.timer.deadline).toBeNull();
    await room.students[0].waitForView((v) => v.phase === 'locked');
    expect((await room.students[0].refused('attention:lock', { round: 1 })).code).toBe('round/locked');
  });
});

describe('the engine', () => {
  it('is asked once per round start; a reveal before its answer waits for it, then shows', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const calls: { causal: boolean }[] = [];
    const { engine } = arenas;
    const slow: AttentionEngine = {
      backend: engine.backend,
      numTensors: () => engine.numTensors(),
      dispose: () => {},
      async attendLayer(heads, wO, options) {
        calls.push({ causal: options.causal });
        await gate;
        return engine.attendLayer(heads, wO, options);
      },
    };
    const arena = await arenas.boot({ engine: slow });
    const room = await openClassroom(arena, 'the-cat-sat', 1);
    const { teacher } = room;
    await teacher.must('teacher:start-round', {});
    expect(calls).toHaveLength(1);
    await teacher.must('teacher:open-negotiation', {});
    await teacher.must('teacher:lock', {});
    await teacher.must('teacher:reveal', {});
    const pending = (await teacher.barrier()) as TeacherView;
    expect(pending.phase).toBe('locked');
    expect(pending.round?.revealPending).toBe(true);
    // The reveal asked again, in case the first answer was lost.
    expect(calls).toHaveLength(2);

    release();
    const [student] = room.students;
    const revealed = await student.waitForView<StudentView>((v) => v.phase === 'reveal' && v.result !== null, 'the reveal once the engine answers');
    expect(revealed.result?.trueRow.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
  });
});

describe('the stage', () => {
  it('gets slider bursts coalesced to at most one update per interval, phase changes at once', async () => {
    // 140 moves as fast as the loopback answers: this test is about coalescing, not the door's budget.
    const arena = await arenas.boot({
      seed: 6,
      stageIntervalMs: STAGE_UPDATE_INTERVAL_MS,
      limits: { perSocket: { move: { points: 1000, seconds: 1 } }, perPlayer: { move: { points: 1000, seconds: 1 } } },
    });
    const room = await openClassroom(arena, 'the-cat-sat', 2, { timerSeconds: null });
    const { teacher, students } = room;
    const { clock } = arena;
    const stage = await arena.connect();
    await stage.must('stage:watch', { code: room.code });
    await teacher.must('teacher:start-round', {});
    await teacher.must('teacher:open-negotiation', {});
    // A phase change reaches the stage without the clock moving.
    await stage.waitForView((v) => v.phase === 'negotiate', 'negotiation on the stage');
    const [student] = students;
    const token = student.student.seat?.token ?? (await student.waitForView<StudentView>((v) => v.seat !== null)).seat!.token;
    const seatIndex = student.student.seat!.seat;

    // A burst: 40 slider moves with the clock standing still.
    await student.barrier();
    const stageBefore = stage.updates.length;
    const teacherBefore = teacher.updates.length;
    const moverBefore = student.updates.length;
    const burst = Array.from({ length: 40 }, (_, i) => allocation(6, token, 0.2 + i * 0.02, [0, 1, 2, 3, 4, 5]));
    for (const weights of burst) await student.must('attention:allocate', { round: 1, weights });
    await teacher.barrier();
    await student.barrier();
    // The phone that moved hears back every time; the teacher and the stage are coalesced alike.
    expect(student.updates.length - moverBefore).toBe(40);
    expect(teacher.updates.length - teacherBefore).toBeLessThanOrEqual(1);
    expect(stage.updates.length - stageBefore).toBeLessThanOrEqual(1);

    // The trailing edge carries the last move.
    clock.advance(STAGE_UPDATE_INTERVAL_MS);
    const last = burst.at(-1)!;
    const shown = await stage.waitForView<StageView>((v) => v.seats[seatIndex]?.allocation?.[token] === last[token], 'the last move on the stage');
    expect(shown.seats[seatIndex].allocation).toEqual(last);
    expect(stage.updates.length - stageBefore).toBeLessThanOrEqual(2);
    const onDashboard = await teacher.waitForView<TeacherView>((v) => v.seats[seatIndex]?.allocation?.[token] === last[token], 'the last move on the dashboard');
    expect(onDashboard.seats[seatIndex].allocation).toEqual(last);
    expect(teacher.updates.length - teacherBefore).toBeLessThanOrEqual(2);

    // Moves spread over 2 s of game time, 20 ms apart: at most ~10 per second reach the stage.
    const paced = stage.updates.length;
    const moves = 100;
    for (let i = 0; i < moves; i++) {
      await student.must('attention:allocate', { round: 1, weights: allocation(6, token, 0.1 + (i % 40) * 0.02, [0, 1, 2, 3, 4, 5]) });
      clock.advance(20);
    }
    clock.advance(STAGE_UPDATE_INTERVAL_MS);
    await stage.barrier();
    const elapsed = moves * 20 + STAGE_UPDATE_INTERVAL_MS;
    const received = stage.updates.length - paced;
    expect(received).toBeLessThanOrEqual(Math.ceil(elapsed / STAGE_UPDATE_INTERVAL_MS) + 1);
    expect(received).toBeGreaterThanOrEqual(Math.floor(elapsed / STAGE_UPDATE_INTERVAL_MS) - 2);
  });
});

describe('patches', () => {
  it('the teacher and the stage get patches; a teacher who misses one asks for the whole view and converges', async () => {
    const arena = await arenas.boot({ seed: 8 });
    const room = await openClassroom(arena, 'the-cat-sat', 2, { timerSeconds: null });
    const { teacher, students } = room;
    const stage = await arena.connect();
    await stage.must('stage:watch', { code: room.code });
    await teacher.must('teacher:start-round', {});
    await teacher.must('teacher:open-negotiation', {});
    const [student] = students;
    const seat = (await student.waitForView<StudentView>((v) => v.phase === 'negotiate' && v.seat !== null, 'a seat')).seat!;
    const everyToken = [0, 1, 2, 3, 4, 5];

    await student.must('attention:allocate', { round: 1, weights: allocation(6, seat.token, 0.5, everyToken) });
    await teacher.waitForView<TeacherView>((v) => v.seats[seat.seat]?.allocation?.[seat.token] === 0.5, 'the first move on the dashboard');
    expect(teacher.pushed.some((p) => p.event === 'state:patch')).toBe(true);
    const patchFrames = teacher.frames.filter((f) => f.includes('"state:patch"'));
    const wholeFrames = teacher.frames.filter((f) => f.includes('"state:update"'));
    expect(Math.max(...patchFrames.map((f) => f.length))).toBeLessThan(Math.min(...wholeFrames.map((f) => f.length)));

    teacher.dropPatches = 1;
    await student.must('attention:allocate', { round: 1, weights: allocation(6, seat.token, 0.3, everyToken) });
    await student.must('attention:allocate', { round: 1, weights: allocation(6, seat.token, 0.7, everyToken) });
    const converged = await teacher.waitForView<TeacherView>((v) => v.seats[seat.seat]?.allocation?.[seat.token] === 0.7, 'the last move after a lost patch');
    expect(teacher.patchesMissed).toBe(1);
    const whole = (await teacher.barrier()) as TeacherView;
    expect({ ...converged, version: 0 }).toEqual({ ...whole, version: 0 });
    // The stage's patched view is the server's view too.
    const stageWhole = await stage.barrier();
    const stageShown = await stage.waitForView<StageView>((v) => v.version >= stageWhole.version, 'the stage up to date');
    expect({ ...stageShown, version: 0 }).toEqual({ ...stageWhole, version: 0 });
  });
});

describe('teammates', () => {
  it('hear of a teammate’s sliders at most once per interval, the last move winning; the mover’s acks come at once, its echo with the team', async () => {
    const arena = await arenas.boot({ seed: 9, teammateIntervalMs: TEAMMATE_UPDATE_INTERVAL_MS });
    // Seven students for six seats: one seat is played by a team of two.
    const room = await openClassroom(arena, 'the-cat-sat', 7, { timerSeconds: null });
    const { teacher, students } = room;
    const { clock } = arena;
    await teacher.must('teacher:start-round', {});
    await teacher.must('teacher:open-negotiation', {});
    const views = await Promise.all(students.map((s) => s.waitForView<StudentView>((v) => v.phase === 'negotiate' && v.seat !== null, 'a seat')));
    const teamSeat = views.find((v) => v.seat!.teammates.length === 1)!.seat!.seat;
    const [mover, mate] = students.filter((_, i) => views[i].seat!.seat === teamSeat);
    const token = views[students.indexOf(mover)].seat!.token;
    const everyToken = [0, 1, 2, 3, 4, 5];
    await mate.barrier();
    // Quiet for an interval first, so the burst starts a fresh one.
    clock.advance(TEAMMATE_UPDATE_INTERVAL_MS);

    const moverBefore = mover.updates.length;
    const mateBefore = mate.updates.length;
    const burst = Array.from({ length: 10 }, (_, i) => allocation(6, token, 0.2 + i * 0.05, everyToken));
    const acked: number[] = [];
    for (const weights of burst) acked.push((await mover.must('attention:allocate', { round: 1, weights })).version);
    await mate.barrier();
    await mover.barrier();
    // Every move is answered at once with its version; the phone shows the sliders it sent, so the
    // view that echoes them comes at the students' pace, like the team's.
    expect(acked.every((version, i) => i === 0 || version > acked[i - 1])).toBe(true);
    expect(mover.updates.length - moverBefore).toBeLessThanOrEqual(1);
    expect(mate.updates.length - mateBefore).toBeLessThanOrEqual(1);

    clock.advance(TEAMMATE_UPDATE_INTERVAL_MS);
    const shown = await mate.waitForView<StudentView>((v) => v.seat?.teamAllocation?.[token] !== undefined && v.version >= mover.student.version, 'the last move on the teammate’s phone');
    const mateAllocation = mate.student.seat!.allocation;
    const expected = burst.at(-1)!.map((w, j) => (w + mateAllocation[j]) / 2);
    shown.seat!.teamAllocation!.forEach((w, j) => expect(w).toBeCloseTo(expected[j], 9));
    expect(mate.updates.length - mateBefore).toBeLessThanOrEqual(2);
    const echoed = await mover.waitForView<StudentView>((v) => v.version >= acked.at(-1)!, 'the mover’s last move echoed');
    expect(echoed.seat!.allocation).toEqual(burst.at(-1));
    expect(mover.updates.length - moverBefore).toBeLessThanOrEqual(2);
  });
});
