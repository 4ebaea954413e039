/** Loading a lesson: the schema, then the checks that need several fields at once. */

import { computeCards } from './cards';
import { lessonSchema, type Claim, type Lesson } from './schema';

/** A lesson that cannot be played, with the lesson and the field that is wrong. */
export class LessonError extends Error {
  constructor(
    readonly lessonId: string,
    readonly field: string,
    readonly problem: string,
  ) {
    super(`Lesson "${lessonId}" is malformed: ${field}: ${problem}`);
    this.name = 'LessonError';
  }
}

function fieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    out += typeof part === 'number' ? `[${part}]` : out === '' ? String(part) : `.${String(part)}`;
  }
  return out || '(lesson)';
}

function nameOf(raw: unknown, source: string): string {
  if (raw && typeof raw === 'object' && 'id' in raw && typeof raw.id === 'string' && raw.id) return raw.id;
  return source;
}

/**
 * Parses and checks one lesson. `source` names it in errors when it has no usable id (a file name).
 * Throws a LessonError naming the lesson and the first field that is wrong.
 */
export function parseLesson(raw: unknown, source = 'unnamed lesson'): Lesson {
  const id = nameOf(raw, source);
  const parsed = lessonSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new LessonError(id, fieldPath(issue.path), issue.message);
  }
  const lesson = parsed.data;
  const fail = (field: string, problem: string): never => {
    throw new LessonError(id, field, problem);
  };

  const tokenCount = lesson.tokens.length;
  const modelWidth = lesson.features.length;
  if (lesson.embeddings.length !== tokenCount) {
    fail('embeddings', `has ${lesson.embeddings.length} rows but the lesson has ${tokenCount} tokens`);
  }
  lesson.embeddings.forEach((row, t) => {
    if (row.length !== modelWidth) fail(`embeddings[${t}]`, `has ${row.length} numbers but there are ${modelWidth} features`);
  });

  const headNames = new Set<string>();
  const first = lesson.heads[0];
  lesson.heads.forEach((head, h) => {
    if (headNames.has(head.name)) fail(`heads[${h}].name`, `"${head.name}" is used by two heads`);
    headNames.add(head.name);
    for (const key of ['wQ', 'wK', 'wV'] as const) {
      const w = head[key];
      if (w.length !== modelWidth) fail(`heads[${h}].${key}`, `has ${w.length} rows but there are ${modelWidth} features`);
      const width = w[0].length;
      w.forEach((row, r) => {
        if (row.length !== width) fail(`heads[${h}].${key}[${r}]`, `has ${row.length} numbers, row 0 has ${width}`);
      });
    }
    const keyWidth = head.wK[0].length;
    if (head.wQ[0].length !== keyWidth) fail(`heads[${h}].wQ`, `makes queries of width ${head.wQ[0].length} but keys have width ${keyWidth}`);
    if (head.keyFeatures.length !== keyWidth) fail(`heads[${h}].keyFeatures`, `names ${head.keyFeatures.length} dimensions but keys have ${keyWidth}`);
    if (head.valueFeatures.length !== head.wV[0].length) {
      fail(`heads[${h}].valueFeatures`, `names ${head.valueFeatures.length} dimensions but values have ${head.wV[0].length}`);
    }
    // The engine runs every head in one batched call, so the heads must share their widths.
    if (keyWidth !== first.wK[0].length) fail(`heads[${h}].wK`, `key width ${keyWidth} differs from the first head's ${first.wK[0].length}`);
    if (head.wV[0].length !== first.wV[0].length) fail(`heads[${h}].wV`, `value width ${head.wV[0].length} differs from the first head's ${first.wV[0].length}`);
  });

  const concatWidth = lesson.heads.length * first.wV[0].length;
  if (lesson.wO) {
    if (lesson.wO.length !== concatWidth) fail('wO', `has ${lesson.wO.length} rows but the heads' outputs have ${concatWidth} numbers together`);
    const outWidth = lesson.wO[0].length;
    lesson.wO.forEach((row, r) => {
      if (row.length !== outWidth) fail(`wO[${r}]`, `has ${row.length} numbers, row 0 has ${outWidth}`);
    });
    if (!lesson.outputFeatures) fail('outputFeatures', 'must name the output dimensions when wO is given');
    else if (lesson.outputFeatures.length !== outWidth) fail('outputFeatures', `names ${lesson.outputFeatures.length} dimensions but wO makes ${outWidth}`);
  } else if (lesson.outputFeatures) {
    fail('outputFeatures', 'must be null when there is no wO');
  }

  computeCards(lesson).forEach((cards, h) => {
    for (const kind of ['q', 'k', 'v'] as const) {
      cards[kind].forEach((row, t) =>
        row.forEach((x, d) => {
          if (x < -3 || x > 3 || !Number.isInteger(x * 2)) {
            fail(`heads[${h}].${kind} card of token ${t} ("${lesson.tokens[t]}"), number ${d}`, `is ${x}; cards must be integers or halves between −3 and 3 so they can be worked by hand`);
          }
        }),
      );
    }
  });

  lesson.goals.forEach((goal, g) => checkClaimRefs(goal.claim, `goals[${g}].claim`, lesson, fail));
  if (lesson.goals.some((g) => g.claim.kind === 'recurrent-forgets') && lesson.recurrentCarry === undefined) {
    fail('recurrentCarry', 'is needed by a recurrent-forgets claim');
  }
  return lesson;
}

function checkClaimRefs(claim: Claim, at: string, lesson: Lesson, fail: (field: string, problem: string) => never): void {
  const head = lesson.heads.find((h) => h.name === claim.head);
  if (!head) fail(`${at}.head`, `"${claim.head}" is not one of this lesson's heads`);
  const token = (field: string, index: number) => {
    if (index < 0 || index >= lesson.tokens.length) fail(`${at}.${field}`, `token ${index} does not exist (the lesson has ${lesson.tokens.length})`);
  };
  if ('query' in claim) token('query', claim.query);
  if ('key' in claim) token('key', claim.key);
  if ('fact' in claim) token('fact', claim.fact);
  if (claim.kind === 'output-shifts' && head) {
    for (const field of ['toward', 'awayFrom'] as const) {
      if (!head.valueFeatures.includes(claim[field])) fail(`${at}.${field}`, `"${claim[field]}" is not a value feature of head "${head.name}"`);
    }
  }
}

/** Parses a list of lessons and refuses two with the same id. */
export function parseLessons(raws: readonly { source: string; raw: unknown }[]): Lesson[] {
  const seen = new Set<string>();
  return raws.map(({ source, raw }) => {
    const lesson = parseLesson(raw, source);
    if (seen.has(lesson.id)) throw new LessonError(lesson.id, 'id', `is used by two lessons (again in ${source})`);
    seen.add(lesson.id);
    return lesson;
  });
}

