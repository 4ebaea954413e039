/**
 * Idle expiry: a session whose teacher left and where nothing happened for the idle time is ended
 * and saved (its review stays); one whose teacher is still connected is not; a restart ends the
 * abandoned ones instead of bringing them back.
 */
import { describe, expect, it } from 'vitest';
import { createServer } from '../../server/app';
import { MemorySessionRepository } from '../../server/persistence/memory';
import { curatedLessons } from '../../lib/lessons/curated/index';
import { setUpArenas } from '../helpers/arenas';
import { FakeClock, openClassroom } from '../helpers/sockets';
import { createLogger } from '../../server/log';

const arenas = setUpArenas();

const HOUR = 60 * 60 * 1000;

describe('idle sessions', () => {
  it('end once the teacher has gone and nothing happened for the idle time; the record stays', async () => {
    const arena = await arenas.boot();
    const abandoned = await openClassroom(arena, 'the-cat-sat', 1);
    const running = await openClassroom(arena, 'the-cat-sat', 1);
    abandoned.teacher.disconnect();
    await abandoned.students[0].barrier();

    arena.clock.advance(2 * HOUR + 60_000);
    const ended = await abandoned.students[0].waitForView((v) => v.phase === 'ended', 'the idle session to end');
    expect(ended.phase).toBe('ended');
    expect((await arena.repository.loadSession(abandoned.sessionId))?.state.phase).toBe('ended');
    // The teacher who stayed keeps their session, however quiet.
    expect((await running.teacher.barrier()).phase).toBe('lobby');
    expect(arena.logs.some((line) => (JSON.parse(line) as { msg: string }).msg.startsWith('Ended 1 idle session'))).toBe(true);
  });

  it('are ended at start-up instead of being restored when they were abandoned before a restart', async () => {
    const arena = await arenas.boot();
    const room = await openClassroom(arena, 'the-cat-sat', 1);
    const repository = arena.repository;
    await arena.close();

    const later = new FakeClock(arena.clock.now() + 3 * HOUR);
    let sawEnd: () => void = () => {};
    const swept = new Promise<void>((resolve) => (sawEnd = resolve));
    const restarted = createServer({
      engine: arenas.engine,
      lessons: curatedLessons,
      repository,
      clock: later,
      logger: createLogger({
        level: 'info',
        destination: {
          write: (line: string) => {
            if ((JSON.parse(line) as { msg: string }).msg.startsWith('Ended 1 idle session')) sawEnd();
          },
        },
      }),
      closeGraceMs: 500,
    });
    await restarted.listen(0, '127.0.0.1');
    try {
      await swept;
      expect((await repository.loadSession(room.sessionId))?.state.phase).toBe('ended');
      expect(restarted.realtime.registry.size).toBe(0);
      expect(await (repository as MemorySessionRepository).listLiveSessions()).toEqual([]);
    } finally {
      await restarted.close();
    }
  });
});
