/**
 * Where teachers' own lessons are kept: the draft the editor edits, the lesson built from it, and the
 * SHA-256 of the edit secret. In process memory by default (and in tests); over Prisma's `AuthoredLesson`
 * model where there is a database.
 */
import type { PrismaClient } from './generated/client';

/** One saved lesson. `draft` and `lesson` are stored as given and checked again when read back. */
export interface AuthoredLessonRecord {
  id: string;
  editSecretHash: string;
  title: string;
  sentence: string;
  draft: unknown;
  lesson: unknown;
  /** Milliseconds since the epoch. */
  createdAt: number;
  updatedAt: number;
}

export interface AuthoredLessonRepository {
  create(record: AuthoredLessonRecord): Promise<void>;
  get(id: string): Promise<AuthoredLessonRecord | null>;
  /** Several at once (the teacher's list); unknown ids are left out. */
  getMany(ids: readonly string[]): Promise<AuthoredLessonRecord[]>;
  /** Replaces the draft and the lesson; false when there is no such lesson. */
  update(id: string, change: Pick<AuthoredLessonRecord, 'title' | 'sentence' | 'draft' | 'lesson' | 'updatedAt'>): Promise<boolean>;
}

export class MemoryAuthoredLessonRepository implements AuthoredLessonRepository {
  private readonly records = new Map<string, AuthoredLessonRecord>();

  async create(record: AuthoredLessonRecord): Promise<void> {
    if (this.records.has(record.id)) throw new Error(`authored lesson ${record.id} exists already`);
    this.records.set(record.id, structuredClone(record));
  }

  async get(id: string): Promise<AuthoredLessonRecord | null> {
    const record = this.records.get(id);
    return record ? structuredClone(record) : null;
  }

  async getMany(ids: readonly string[]): Promise<AuthoredLessonRecord[]> {
    return ids.flatMap((id) => {
      const record = this.records.get(id);
      return record ? [structuredClone(record)] : [];
    });
  }

  async update(id: string, change: Pick<AuthoredLessonRecord, 'title' | 'sentence' | 'draft' | 'lesson' | 'updatedAt'>): Promise<boolean> {
    const record = this.records.get(id);
    if (!record) return false;
    this.records.set(id, { ...record, ...structuredClone(change) });
    return true;
  }
}

interface Row {
  id: string;
  editSecretHash: string;
  title: string;
  sentence: string;
  draft: unknown;
  lesson: unknown;
  createdAt: Date;
  updatedAt: Date;
}

const toRecord = (row: Row): AuthoredLessonRecord => ({ ...row, createdAt: row.createdAt.getTime(), updatedAt: row.updatedAt.getTime() });

/** JSON columns take plain JSON values; drafts and lessons are built from JSON, so this is a copy. */
const asJson = (value: unknown) => JSON.parse(JSON.stringify(value)) as object;

export class PrismaAuthoredLessonRepository implements AuthoredLessonRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async create(record: AuthoredLessonRecord): Promise<void> {
    await this.prisma.authoredLesson.create({
      data: {
        ...record,
        draft: asJson(record.draft),
        lesson: asJson(record.lesson),
        createdAt: new Date(record.createdAt),
        updatedAt: new Date(record.updatedAt),
      },
    });
  }

  async get(id: string): Promise<AuthoredLessonRecord | null> {
    const row = await this.prisma.authoredLesson.findUnique({ where: { id } });
    return row ? toRecord(row) : null;
  }

  async getMany(ids: readonly string[]): Promise<AuthoredLessonRecord[]> {
    const rows = await this.prisma.authoredLesson.findMany({ where: { id: { in: [...ids] } } });
    const byId = new Map(rows.map((row) => [row.id, toRecord(row)]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  async update(id: string, change: Pick<AuthoredLessonRecord, 'title' | 'sentence' | 'draft' | 'lesson' | 'updatedAt'>): Promise<boolean> {
    const { count } = await this.prisma.authoredLesson.updateMany({
      where: { id },
      data: { title: change.title, sentence: change.sentence, draft: asJson(change.draft), lesson: asJson(change.lesson), updatedAt: new Date(change.updatedAt) },
    });
    return count === 1;
  }
}
