/** Words for phases and the lesson step that goes with each, shared by the stage and the dashboard. */
import type { LessonInfo, Phase } from '../../../lib/protocol';

/** What each phase is called on screen. */
export const PHASE_LABELS: Record<Phase, string> = {
  lobby: 'Lobby',
  cards: 'Read your cards',
  negotiate: 'Negotiate',
  locked: 'Locked',
  reveal: 'The reveal',
  podium: 'Podium',
  ended: 'Ended',
};

/** The lesson's explanation for a phase: what the class is told right now. */
export function stepFor(lesson: LessonInfo, phase: Phase): { title: string; text: string } {
  switch (phase) {
    case 'lobby':
      return { title: 'How it works', text: lesson.steps.intro };
    case 'cards':
      return { title: 'Read your cards', text: lesson.steps.cards };
    case 'negotiate':
      return { title: 'Share your attention', text: lesson.steps.negotiate };
    case 'locked':
      return { title: 'Locked in', text: lesson.steps.lock };
    case 'reveal':
      return { title: 'The reveal', text: lesson.steps.reveal };
    case 'podium':
    case 'ended':
      return { title: 'What it means', text: lesson.steps.wrapUp };
  }
}

/** Per head, the allocation shown for each query token (null where none may be shown yet). */
export function rowsByHead(
  seats: readonly { token: number; head: number; allocation: number[] | null }[],
  headCount: number,
  tokenCount: number,
): (number[] | null)[][] {
  const rows = Array.from({ length: headCount }, () => new Array<number[] | null>(tokenCount).fill(null));
  for (const seat of seats) {
    if (seat.head < headCount && seat.token < tokenCount) rows[seat.head][seat.token] = seat.allocation;
  }
  return rows;
}

/** Whether key `k` is hidden from query `q` by the causal mask. */
export function isMasked(causal: boolean, q: number, k: number): boolean {
  return causal && k > q;
}

/** A whole number with thin grouping, for points. */
export function formatPoints(points: number): string {
  return Math.round(points).toLocaleString('en-US');
}
