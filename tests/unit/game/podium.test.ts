/**
 * The podium by rank: ties share a step labelled "=2", every tied student stands on it, and ranks a
 * tie skipped have no step. Standings come from real game states with the totals set per case.
 */
import { describe, expect, it } from 'vitest';
import { isTied, placeLabel, placeWords, podiumPlaces, standings, type GameState } from '../../../lib/game';
import { buildReview, studentReview } from '../../../lib/review';
import { joinAll, newSession, World } from './fixtures';
import { playedSession } from '../review/fixtures';
import { testLesson } from './fixtures';

/** A lobby of students p1…pn whose totals are `totals` (in join order). */
function withTotals(totals: number[]): GameState {
  const world = new World(2);
  const state = joinAll(newSession(undefined, world), totals.length, world);
  return { ...state, players: state.players.map((p, i) => ({ ...p, total: totals[i] })) };
}

/** The podium as [label, names] per step. */
function podiumOf(totals: number[]): [string, string[]][] {
  return podiumPlaces(standings(withTotals(totals))).map((place) => [placeLabel(place.rank, place.tied), place.entries.map((e) => e.nickname)]);
}

describe('the podium by rank', () => {
  it('is three single places when nobody ties', () => {
    expect(podiumOf([900, 800, 700, 600])).toEqual([
      ['1', ['p1']],
      ['2', ['p2']],
      ['3', ['p3']],
    ]);
  });

  it('puts all three students tied at 2 on the second step, and gives nobody third', () => {
    expect(podiumOf([900, 800, 800, 800, 100])).toEqual([
      ['1', ['p1']],
      ['=2', ['p2', 'p3', 'p4']],
    ]);
  });

  it('puts four students tied at 1 on the first step, with no second or third', () => {
    expect(podiumOf([500, 500, 500, 500, 400])).toEqual([['=1', ['p1', 'p2', 'p3', 'p4']]]);
  });

  it('skips the rank a tie used up: two first, then third', () => {
    expect(podiumOf([700, 700, 300, 300, 200])).toEqual([
      ['=1', ['p1', 'p2']],
      ['=3', ['p3', 'p4']],
    ]);
  });

  it('names places in words, joint where shared', () => {
    const board = standings(withTotals([900, 800, 800]));
    expect(isTied(board, 2)).toBe(true);
    expect(isTied(board, 1)).toBe(false);
    expect(placeWords(2, true)).toBe('joint 2nd');
    expect(placeWords(1, false)).toBe('1st');
    expect(placeWords(11, false)).toBe('11th');
    expect(placeWords(23, false)).toBe('23rd');
  });

  it('is empty without students', () => {
    expect(podiumPlaces([])).toEqual([]);
  });

  it('carries every tied student into the review’s podium, the teacher’s and a student’s', () => {
    const state = playedSession(testLesson, 5, 1, { end: true });
    const tied: GameState = { ...state, players: state.players.map((p, i) => ({ ...p, total: [600, 500, 500, 500, 100][i] })) };
    const review = buildReview(tied);
    expect(review.podium.map((s) => [s.rank, s.nickname])).toEqual([
      [1, 'p1'],
      [2, 'p2'],
      [2, 'p3'],
      [2, 'p4'],
    ]);
    expect(studentReview(review, 'p3')?.podium?.map((s) => s.rank)).toEqual([1, 2, 2, 2]);
  });
});
