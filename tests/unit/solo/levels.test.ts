import { describe, expect, it } from 'vitest';
import {
  STAR_THRESHOLDS,
  isLevelUnlocked,
  keySeats,
  levelAfter,
  levelScore,
  levelStatuses,
  sentenceRows,
  soloLevels,
  starsFor,
} from '../../../lib/solo';
import { lesson, lessons } from './fixtures';

const levels = soloLevels(lessons);

describe('stars', () => {
  it('come from the thresholds 600, 800 and 930, inclusive', () => {
    expect(STAR_THRESHOLDS).toEqual([600, 800, 930]);
    expect([0, 599, 600, 799, 800, 929, 930, 1000].map(starsFor)).toEqual([0, 0, 1, 1, 2, 2, 3, 3]);
  });
});

describe('the path', () => {
  it('has one level per curated lesson, in teaching order: the recurrent bottleneck first, the open question last', () => {
    expect(levels.map((l) => l.number)).toEqual(levels.map((_, i) => i + 1));
    expect(levels.map((l) => l.lessonId)).toEqual([
      'recurrent-bottleneck',
      'the-cat-sat',
      'python-the-language',
      'values-matter',
      'scaling-and-temperature',
      'causal-mask',
      'multi-head',
      'weight-is-not-importance',
    ]);
    expect(levelAfter(levels, 'recurrent-bottleneck')?.lessonId).toBe('the-cat-sat');
    expect(levelAfter(levels, 'weight-is-not-importance')).toBeNull();
  });

  it('takes each level’s key rows from the rows its goals make claims on', () => {
    expect(keySeats(lesson('recurrent-bottleneck'))).toEqual([
      { token: 13, head: 0 },
      { token: 9, head: 0 },
    ]);
    expect(keySeats(lesson('the-cat-sat'))).toEqual([{ token: 2, head: 0 }]);
    // One word, two heads: the multi-head level is played once per head.
    expect(keySeats(lesson('multi-head'))).toEqual([
      { token: 7, head: 0 },
      { token: 7, head: 1 },
    ]);
    // The causal lesson's claim with no query row adds none.
    expect(keySeats(lesson('causal-mask'))).toEqual([
      { token: 7, head: 0 },
      { token: 1, head: 0 },
    ]);
  });

  it('lists every row of the sentence head by head for the whole-sentence mode', () => {
    const rows = sentenceRows(lesson('multi-head'));
    expect(rows).toHaveLength(16);
    expect(rows[0]).toEqual({ token: 0, head: 0 });
    expect(rows[8]).toEqual({ token: 0, head: 1 });
  });
});

describe('unlocking', () => {
  it('opens only the first level to a new learner, and marks it current', () => {
    const status = levelStatuses(levels, []);
    expect(status.map((s) => s.unlocked)).toEqual([true, false, false, false, false, false, false, false]);
    expect(status.filter((s) => s.current).map((s) => s.lessonId)).toEqual(['recurrent-bottleneck']);
    expect(status[0]).toMatchObject({ stars: 0, bestScore: null });
  });

  it('opens the next level at one star, not before', () => {
    const almost = levelStatuses(levels, [{ lessonId: 'recurrent-bottleneck', bestScore: 599, stars: 0 }]);
    expect(almost[1].unlocked).toBe(false);
    expect(almost[0].current).toBe(true);
    const one = levelStatuses(levels, [{ lessonId: 'recurrent-bottleneck', bestScore: 600, stars: 1 }]);
    expect(one.map((s) => s.unlocked).slice(0, 3)).toEqual([true, true, false]);
    expect(one.filter((s) => s.current).map((s) => s.lessonId)).toEqual(['the-cat-sat']);
    expect(isLevelUnlocked(levels, [{ lessonId: 'recurrent-bottleneck', bestScore: 950, stars: 3 }], 'the-cat-sat')).toBe(true);
    expect(isLevelUnlocked(levels, [], 'the-cat-sat')).toBe(false);
    expect(isLevelUnlocked(levels, [], 'no-such-lesson')).toBe(false);
  });

  it('reads stars from the best score, and keeps a level with stars open', () => {
    const status = levelStatuses(levels, [
      { lessonId: 'recurrent-bottleneck', bestScore: 810, stars: 2 },
      { lessonId: 'the-cat-sat', bestScore: 400, stars: 0 },
      { lessonId: 'values-matter', bestScore: 700, stars: 1 },
    ]);
    expect(status.map((s) => s.stars)).toEqual([2, 0, 0, 1, 0, 0, 0, 0]);
    expect(status.map((s) => s.unlocked)).toEqual([true, true, false, true, true, false, false, false]);
    expect(status.filter((s) => s.current).map((s) => s.lessonId)).toEqual(['the-cat-sat']);
  });
});

describe('the level score', () => {
  const keys = [
    { token: 7, head: 0 },
    { token: 7, head: 1 },
  ];

  it('waits until every key row is played', () => {
    expect(levelScore(keys, [])).toBeNull();
    expect(levelScore(keys, [{ token: 7, head: 0, net: 900 }])).toBeNull();
    // A practice row does not count.
    expect(levelScore(keys, [{ token: 7, head: 0, net: 900 }, { token: 0, head: 1, net: 1000 }])).toBeNull();
  });

  it('averages each key row’s best points, rounded', () => {
    expect(
      levelScore(keys, [
        { token: 7, head: 0, net: 500 },
        { token: 7, head: 1, net: 801 },
        { token: 7, head: 0, net: 900 },
        { token: 3, head: 0, net: 1000 },
      ]),
    ).toBe(851);
  });
});
