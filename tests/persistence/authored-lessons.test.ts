/**
 * The authored-lesson repository's contract, the same in memory and over Prisma on PGlite and on
 * PostgreSQL: created, read back whole (JSON included), listed in the order asked, updated, unknown ids.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryAuthoredLessonRepository, PrismaAuthoredLessonRepository, type AuthoredLessonRecord, type AuthoredLessonRepository } from '../../server/persistence/authored-lessons';
import { migrate } from '../../server/persistence/migrate';
import { databaseTargets, type TestDatabase } from '../helpers/databases';

const targets = await databaseTargets();

const record = (id: string, at: number): AuthoredLessonRecord => ({
  id,
  editSecretHash: 'ab'.repeat(32),
  title: `“We sat on the bank of the river” ${id}`,
  sentence: 'We sat on the bank of the river',
  draft: { sentence: 'We sat on the bank of the river', arcs: [{ query: 4, key: 7 }], seed: 1, edits: {} },
  lesson: { id, tokens: ['We', 'sat'], embeddings: [[1, 0.5], [-1, 2]] },
  createdAt: at,
  updatedAt: at,
});

function contract(name: string, open: () => Promise<{ repository: AuthoredLessonRepository; close?: () => Promise<void> }>) {
  describe(name, () => {
    let repository: AuthoredLessonRepository;
    let close: (() => Promise<void>) | undefined;
    beforeAll(async () => {
      ({ repository, close } = await open());
    });
    afterAll(async () => {
      await close?.();
    });

    it('reads back what it saved, JSON and times included', async () => {
      const saved = record('authored-00000000000000a1', 1_700_000_000_000);
      await repository.create(saved);
      expect(await repository.get(saved.id)).toEqual(saved);
      expect(await repository.get('authored-ffffffffffffffff')).toBeNull();
      await expect(repository.create(saved)).rejects.toThrow();
    });

    it('lists in the order asked, leaving unknown ids out', async () => {
      await repository.create(record('authored-00000000000000b2', 1_700_000_001_000));
      const listed = await repository.getMany(['authored-00000000000000b2', 'authored-ffffffffffffffff', 'authored-00000000000000a1']);
      expect(listed.map((r) => r.id)).toEqual(['authored-00000000000000b2', 'authored-00000000000000a1']);
    });

    it('updates the draft and the lesson, not the secret or the creation time', async () => {
      const id = 'authored-00000000000000a1';
      const changed = { title: 'River banks', sentence: 'We sat by the river', draft: { sentence: 'We sat by the river' }, lesson: { id, tokens: ['We'] }, updatedAt: 1_700_000_005_000 };
      expect(await repository.update(id, changed)).toBe(true);
      expect(await repository.get(id)).toEqual({ ...record(id, 1_700_000_000_000), ...changed });
      expect(await repository.update('authored-ffffffffffffffff', changed)).toBe(false);
    });
  });
}

contract('the in-memory authored-lesson repository', async () => ({ repository: new MemoryAuthoredLessonRepository() }));

for (const target of targets) {
  describe.skipIf(target.skip)(`the Prisma authored-lesson repository on ${target.kind}`, () => {
    let database: TestDatabase;
    contract(target.kind, async () => {
      database = await target.open('authored');
      await migrate(database.db);
      return { repository: new PrismaAuthoredLessonRepository(database.db.prisma), close: () => database.close() };
    });
  });
}
