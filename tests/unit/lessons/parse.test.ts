import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LessonError, parseLesson, parseLessons } from '../../../lib/lessons/parse';

const fixtures = join(__dirname, '../../fixtures/lessons');
const load = (name: string): unknown => JSON.parse(readFileSync(join(fixtures, `${name}.json`), 'utf8'));
const catLesson = (): Record<string, unknown> =>
  JSON.parse(readFileSync(join(__dirname, '../../../lib/lessons/curated/the-cat-sat.json'), 'utf8'));

function refusal(name: string): LessonError {
  try {
    parseLesson(load(name), `${name}.json`);
  } catch (error) {
    if (error instanceof LessonError) return error;
    throw error;
  }
  throw new Error(`${name}.json was accepted`);
}

describe('parseLesson refuses a malformed lesson, naming the lesson and the field', () => {
  it.each([
    ['number-not-a-half', 'broken-third', 'embeddings[1][1]', 'half'],
    ['number-out-of-range', 'broken-range', 'heads[0].wQ[2][0]', 'at most 3'],
    ['embeddings-missing-a-row', 'broken-rows', 'embeddings', '5 rows but the lesson has 6 tokens'],
    ['card-too-large', 'broken-card', 'heads[0].q card of token 2 ("sat")', 'is 4.5'],
    ['claim-names-missing-head', 'broken-claim-head', 'goals[0].claim.head', '"nobody"'],
    ['claim-token-out-of-range', 'broken-claim-token', 'goals[1].claim.key', 'token 9 does not exist'],
    ['unknown-field', 'broken-extra', 'flags', 'colour'],
    ['no-id', 'no-id.json', 'id', ''],
    ['value-features-wrong-length', 'broken-features', 'heads[0].valueFeatures', 'names 1 dimensions but values have 2'],
    ['missing-step', 'broken-steps', 'steps.reveal', ''],
  ])('%s', (file, lessonName, field, problem) => {
    const error = refusal(file);
    expect(error.lessonId).toBe(lessonName);
    expect(error.field.startsWith(field)).toBe(true);
    expect(error.message).toContain(`Lesson "${lessonName}"`);
    expect(error.message).toContain(problem);
  });

  it('accepts the cat lesson as it is, so each refusal above is caused by its one change', () => {
    expect(parseLesson(catLesson()).id).toBe('the-cat-sat');
  });

  it('refuses two lessons with the same id', () => {
    expect(() =>
      parseLessons([
        { source: 'a.json', raw: catLesson() },
        { source: 'b.json', raw: catLesson() },
      ]),
    ).toThrow(/Lesson "the-cat-sat" is malformed: id: is used by two lessons \(again in b.json\)/);
  });

  it('refuses output features without W_O, and W_O of the wrong height', () => {
    expect(() => parseLesson({ ...catLesson(), outputFeatures: ['x'] })).toThrow(/outputFeatures: must be null/);
    expect(() => parseLesson({ ...catLesson(), wO: [[1], [1], [1]], outputFeatures: ['x'] })).toThrow(
      /wO: has 3 rows but the heads' outputs have 2 numbers together/,
    );
  });
});
