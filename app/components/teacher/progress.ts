/**
 * Where each student of the class is in the round, as the dashboard sorts and counts them: pure
 * functions of the teacher's view and the server's clock, so the order is tested without a browser.
 */
import type { Phase, TeacherPlayerView, TeacherView } from '../../../lib/protocol';
import { tokenName } from '../student/text';

/** A token as the app names it: the word, with its 0-based position where the word repeats. */
export const tokenLabel = tokenName;

/** One student's state in the round, most urgent first in `STATE_ORDER`. */
export type ProgressState = 'idle' | 'away' | 'working' | 'waiting' | 'locked' | 'ready' | 'removed';

/** Stuck first: who has not started, who is gone, who is at it (longest still first), who is done. */
export const STATE_ORDER: readonly ProgressState[] = ['idle', 'away', 'working', 'waiting', 'locked', 'ready', 'removed'];

export const STATE_LABELS: Record<ProgressState, string> = {
  idle: 'Not started',
  away: 'Away',
  working: 'Working',
  waiting: 'Joins next round',
  locked: 'Locked in',
  ready: 'In the room',
  removed: 'Removed',
};

/** The phases in which students hold a seat and can move their sliders or lock in. */
export function isPlaying(phase: Phase): boolean {
  return phase === 'cards' || phase === 'negotiate' || phase === 'locked';
}

/** Away wins over anything else but removal: an away student cannot move, whatever they did before. */
export function progressState(player: TeacherPlayerView, phase: Phase): ProgressState {
  if (player.kicked) return 'removed';
  if (player.away) return 'away';
  if (!isPlaying(phase)) return 'ready';
  if (player.seat === null) return 'waiting';
  if (player.lockedIn) return 'locked';
  return player.touched ? 'working' : 'idle';
}

export interface ProgressGroup {
  state: ProgressState;
  players: TeacherPlayerView[];
}

/**
 * The counts at the top of the dashboard, each with the students behind it. During a round: locked,
 * working, not started, away (and those who join next round, when there are any); between rounds:
 * who is in the room and who is away. Names within a group are in the roster's "stuck first" order.
 */
export function classProgress(view: TeacherView, now: number): ProgressGroup[] {
  const sorted = sortRoster(view.players, view.phase, 'state', now);
  const of = (state: ProgressState) => sorted.filter((p) => progressState(p, view.phase) === state);
  if (!isPlaying(view.phase)) return [{ state: 'ready', players: of('ready') }, { state: 'away', players: of('away') }];
  const groups: ProgressGroup[] = (['locked', 'working', 'idle', 'away'] as const).map((state) => ({ state, players: of(state) }));
  const waiting = of('waiting');
  if (waiting.length > 0) groups.push({ state: 'waiting', players: waiting });
  return groups;
}

export type RosterOrder = 'state' | 'name' | 'seat' | 'moved';

export const ORDER_LABELS: Record<RosterOrder, string> = {
  state: 'State (stuck first)',
  moved: 'Last moved (longest ago first)',
  seat: 'Seat',
  name: 'Name',
};

/** Milliseconds since the student last moved a slider, or null when they have not moved this round. */
export function sinceMoved(player: TeacherPlayerView, now: number): number | null {
  return player.movedAt === null ? null : Math.max(0, now - player.movedAt);
}

const byName = (a: TeacherPlayerView, b: TeacherPlayerView) => a.nickname.localeCompare(b.nickname);

/**
 * The roster in the chosen order. "State" puts the students who need the teacher first and, among
 * those working, the one who moved longest ago first; "last moved" puts never-moved students first.
 */
export function sortRoster(players: readonly TeacherPlayerView[], phase: Phase, order: RosterOrder, now: number): TeacherPlayerView[] {
  const stale = (p: TeacherPlayerView) => sinceMoved(p, now) ?? Number.POSITIVE_INFINITY;
  const rank = (p: TeacherPlayerView) => STATE_ORDER.indexOf(progressState(p, phase));
  const compare: Record<RosterOrder, (a: TeacherPlayerView, b: TeacherPlayerView) => number> = {
    state: (a, b) => rank(a) - rank(b) || (rank(a) === STATE_ORDER.indexOf('working') ? stale(b) - stale(a) : 0) || byName(a, b),
    name: (a, b) => Number(a.kicked) - Number(b.kicked) || byName(a, b),
    seat: (a, b) => (a.seat ?? Number.MAX_SAFE_INTEGER) - (b.seat ?? Number.MAX_SAFE_INTEGER) || byName(a, b),
    moved: (a, b) => Number(a.kicked) - Number(b.kicked) || stale(b) - stale(a) || byName(a, b),
  };
  return [...players].sort(compare[order]);
}

/** "just now", "12 s ago", "3 min ago": coarse on purpose, a teacher glances at it. */
export function describeAgo(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < 5) return 'just now';
  if (seconds < 90) return `${seconds} s ago`;
  return `${Math.floor(seconds / 60)} min ago`;
}

/** "12 s", "3 min": how long something has been going on. */
export function describeFor(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds < 90) return `${seconds} s`;
  return `${Math.floor(seconds / 60)} min`;
}

/** Whether an allocation is still the even split every seat starts from (nothing singled out). */
export function isEvenSplit(allocation: readonly number[]): boolean {
  const given = allocation.filter((w) => w > 0);
  return given.length > 1 && given.every((w) => Math.abs(w - given[0]) < 1e-6);
}

/** The token a student gave the most, as "cat 62%", or what stands in for one. */
export function topPickText(tokens: readonly string[], allocation: readonly number[] | null, touched: boolean): string {
  if (!allocation) return '—';
  if (isEvenSplit(allocation)) return touched ? 'even split' : 'even split (never moved)';
  let best = 0;
  allocation.forEach((w, k) => {
    if (w > allocation[best]) best = k;
  });
  return `${tokenLabel(tokens, best)} ${Math.round(allocation[best] * 100)}%`;
}
