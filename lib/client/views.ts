/** Reading the server's views: which one to keep, which role gets which, and the round's clock. */
import type { AnyView, StageView, StudentView, TeacherView, TimerView } from '../protocol';

/** Who a page is in a session. */
export type Role = 'player' | 'host' | 'stage';

/** The view each role receives. */
export interface ViewOfRole {
  player: StudentView;
  host: TeacherView;
  stage: StageView;
}

const KIND_OF_ROLE = { player: 'student', host: 'teacher', stage: 'stage' } as const satisfies Record<Role, AnyView['kind']>;

/** Whether `view` is the kind of view `role` receives. */
export function isViewOfRole<R extends Role>(view: AnyView, role: R): view is ViewOfRole[R] {
  return view.kind === KIND_OF_ROLE[role];
}

/**
 * Whether an incoming view should replace the one shown. Views of one session carry the state's
 * version, which only grows: an older or equal one is a late duplicate (a resync crossing a
 * broadcast) and is dropped. A view of another session or recipient kind always replaces.
 */
export function shouldAcceptView(current: AnyView | null, incoming: AnyView): boolean {
  if (current === null) return true;
  if (current.kind !== incoming.kind || current.code !== incoming.code) return true;
  return incoming.version > current.version;
}

/**
 * Milliseconds left on the round's clock at `now`, never below zero; null when the round has no
 * running or paused timer. `deadline` is the server's clock; `skewMs` (server minus client) corrects
 * for a phone whose clock is off.
 */
export function timeLeftMs(timer: TimerView | null | undefined, now: number, skewMs = 0): number | null {
  if (!timer) return null;
  if (timer.pausedRemainingMs !== null) return Math.max(0, timer.pausedRemainingMs);
  if (timer.deadline !== null) return Math.max(0, timer.deadline - (now + skewMs));
  return null;
}

/** A countdown as m:ss, rounded up so "0:00" only shows once the time is really up. */
export function formatCountdown(ms: number): string {
  const seconds = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}
