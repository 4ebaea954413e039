import { describe, expect, it } from 'vitest';
import { attendLayer } from '../../../lib/attention/reference';
import { checkClaim, checkLessonGoals } from '../../../lib/lessons/claims';
import { curatedLessons, getLesson } from '../../../lib/lessons/curated';
import type { Claim, ClaimKind } from '../../../lib/lessons/schema';

describe('the curated lessons', () => {
  it('are eight or more, with unique ids and a distinct place each on the solo path', () => {
    expect(curatedLessons.length).toBeGreaterThanOrEqual(8);
    expect(new Set(curatedLessons.map((l) => l.id)).size).toBe(curatedLessons.length);
    expect(curatedLessons.map((l) => l.order)).toEqual([...curatedLessons.map((l) => l.order)].sort((a, b) => a - b));
    expect(new Set(curatedLessons.map((l) => l.order)).size).toBe(curatedLessons.length);
  });

  it('follow the teaching order: the recurrent bottleneck first, the open question last', () => {
    expect(curatedLessons[0].id).toBe('recurrent-bottleneck');
    expect(curatedLessons.at(-1)?.id).toBe('weight-is-not-importance');
  });

  it('together cover every idea of the article', () => {
    const kinds = new Set<ClaimKind>(curatedLessons.flatMap((l) => l.goals.map((g) => g.claim.kind)));
    // Each idea is demonstrated by a claim kind that only it needs.
    for (const kind of [
      'largest-weight', // queries find keys (the cat)
      'output-shifts', // outputs move toward context (python)
      'attention-beats-average', // values alone dilute
      'row-peak-at-least', // unscaled scores saturate
      'row-peak-at-most', // scaling and temperature keep it soft
      'only-looks-back', // the causal mask
      'recurrent-forgets', // the recurrent bottleneck
      'weight-is-not-importance', // the open question
    ] as const) {
      expect(kinds, `no lesson makes a ${kind} claim`).toContain(kind);
    }
    const multiHead = curatedLessons.filter((l) => l.heads.length >= 2 && l.wO !== null);
    expect(multiHead.length).toBeGreaterThanOrEqual(1);
    const scalingLesson = curatedLessons.find((l) => l.goals.some((g) => g.claim.settings?.scale === false));
    expect(scalingLesson?.heads[0].keyFeatures.length).toBeGreaterThanOrEqual(8);
  });

  it('are found by id', () => {
    expect(getLesson('the-cat-sat')?.tokens).toEqual(['The', 'cat', 'sat', 'on', 'a', 'mat']);
    expect(getLesson('no-such-lesson')).toBeUndefined();
  });

  describe.each(curatedLessons.map((l) => [l.id, l] as const))('%s', (_id, lesson) => {
    it('states at least two learning goals, every one of which holds in the float64 reference', async () => {
      expect(lesson.goals.length).toBeGreaterThanOrEqual(2);
      for (const { text, verdict } of await checkLessonGoals(lesson, attendLayer)) {
        expect(verdict.holds, `${text} — ${verdict.evidence}`).toBe(true);
      }
    });

    it('has a short explanation for every step of a round', () => {
      for (const text of Object.values(lesson.steps)) expect(text.length).toBeGreaterThan(20);
    });
  });
});

describe('checkClaim', () => {
  const cat = getLesson('the-cat-sat')!;
  const claim = (c: Claim) => checkClaim(cat, c, attendLayer);

  it('says so when a claim does not hold', async () => {
    expect((await claim({ kind: 'largest-weight', head: 'who-did-it', query: 2, key: 5 })).holds).toBe(false);
    expect((await claim({ kind: 'weight-at-most', head: 'who-did-it', query: 2, key: 1, value: 0.2 })).holds).toBe(false);
    expect((await claim({ kind: 'only-looks-back', head: 'who-did-it' })).holds).toBe(false);
    expect((await claim({ kind: 'row-peak-at-least', head: 'who-did-it', query: 0, value: 0.5 })).holds).toBe(false);
  });

  it('applies a claim’s own settings: without scaling the verb is surer of its subject', async () => {
    const scaled = await claim({ kind: 'weight-at-least', head: 'who-did-it', query: 2, key: 1, value: 0.7 });
    const unscaled = await claim({ kind: 'weight-at-least', head: 'who-did-it', query: 2, key: 1, value: 0.7, settings: { scale: false } });
    expect(scaled.holds).toBe(false);
    expect(unscaled.holds).toBe(true);
  });

  it('gives the numbers behind its verdict', async () => {
    const verdict = await claim({ kind: 'largest-weight', head: 'who-did-it', query: 2, key: 1 });
    expect(verdict.evidence).toBe('in "sat"\'s row the largest weight is 58.1% on "cat"');
  });
});
