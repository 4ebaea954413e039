/** Driving solo runs in tests: the reference attention stands in for the engine, time and chance are fixed. */
import { attendLayer } from '../../../lib/attention/reference';
import { invariantViolations, seededRandom, type GameContext } from '../../../lib/game';
import { curatedLessons, getLesson } from '../../../lib/lessons/curated/index';
import type { Lesson } from '../../../lib/lessons/schema';
import { applyAttention, type SoloRun, type SoloStep } from '../../../lib/solo';

export const lessons = curatedLessons;

export function lesson(id: string): Lesson {
  const found = getLesson(id);
  if (!found) throw new Error(`no lesson ${id}`);
  return found;
}

/** A context whose clock moves one second per call. */
export function contexts(seed = 7): () => GameContext {
  const random = seededRandom(seed);
  let now = 1_700_000_000_000;
  return () => ({ now: (now += 1000), random });
}

/** The step's run, the engine's answer applied when it asked for one; fails the test on a refusal or a broken invariant. */
export function settle(result: SoloStep, ctx: () => GameContext): SoloRun {
  if (!result.ok) throw new Error(`refused: ${result.error.code} ${result.error.message}`);
  let run = result.run;
  if (result.compute) {
    const layer = attendLayer(run.game.cards, run.game.lesson.wO, result.compute.options);
    const answered = applyAttention(run, result.compute.round, { heads: layer.heads.map((h) => ({ weights: h.weights, outputs: h.outputs })) }, ctx());
    if (!answered.ok) throw new Error(`refused: ${answered.error.code} ${answered.error.message}`);
    run = answered.run;
  }
  const problems = invariantViolations(run.game);
  if (problems.length > 0) throw new Error(`invariants: ${problems.join('; ')}`);
  return run;
}

/** The model's row for the learner's current seat (what the reference says). */
export function trueRowOf(run: SoloRun, token: number, head: number): number[] {
  const options = run.game.round?.options ?? { scale: true, temperature: 1, causal: false };
  return attendLayer(run.game.cards, run.game.lesson.wO, options).heads[head].weights[token];
}
