/** Finished sessions for the review tests, played through the reducer like a real class. */
import type { GameState } from '../../../lib/game';
import type { Lesson } from '../../../lib/lessons/schema';
import { joinAll, newSession, run, seatOfPlayer, student, teacher, toNegotiation, truthEvent, World } from '../game/fixtures';

/** An allocation putting `weight` on `main` and the rest evenly on the other tokens. */
export function peaked(tokenCount: number, main: number, weight: number): number[] {
  return Array.from({ length: tokenCount }, (_, j) => (j === main ? weight : (1 - weight) / (tokenCount - 1)));
}

/**
 * `students` students (p1…pn) play `rounds` rounds of `lesson`: student i puts `0.4 + 0.1 i` on token
 * (i + round) mod n, locks, and the teacher reveals. Ends the session when `end` is set.
 */
export function playedSession(lesson: Lesson, students: number, rounds: number, options: { end?: boolean; world?: World } = {}): GameState {
  const world = options.world ?? new World(7);
  let state = joinAll(newSession(lesson, world), students, world);
  const n = lesson.tokens.length;
  for (let round = 1; round <= rounds; round++) {
    if (round === 1) {
      state = toNegotiation(state, world);
    } else {
      state = run(state, { type: 'teacher:next-round', by: teacher }, world);
      state = run(state, truthEvent(state), world);
      state = run(state, { type: 'teacher:open-negotiation', by: teacher }, world);
    }
    for (let i = 1; i <= students; i++) {
      const id = `p${i}`;
      seatOfPlayer(state, id);
      world.tick(1000);
      state = run(state, { type: 'attention:allocate', round, weights: peaked(n, (i + round) % n, Math.min(0.9, 0.3 + 0.1 * i)), by: student(id) }, world);
    }
    state = run(state, { type: 'teacher:lock', by: teacher }, world);
    state = run(state, { type: 'teacher:reveal', by: teacher }, world);
  }
  if (options.end) state = run(state, { type: 'teacher:end', by: teacher }, world);
  return state;
}
