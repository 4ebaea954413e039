/**
 * The podium as every screen draws it (stage, phones, review): places by rank, not the first three
 * lines of the leaderboard. Students with equal totals share a rank ("=2"), every one of them stands on
 * that step, and a rank nobody holds (after a tie, rank 2 is skipped when two share first place) has no
 * step. Ranks are standard competition ranks, as `standings` gives them: 1, 1, 3.
 */

/** How many places the podium has. */
export const PODIUM_PLACES = 3;

/** One step of the podium: a rank and everyone who holds it. */
export interface PodiumPlace<E> {
  rank: number;
  /** More than one student holds this rank. */
  tied: boolean;
  entries: E[];
}

/** The podium's steps, best first: every entry ranked 1 to 3, grouped by rank. */
export function podiumPlaces<E extends { rank: number }>(entries: readonly E[]): PodiumPlace<E>[] {
  const places = new Map<number, E[]>();
  for (const entry of entries) {
    if (entry.rank < 1 || entry.rank > PODIUM_PLACES) continue;
    places.set(entry.rank, [...(places.get(entry.rank) ?? []), entry]);
  }
  return [...places.entries()].sort(([a], [b]) => a - b).map(([rank, held]) => ({ rank, tied: held.length > 1, entries: held }));
}

/** Whether someone else shares `rank` in `entries`. */
export function isTied(entries: readonly { rank: number }[], rank: number): boolean {
  return entries.filter((e) => e.rank === rank).length > 1;
}

/** A rank as a place label: "2", or "=2" when shared. */
export function placeLabel(rank: number, tied: boolean): string {
  return tied ? `=${rank}` : String(rank);
}

/** "1st", "2nd", "3rd", "4th", "11th"… */
export function ordinalRank(rank: number): string {
  const tens = rank % 100;
  if (tens >= 11 && tens <= 13) return `${rank}th`;
  return `${rank}${['th', 'st', 'nd', 'rd'][rank % 10] ?? 'th'}`;
}

/** A place in words: "2nd", or "joint 2nd" when shared. */
export function placeWords(rank: number, tied: boolean): string {
  return `${tied ? 'joint ' : ''}${ordinalRank(rank)}`;
}
