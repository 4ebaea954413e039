/**
 * A room does not wait for its saves inside its queue: students joining together are all handed to
 * the repository while none is stored yet (so a batching repository can write them together), and
 * the room keeps answering meanwhile. Each join is still acknowledged only once it is stored.
 */
import { describe, expect, it } from 'vitest';
import type { PersistReason } from '../../lib/game';
import { MemorySessionRepository } from '../../server/persistence/memory';
import type { SessionRecord } from '../../server/persistence/repository';
import { setUpArenas } from '../helpers/arenas';
import { openClassroom } from '../helpers/sockets';

/** Holds every save back while closed; tells who waits for a number of saves when they have arrived. */
class GatedRepository extends MemorySessionRepository {
  readonly arrived: PersistReason[] = [];
  private gate: Promise<void> = Promise.resolve();
  private release: () => void = () => {};
  private readonly watchers = new Set<() => void>();

  close(): void {
    this.gate = new Promise((resolve) => (this.release = resolve));
  }

  open(): void {
    this.release();
  }

  /** Resolves once `count` saves have arrived in all. */
  arrivals(count: number): Promise<void> {
    return new Promise((resolve) => {
      const check = () => {
        if (this.arrived.length < count) return;
        this.watchers.delete(check);
        resolve();
      };
      this.watchers.add(check);
      check();
    });
  }

  override async saveSession(record: SessionRecord, reason: PersistReason): Promise<void> {
    this.arrived.push(reason);
    for (const watcher of [...this.watchers]) watcher();
    await this.gate;
    return super.saveSession(record, reason);
  }
}

describe('a room’s saves', () => {
  const arenas = setUpArenas();

  it('hands joins arriving together to the repository at once and acknowledges each once stored', async () => {
    const repository = new GatedRepository();
    const arena = await arenas.boot({ repository, seed: 3 });
    const room = await openClassroom(arena, 'the-cat-sat', 0);
    const before = repository.arrived.length;
    repository.close();

    const students = await Promise.all([1, 2, 3, 4, 5].map(() => arena.connect()));
    const settled: boolean[] = students.map(() => false);
    const joins = students.map((student, i) =>
      student.must('seat:join', { code: room.code, nickname: `s${i + 1}` }).finally(() => {
        settled[i] = true;
      }),
    );
    // Five saves waiting at once: the room did not wait for one before applying the next join…
    await repository.arrivals(before + 5);
    // …and still answers others (the teacher's resync goes through the same queue).
    await room.teacher.barrier();
    expect(settled).toEqual([false, false, false, false, false]);
    expect((await repository.loadSession(room.sessionId))?.state.players).toEqual([]);

    repository.open();
    const joined = await Promise.all(joins);
    const stored = await repository.loadSession(room.sessionId);
    expect(stored?.state.players.map((p) => p.id).sort()).toEqual(joined.map((j) => j.playerId).sort());
    expect(repository.arrived.slice(before)).toEqual(['roster', 'roster', 'roster', 'roster', 'roster']);
  });
});
