import { describe, expect, it } from 'vitest';
import { attendHead, type AttentionOptions } from '../../../lib/attention/reference';
import { allowedTokens, readRow, seatingPlan, seatPlayers, seededRandom, starSeats, uniformAllocation } from '../../../lib/game';
import { randomInt } from '../../../lib/game/random';
import { computeCards } from '../../../lib/lessons/cards';
import { curatedLessons } from '../../../lib/lessons/curated';
import type { Lesson } from '../../../lib/lessons/schema';

const ids = (n: number) => Array.from({ length: n }, (_, i) => `p${i + 1}`);

function lessonNamed(id: string): Lesson {
  const lesson = curatedLessons.find((l) => l.id === id);
  if (!lesson) throw new Error(`no lesson ${id}`);
  return lesson;
}

const lessonOptions = (lesson: Lesson): AttentionOptions => ({ scale: lesson.flags.scale, temperature: lesson.flags.temperature, causal: lesson.flags.causal });

/** Seat index → how far its true row is from even, and whether it has anything to find. */
function rowFacts(lesson: Lesson, options: AttentionOptions) {
  return computeCards(lesson).flatMap((head) =>
    attendHead(head, options).weights.map((row) => {
      const r = readRow(row);
      return { informative: !r.even, spread: r.peak - 1 / r.allowed.length };
    }),
  );
}

function seat(lesson: Lesson, students: number, seed: number, options = lessonOptions(lesson)) {
  const plan = seatingPlan(lesson, computeCards(lesson), options);
  return { plan, seats: seatPlayers(ids(students), lesson.tokens.length, lesson.heads.length, seededRandom(seed), plan) };
}

describe('seating that teaches, on the curated lessons', () => {
  it('the cat lesson: sat (the star) first, then on and mat; The, cat and a (all-zero queries) go to AI classmates', () => {
    const lesson = lessonNamed('the-cat-sat');
    const { plan, seats } = seat(lesson, 30, 1);
    const word = (i: number) => lesson.tokens[i];
    expect(plan.forStudents.map(word)).toEqual(['sat', 'on', 'mat']);
    expect(seats.filter((s) => s.members.length === 0).map((s) => word(s.token))).toEqual(['The', 'cat', 'a']);
    expect(seats.filter((s) => s.members.length > 0).map((s) => s.members.length)).toEqual([10, 10, 10]);
  });

  it('python: python (the star) first, and a lone student always plays it', () => {
    const lesson = lessonNamed('python-the-language');
    for (let seed = 1; seed <= 20; seed++) {
      const { seats } = seat(lesson, 1, seed);
      expect(seats.filter((s) => s.members.length > 0).map((s) => lesson.tokens[s.token])).toEqual(['python']);
    }
    expect(seat(lesson, 3, 1).plan.forStudents.slice(0, 1).map((i) => lesson.tokens[i])).toEqual(['python']);
  });

  it('multi-head: swim in both heads first, then the other informative rows; even rows never get a student', () => {
    const lesson = lessonNamed('multi-head');
    const { plan, seats } = seat(lesson, 30, 3);
    const named = plan.forStudents.map((i) => `${lesson.heads[Math.floor(i / lesson.tokens.length)].name}:${lesson.tokens[i % lesson.tokens.length]}`);
    expect(named.slice(0, 2)).toEqual(['grammar:swim', 'meaning:swim']);
    expect(named.length).toBeLessThan(8);
    const facts = rowFacts(lesson, lessonOptions(lesson));
    for (const s of seats) expect(s.members.length > 0).toBe(facts[s.index].informative);
  });

  it('star seats come from the goals, in their order, without repeats', () => {
    const lesson = lessonNamed('multi-head');
    expect(starSeats(lesson)).toEqual([
      { token: 7, head: 0 },
      { token: 7, head: 1 },
    ]);
    expect(starSeats(lessonNamed('causal-mask')).map((s) => lessonNamed('causal-mask').tokens[s.token])).toEqual(['it', 'baked']);
  });
});

describe('seating properties over every lesson, random class sizes and settings', () => {
  it('seats everyone once; students take the plan in order; nobody sits on a row with nothing to find while the plan has seats', () => {
    const random = seededRandom(17);
    for (let i = 0; i < 400; i++) {
      const lesson = curatedLessons[randomInt(random, curatedLessons.length)];
      const options: AttentionOptions = {
        scale: random() < 0.8,
        temperature: [0.5, 1, 1, 2, 10][randomInt(random, 5)],
        causal: lesson.flags.causalAdjustable ? random() < 0.5 : lesson.flags.causal,
      };
      const students = randomInt(random, 41);
      const { plan, seats } = seat(lesson, students, i, options);
      const facts = rowFacts(lesson, options);
      const context = `${lesson.id} ${JSON.stringify(options)} ${students} students`;
      // Everyone seated exactly once.
      expect(seats.flatMap((s) => s.members).sort(), context).toEqual(ids(students).sort());
      const anyInformative = facts.some((f) => f.informative);
      const stars = starSeats(lesson).map((s) => s.head * lesson.tokens.length + s.token);
      if (anyInformative) {
        // Only rows with something to find, stars among them first, then furthest from even first.
        expect(plan.forStudents.every((index) => facts[index].informative), context).toBe(true);
        expect(plan.forStudents.length, context).toBe(facts.filter((f) => f.informative).length);
        const firstNonStar = plan.forStudents.findIndex((index) => !stars.includes(index));
        if (firstNonStar >= 0) {
          expect(plan.forStudents.slice(firstNonStar).some((index) => stars.includes(index)), context).toBe(false);
          const rest = plan.forStudents.slice(firstNonStar).map((index) => facts[index].spread);
          expect(rest, context).toEqual([...rest].sort((a, b) => b - a));
        }
      }
      // The first min(students, plan) seats of the plan are taken; the rest of the seats are AI classmates'.
      const taken = plan.forStudents.slice(0, Math.min(students, plan.forStudents.length));
      for (const s of seats) expect(s.members.length > 0, `${context} seat ${s.index}`).toBe(taken.includes(s.index));
      // Teams of nearly equal size.
      const sizes = seats.filter((s) => s.members.length > 0).map((s) => s.members.length);
      if (sizes.length > 0) expect(Math.max(...sizes) - Math.min(...sizes), context).toBeLessThanOrEqual(1);
    }
  });

  it('is repeatable with a seed and deals students differently with another', () => {
    const lesson = lessonNamed('python-the-language');
    const a = seat(lesson, 5, 5).seats;
    expect(seat(lesson, 5, 5).seats).toEqual(a);
    const others = [6, 7, 8, 9].map((seed) => JSON.stringify(seat(lesson, 5, seed).seats));
    expect(others.some((o) => o !== JSON.stringify(a))).toBe(true);
  });

  it('makes one seat per (token, head), numbered head by head', () => {
    const lesson = lessonNamed('multi-head');
    const { seats } = seat(lesson, 0, 1);
    expect(seats).toHaveLength(16);
    seats.forEach((s, i) => {
      expect(s.index).toBe(i);
      expect(s.index).toBe(s.head * 8 + s.token);
      expect(s.members).toEqual([]);
    });
  });
});

describe('where a seat may look', () => {
  it('lets a causal seat look only at itself and earlier tokens', () => {
    expect(allowedTokens(2, 4, true)).toEqual([0, 1, 2]);
    expect(allowedTokens(0, 4, true)).toEqual([0]);
    expect(allowedTokens(0, 4, false)).toEqual([0, 1, 2, 3]);
    expect(uniformAllocation(1, 4, true)).toEqual([0.5, 0.5, 0, 0]);
    expect(uniformAllocation(1, 4, false)).toEqual([0.25, 0.25, 0.25, 0.25]);
  });
});
