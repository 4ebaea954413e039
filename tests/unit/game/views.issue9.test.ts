import { describe, expect, it } from 'vitest';
import { allocationOf, viewFor } from '../../../lib/game';
import { getLesson } from '../../../lib/lessons/curated';
import { accept, joinAll, newSession, run, student, teacher, toNegotiation, World } from './fixtures';

const cat = getLesson('the-cat-sat')!;

describe('what the views add for the reveal and the live arcs', () => {
  it('a team seat shows its students’ top picks and whether anyone touched it; the star’s steps only from the reveal', () => {
    const world = new World(3);
    let state = toNegotiation(joinAll(newSession(cat, world), 6, world), world);
    const sat = state.round!.seats[cat.tokens.indexOf('sat')];
    expect(sat.members).toHaveLength(2);
    let stage = viewFor(state, { kind: 'stage' });
    const seatView = () => stage.seats.find((s) => s.seat === sat.index)!;
    expect(stage.lesson.star).toEqual({ token: cat.tokens.indexOf('sat'), head: 0 });
    expect(seatView()).toMatchObject({ untouched: true, topPicks: [0, 0, 0, 0, 0, 0] });
    // An AI classmate's seat says nothing of its choices.
    expect(stage.seats.find((s) => s.playedByBot)?.topPicks).toBeNull();
    const [a, b] = sat.members;
    state = run(state, { type: 'attention:allocate', round: 1, weights: [0, 0.8, 0.2, 0, 0, 0], by: student(a) }, world);
    stage = viewFor(state, { kind: 'stage' });
    expect(seatView()).toMatchObject({ untouched: false, topPicks: [0, 1, 0, 0, 0, 0] });
    state = run(state, { type: 'attention:allocate', round: 1, weights: [0, 0.5, 0, 0, 0, 0.5], by: student(b) }, world);
    stage = viewFor(state, { kind: 'stage' });
    // A tie at the top is no single pick.
    expect(seatView().topPicks).toEqual([0, 1, 0, 0, 0, 0]);
    expect(stage.reveal).toBeNull();

    state = run(state, { type: 'teacher:lock', by: teacher }, world);
    state = accept(state, { type: 'teacher:reveal', by: teacher }, world).state;
    stage = viewFor(state, { kind: 'stage' });
    expect(stage.reveal?.steps.token).toBe(cat.tokens.indexOf('sat'));
    expect(stage.reveal?.seats.find((s) => s.seat === sat.index)?.untouched).toBe(false);
    const untouchedSeat = state.round!.seats.find((s) => s.members.length > 0 && s.members.every((m) => !allocationOf(state.round!, m)?.touched))!;
    expect(stage.reveal?.seats.find((s) => s.seat === untouchedSeat.index)?.untouched).toBe(true);
    // The untouched students are marked on the leaderboard and their results.
    const lazy = untouchedSeat.members[0];
    expect(stage.leaderboard?.some((e) => e.untouchedRounds === 1)).toBe(true);
    const mine = viewFor(state, { kind: 'student', playerId: lazy });
    expect(mine.result).toMatchObject({ touched: false, foundTopKey: false, topKeyPoints: 0 });
    expect(mine.result?.verdict).toMatch(/^You left the sliders untouched/);
    expect(mine.leaderboard?.find((e) => e.playerId === lazy)?.untouchedRounds).toBe(1);
    const finder = viewFor(state, { kind: 'student', playerId: a });
    expect(finder.result).toMatchObject({ touched: true, foundTopKey: true, topKeyPoints: 500 });
    expect(finder.result?.verdict).toContain('You found cat, sat’s top key ✓');
  });
});
