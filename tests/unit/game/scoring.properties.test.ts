/**
 * The scoring rule's promises, checked over random rows and over every row of every curated lesson:
 * finding the model's top key is worth clearly more than the untouched even split, which never beats a
 * student who found it; an even row cannot top the round; matching the spread earns the rest.
 */
import { describe, expect, it } from 'vitest';
import { attendHead, softmax, type AttentionOptions } from '../../../lib/attention/reference';
import { readRow, scoreBreakdown, seededRandom, SPREAD_POINTS, TOP_KEY_POINTS } from '../../../lib/game';
import { randomInt } from '../../../lib/game/random';
import { computeCards } from '../../../lib/lessons/cards';
import { curatedLessons } from '../../../lib/lessons/curated';

type Random = () => number;

/** A model row: softmax of random scores over the first `allowed` of `n` tokens (a causal row looks back only). */
function randomRow(random: Random): number[] {
  const n = 2 + randomInt(random, 15);
  const allowed = random() < 0.3 ? 1 + randomInt(random, n) : n;
  const spread = [0, 0.5, 2, 6][randomInt(random, 4)];
  // Some rows repeat a key exactly, as identical key cards do in a lesson: a tied top.
  const scores = Array.from({ length: n }, (_, j) => (j < allowed ? (random() - 0.5) * spread : -Infinity));
  if (allowed > 2 && random() < 0.3) scores[1] = scores[0];
  return softmax(scores);
}

/** A random allocation over the row's allowed tokens, in whole percent as the sliders make them. */
function randomAllocation(row: readonly number[], random: Random): number[] {
  const allowed = readRow(row).allowed;
  const raw: number[] = allowed.map(() => (random() < 0.4 ? 0 : random()));
  if (!raw.some((x) => x > 0)) raw[0] = 1;
  const total = raw.reduce((a, b) => a + b, 0);
  const percents = raw.map((x) => Math.floor((100 * x) / total));
  percents[0] += 100 - percents.reduce((a, b) => a + b, 0);
  const out = new Array<number>(row.length).fill(0);
  allowed.forEach((j, i) => (out[j] = percents[i] / 100));
  return out;
}

/** The same allocation with its largest weight moved onto one of the model's top keys, alone at the top. */
function withTopKeyFound(allocation: readonly number[], row: readonly number[], random: Random): number[] {
  const { topKeys, allowed } = readRow(row);
  const top = topKeys[randomInt(random, topKeys.length)];
  const out = [...allocation];
  const peakAt = allowed.reduce((best, j) => (out[j] > out[best] ? j : best), allowed[0]);
  [out[top], out[peakAt]] = [out[peakAt], out[top]];
  // Nudge one point from another key so the top key stands alone.
  const donor = allowed.find((j) => j !== top && out[j] >= 0.01);
  if (donor !== undefined && allowed.some((j) => j !== top && out[j] === out[top])) {
    out[donor] -= 0.01;
    out[top] += 0.01;
  }
  if (allowed.filter((j) => out[j] === out[top]).length > 1) {
    allowed.forEach((j) => (out[j] = j === top ? 1 : 0));
  }
  return out;
}

function evenSplit(row: readonly number[]): number[] {
  const { allowed } = readRow(row);
  return row.map((_, j) => (allowed.includes(j) ? 1 / allowed.length : 0));
}

const CASES = 3000;

describe('scoring over random rows', () => {
  it('pays 500 for the top key plus up to 500 for the spread, and 1000 for the model’s own informative row', () => {
    const random = seededRandom(91);
    for (let i = 0; i < CASES; i++) {
      const row = randomRow(random);
      const p = randomAllocation(row, random);
      const b = scoreBreakdown(p, row);
      const distance = row.reduce((d, q, j) => d + Math.abs(p[j] - q), 0);
      expect(b.spreadPoints).toBe(Math.round(SPREAD_POINTS * (1 - distance / 2)));
      expect(b.topKeyPoints).toBe(b.foundTopKey ? TOP_KEY_POINTS : 0);
      expect(b.score).toBe(b.topKeyPoints + b.spreadPoints);
      expect(scoreBreakdown(row, row).score).toBe(readRow(row).even ? SPREAD_POINTS : 1000);
    }
  });

  it('a student who found the top key outscores, by at least 50, the untouched even split of the same row', () => {
    const random = seededRandom(92);
    let checked = 0;
    for (let i = 0; i < CASES; i++) {
      const row = randomRow(random);
      if (readRow(row).even) continue;
      const finder = withTopKeyFound(randomAllocation(row, random), row, random);
      const found = scoreBreakdown(finder, row);
      expect(found.foundTopKey, JSON.stringify({ finder, row })).toBe(true);
      const untouched = scoreBreakdown(evenSplit(row), row);
      expect(untouched.foundTopKey).toBe(false);
      expect(found.score - untouched.score).toBeGreaterThanOrEqual(50);
      checked++;
    }
    expect(checked).toBeGreaterThan(CASES / 3);
  });

  it('nobody who missed the top key, on any row, even or not, scores as much as anybody who found it', () => {
    const random = seededRandom(93);
    let lowestFinder = Infinity;
    let highestOther = -Infinity;
    for (let i = 0; i < CASES; i++) {
      const row = randomRow(random);
      const guess = scoreBreakdown(randomAllocation(row, random), row);
      const model = scoreBreakdown(row, row);
      for (const b of [guess, model, scoreBreakdown(evenSplit(row), row)]) {
        if (b.foundTopKey) lowestFinder = Math.min(lowestFinder, b.score);
        else highestOther = Math.max(highestOther, b.score);
      }
      if (!readRow(row).even) lowestFinder = Math.min(lowestFinder, scoreBreakdown(withTopKeyFound(randomAllocation(row, random), row, random), row).score);
    }
    expect(highestOther).toBeLessThanOrEqual(SPREAD_POINTS);
    expect(lowestFinder).toBeGreaterThan(SPREAD_POINTS);
  });

  it('an even row has no top key: whatever its player does, at most 500', () => {
    const random = seededRandom(94);
    for (let i = 0; i < CASES; i++) {
      const n = 2 + randomInt(random, 15);
      const row = softmax(Array.from({ length: n }, () => (random() - 0.5) * 0.05));
      expect(readRow(row).even).toBe(true);
      const b = scoreBreakdown(randomAllocation(row, random), row);
      expect(b.foundTopKey).toBe(false);
      expect(b.topKeys).toEqual([]);
      expect(b.score).toBeLessThanOrEqual(SPREAD_POINTS);
    }
  });

  it('between two students who both found the top key, the one closer to the model’s spread scores more', () => {
    const random = seededRandom(95);
    for (let i = 0; i < CASES; i++) {
      const row = randomRow(random);
      if (readRow(row).even) continue;
      const a = scoreBreakdown(withTopKeyFound(randomAllocation(row, random), row, random), row);
      const b = scoreBreakdown(withTopKeyFound(randomAllocation(row, random), row, random), row);
      expect(Math.sign(a.score - b.score)).toBe(Math.sign(a.spreadPoints - b.spreadPoints));
    }
  });
});

const settingsToTry: AttentionOptions[] = [
  { scale: true, temperature: 1, causal: false },
  { scale: false, temperature: 1, causal: false },
  { scale: true, temperature: 0.5, causal: false },
  { scale: true, temperature: 2, causal: false },
  { scale: true, temperature: 1, causal: true },
];

describe('scoring on every row of every lesson', () => {
  for (const lesson of curatedLessons) {
    it(`${lesson.id}: the top key beats the untouched split; even rows stay at or under 500`, () => {
      const random = seededRandom(lesson.order);
      const cards = computeCards(lesson);
      for (const options of [{ scale: lesson.flags.scale, temperature: lesson.flags.temperature, causal: lesson.flags.causal }, ...settingsToTry]) {
        for (const head of cards) {
          for (const row of attendHead(head, options).weights) {
            const reading = readRow(row);
            const untouched = scoreBreakdown(evenSplit(row), row).score;
            if (reading.even) {
              expect(untouched).toBeLessThanOrEqual(SPREAD_POINTS);
              expect(scoreBreakdown(row, row).score).toBeLessThanOrEqual(SPREAD_POINTS);
              continue;
            }
            // All in on a top key: the bold right answer.
            const allIn = row.map((_, j) => (j === reading.topKeys[0] ? 1 : 0));
            expect(scoreBreakdown(allIn, row).score - untouched).toBeGreaterThanOrEqual(50);
            for (let i = 0; i < 20; i++) {
              const finder = withTopKeyFound(randomAllocation(row, random), row, random);
              expect(scoreBreakdown(finder, row).score).toBeGreaterThan(untouched);
            }
          }
        }
      }
    });
  }

  it('the right idea wins: I given 74 % where the model gave it 25 % beats the untouched phone by hundreds', () => {
    const lesson = curatedLessons.find((l) => l.id === 'python-the-language');
    if (!lesson) throw new Error('python lesson missing');
    const wrote = lesson.tokens.indexOf('wrote');
    const row = attendHead(computeCards(lesson)[0], { scale: true, temperature: 1, causal: false }).weights[wrote];
    expect(readRow(row).topKeys).toEqual([lesson.tokens.indexOf('I')]);
    const rest = (1 - 0.74) / (row.length - 1);
    const bold = row.map((_, j) => (j === lesson.tokens.indexOf('I') ? 0.74 : rest));
    const mine = scoreBreakdown(bold, row);
    const untouched = scoreBreakdown(evenSplit(row), row);
    expect(mine.foundTopKey).toBe(true);
    expect(mine.score - untouched.score).toBeGreaterThan(300);
  });
});
