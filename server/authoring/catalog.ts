/**
 * Where a lesson id leads: the curated lessons, then the teachers' own. Sessions, solo runs and the lesson
 * explorer all ask here, so an authored lesson plays wherever a curated one does.
 */
import { parseLesson } from '../../lib/lessons/parse';
import type { Lesson } from '../../lib/lessons/schema';
import type { AuthoredLessonRepository } from '../persistence/authored-lessons';
import { errorFields, type Logger } from '../log';

/** Authored lesson ids: `authored-` and 16 hex digits. */
export const AUTHORED_ID = /^authored-[0-9a-f]{16}$/;

/** Finds any lesson by id: curated or authored; undefined when there is none. */
export type FindLesson = (id: string) => Promise<Lesson | undefined>;

export function lessonFinder(curated: readonly Lesson[], authored: AuthoredLessonRepository | undefined, logger: Logger): FindLesson {
  const byId = new Map(curated.map((lesson) => [lesson.id, lesson]));
  return async (id) => {
    const found = byId.get(id);
    if (found || !authored || !AUTHORED_ID.test(id)) return found;
    const record = await authored.get(id);
    if (!record) return undefined;
    try {
      // Checked again on the way out: a row edited by hand must not reach a class half-valid.
      return parseLesson(record.lesson, id);
    } catch (error) {
      logger.error({ family: 'authoring', lesson: id, ...errorFields(error) }, 'an authored lesson cannot be played');
      return undefined;
    }
  };
}
