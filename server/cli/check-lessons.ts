/**
 * `npm run lessons:check -- [file.json …]`: parses lesson files (or every curated lesson), prints each
 * lesson's cards and weights, and checks every learning goal against the float64 reference.
 * Exits 1 when a lesson is malformed or a goal does not hold.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { attendLayer } from '../../lib/attention/reference';
import { checkLessonGoals } from '../../lib/lessons/claims';
import { attentionOptionsFor, computeCards } from '../../lib/lessons/cards';
import { parseLesson } from '../../lib/lessons/parse';
import type { Lesson } from '../../lib/lessons/schema';

const fmt = (row: readonly number[]) => row.map((x) => (Number.isFinite(x) ? x.toFixed(2).padStart(6) : '  mask')).join(' ');

async function report(lesson: Lesson): Promise<boolean> {
  const cards = computeCards(lesson);
  const layer = attendLayer(cards, lesson.wO, attentionOptionsFor(lesson));
  console.log(`\n# ${lesson.id} — ${lesson.title}`);
  layer.heads.forEach((head) => {
    console.log(`## head ${head.name}`);
    lesson.tokens.forEach((token, t) => {
      console.log(`${token.padEnd(10)} Q[${fmt(head.q[t])}] K[${fmt(head.k[t])}] V[${fmt(head.v[t])}]`);
    });
    console.log('weights (row = query):');
    lesson.tokens.forEach((token, t) => console.log(`${token.padEnd(10)} ${fmt(head.weights[t])}`));
  });
  let ok = true;
  for (const { text, verdict } of await checkLessonGoals(lesson, attendLayer)) {
    ok &&= verdict.holds;
    console.log(`${verdict.holds ? 'HOLDS ' : 'FAILS '} ${text}\n        ${verdict.evidence}`);
  }
  return ok;
}

async function main(): Promise<void> {
  const files = process.argv.slice(2);
  let lessons: Lesson[];
  try {
    lessons = files.length
      ? files.map((file) => parseLesson(JSON.parse(readFileSync(file, 'utf8')), basename(file)))
      : [...(await import('../../lib/lessons/curated/index')).curatedLessons];
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
  let ok = true;
  for (const lesson of lessons) ok = (await report(lesson)) && ok;
  process.exit(ok ? 0 : 1);
}

void main();
