/**
 * The server's structured log over a whole session on real sockets, read as an operator's log system
 * would receive it (the logger's own JSON lines, at debug so every line the server can write is there):
 * no line carries a host or player secret, no line at info or above carries a nickname, and each line
 * says which session and which event family it belongs to.
 */
import { describe, expect, it } from 'vitest';
import type { StudentView } from '../../lib/protocol';
import { createLogger } from '../../server/log';
import { captureLogs } from '../helpers/logs';
import { setUpArenas } from '../helpers/arenas';
import { allocation, joinStudent, openClassroom } from '../helpers/sockets';

const arenas = setUpArenas();

const LEVELS = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 } as const;

describe('the server log', () => {
  it('a full session logs its families and session code, and never a secret or (at info) a nickname', async () => {
    const arena = await arenas.boot({ seed: 3 });
    const nicknames = ['Quokka Zanzibar', 'Marmalade Yeti'];
    const room = await openClassroom(arena, 'the-cat-sat', 0);
    const students = [];
    for (const nickname of nicknames) students.push(await joinStudent(arena, room, nickname));
    const stage = await arena.connect();
    await stage.must('stage:watch', { code: room.code });

    // Someone with the code but the wrong secrets, and a student on a new socket with the right one.
    const stranger = await arena.connect();
    await stranger.refused('session:resume', { code: room.code, hostSecret: 'Z'.repeat(32) });
    await stranger.refused('seat:rejoin', { code: room.code, playerSecret: 'Y'.repeat(32) });
    const returning = await arena.connect();
    await returning.must('seat:rejoin', { code: room.code, playerSecret: room.secrets[0] });
    const resumed = await arena.connect();
    await resumed.must('session:resume', { code: room.code, hostSecret: room.hostSecret });

    const { teacher } = room;
    await teacher.must('teacher:start-round', {});
    await teacher.must('teacher:open-negotiation', {});
    await Promise.all(students.map((s) => s.waitForView<StudentView>((v) => v.phase === 'negotiate' && v.seat !== null)));
    const all = [0, 1, 2, 3, 4, 5];
    for (const s of students) {
      const token = s.student.seat?.token ?? 0;
      await s.must('attention:allocate', { round: 1, weights: allocation(6, (token + 1) % 6, 0.7, all) });
      await s.must('attention:lock', { round: 1 });
    }
    await teacher.must('teacher:lock', {}).catch(() => undefined);
    await teacher.must('teacher:reveal', {});
    await Promise.all(students.map((s) => s.waitForView<StudentView>((v) => v.result !== null)));
    await teacher.must('teacher:kick', { playerId: room.playerIds[1] });
    await teacher.must('teacher:end', {});

    const lines = arena.logs;
    expect(lines.length).toBeGreaterThan(10);
    const secrets = [room.hostSecret, ...room.secrets];
    for (const line of lines) for (const secret of secrets) expect(line).not.toContain(secret);

    const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    for (const entry of entries) {
      expect(typeof entry.time).toBe('string');
      expect(typeof entry.level).toBe('string');
      expect(typeof entry.family).toBe('string');
      if (LEVELS[entry.level as keyof typeof LEVELS] >= LEVELS.info) {
        for (const nickname of nicknames) expect(JSON.stringify(entry)).not.toContain(nickname);
      }
    }
    // Each request names its session (once bound), its family and how long it took.
    const allocate = entries.find((e) => e.event === 'attention:allocate');
    expect(allocate).toMatchObject({ family: 'attention', session: room.code, level: 'debug' });
    expect(typeof allocate?.ms).toBe('number');
    expect(entries.find((e) => e.msg === 'session opened')).toMatchObject({ level: 'info', family: 'session', session: room.code });
    // A wrong secret is what an operator looks for: info, with its code.
    const refusals = entries.filter((e) => e.msg === 'refused' && e.level === 'info');
    expect(refusals.map((e) => e.code)).toEqual(expect.arrayContaining(['auth/bad-secret']));
    expect(entries.some((e) => e.family === 'persistence')).toBe(true);
  });

  it('redacts secrets and nicknames wherever a caller puts them in a logged object', () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'debug', destination: { write: (line: string) => void lines.push(line) } });
    logger.info({ hostSecret: 'h-secret-value', player: { playerSecret: 'p-secret-value', nickname: 'Quokka' } }, 'careless');
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain('h-secret-value');
    expect(lines[0]).not.toContain('p-secret-value');
    expect(lines[0]).not.toContain('Quokka');
    expect(JSON.parse(lines[0])).toMatchObject({ msg: 'careless', hostSecret: '[redacted]', player: { playerSecret: '[redacted]', nickname: '[redacted]' } });
  });

  it('captureLogs keeps parsed entries', () => {
    const captured = captureLogs('info');
    captured.logger.debug('hidden');
    captured.logger.warn({ family: 'limits' }, 'shown');
    expect(captured.entries()).toEqual([expect.objectContaining({ level: 'warn', family: 'limits', msg: 'shown' })]);
  });
});
