import { describe, expect, it } from 'vitest';
import { scoreAllocation, seatingPlan, standings, type GameState } from '../../../lib/game';
import { computeCards } from '../../../lib/lessons/cards';
import { buildReview, keyDifferences, MISCONCEPTION_THRESHOLD, realNameOf, studentReview, summarizeReview } from '../../../lib/review';
import { oneHeadLesson, run, teacher, testLesson, World } from '../game/fixtures';
import { playedSession } from './fixtures';

/** The most over- and under-weighted keys, worked out the slow way. */
function expectedDifferences(classRow: number[], modelRow: number[]) {
  const diffs = classRow.map((c, k) => ({ key: k, difference: c - modelRow[k] }));
  const over = diffs.filter((d) => d.difference > MISCONCEPTION_THRESHOLD).sort((a, b) => b.difference - a.difference)[0] ?? null;
  const under = diffs.filter((d) => d.difference < -MISCONCEPTION_THRESHOLD).sort((a, b) => a.difference - b.difference)[0] ?? null;
  return { over, under };
}

describe('keyDifferences', () => {
  it('names the largest excess and the largest shortfall, with their sizes', () => {
    const { overWeighted, underWeighted } = keyDifferences([0.6, 0.1, 0.3], [0.2, 0.5, 0.3]);
    expect(overWeighted).toEqual({ key: 0, difference: expect.closeTo(0.4, 12) });
    expect(underWeighted).toEqual({ key: 1, difference: expect.closeTo(-0.4, 12) });
  });

  it('calls float noise no misconception', () => {
    expect(keyDifferences([0.5, 0.5], [0.5 + 1e-5, 0.5 - 1e-5])).toEqual({ overWeighted: null, underWeighted: null });
  });
});

describe('buildReview of an ended two-head session', () => {
  const state = playedSession(testLesson, 3, 2, { end: true });
  const review = buildReview(state);

  it('has the session facts and the final leaderboard with a podium of three', () => {
    expect(review).toMatchObject({ kind: 'teacher', sessionId: 's1', code: 'ACEFHJ', phase: 'ended', ended: true });
    expect(review.lesson.tokens).toEqual(testLesson.tokens);
    expect(review.lesson.heads).toEqual(['who-acts', 'what-thing']);
    expect(review.leaderboard.map((s) => [s.playerId, s.total, s.rank])).toEqual(standings(state).map((s) => [s.playerId, s.total, s.rank]));
    expect(review.podium).toEqual(review.leaderboard.slice(0, 3));
    expect(review.lastRevealedAt).toBe(state.history[1].revealedAt);
    expect(review.settings).toEqual({ leaderboardHidden: false });
  });

  it('compares the class with the model row by row, per head, bots kept apart', () => {
    expect(review.rounds).toHaveLength(2);
    for (const [r, round] of review.rounds.entries()) {
      const results = state.history[r];
      expect(round.classScore).toBe(results.classScore);
      expect(round.scored).toBe(3);
      expect(round.heads.map((h) => h.name)).toEqual(['who-acts', 'what-thing']);
      for (const head of round.heads) {
        expect(head.rows).toHaveLength(4);
        for (const row of head.rows) {
          expect(row.modelRow).toEqual(results.truth.heads[head.head].weights[row.token]);
          const players = results.players.filter((p) => p.head === head.head && p.token === row.token);
          const seat = results.seats.find((s) => s.head === head.head && s.token === row.token)!;
          expect(row.students).toBe(players.length);
          expect(row.playedByBot).toBe(seat.playedByBot);
          if (players.length === 0) {
            expect(row.classRow).toBeNull();
            expect(row.classRowScore).toBeNull();
            expect(row.overWeighted).toBeNull();
            // An AI classmate's choice is shown, marked, and never averaged in.
            expect(row.botRow).toEqual(seat.allocation);
            continue;
          }
          expect(row.classRow).toEqual(players[0].allocation);
          expect(row.classRowScore).toBe(scoreAllocation(players[0].allocation, row.modelRow));
          const { over, under } = expectedDifferences(row.classRow!, row.modelRow);
          expect(row.overWeighted?.key ?? null).toBe(over?.key ?? null);
          expect(row.underWeighted?.key ?? null).toBe(under?.key ?? null);
          if (over) expect(row.overWeighted!.difference).toBeCloseTo(over.difference, 12);
          if (under) expect(row.underWeighted!.difference).toBeCloseTo(under.difference, 12);
        }
      }
      // Students take the seating plan's first three seats (the star first); every other row is an AI classmate's.
      const planned = seatingPlan(testLesson, computeCards(testLesson), results.options).forStudents.slice(0, 3);
      const rows = round.heads.flatMap((h) => h.rows.map((row) => ({ ...row, seat: h.head * testLesson.tokens.length + row.token })));
      expect(rows.filter((row) => row.students === 1).map((row) => row.seat).sort()).toEqual([...planned].sort());
      expect(rows.filter((row) => row.students === 0).every((row) => row.playedByBot && row.classRow === null)).toBe(true);
      expect(rows.filter((row) => row.overWeighted !== null && row.underWeighted !== null)).toHaveLength(3);
    }
  });

  it('reports every student: score per round, allocation against the truth, cosine, over-weighted key', () => {
    expect(review.students.map((s) => s.nickname)).toEqual(['p1', 'p2', 'p3']);
    for (const report of review.students) {
      const player = state.players.find((p) => p.id === report.playerId)!;
      expect(report.total).toBe(player.total);
      expect(report.total).toBe(report.rounds.reduce((sum, r) => sum + r.score + r.bonus, 0));
      expect(report.rounds.map((r) => r.round)).toEqual([1, 2]);
      for (const r of report.rounds) {
        const result = state.history[r.round - 1].players.find((p) => p.playerId === report.playerId)!;
        expect(r).toEqual({
          round: r.round,
          seat: result.seat,
          token: result.token,
          head: result.head,
          score: result.score,
          bonus: result.bonus,
          allocation: result.allocation,
          trueRow: result.trueRow,
          cosine: result.cosine,
          overWeighted: result.overWeighted,
          touched: result.touched,
          foundTopKey: result.foundTopKey,
          topKeyPoints: result.topKeyPoints,
          spreadPoints: result.spreadPoints,
          verdict: expect.stringContaining(state.lesson.tokens[result.token]),
          moved: result.touched,
          lockedIn: false,
          lockedInAt: null,
          lockedAfterMs: null,
        });
        expect(r.topKeyPoints + r.spreadPoints).toBe(r.score);
      }
      expect(report.realName).toBeUndefined();
    }
    expect(review.hasRealNames).toBe(false);
  });

  it('is plain JSON that shares nothing with the state', () => {
    const copy = JSON.parse(JSON.stringify(review)) as unknown;
    expect(copy).toEqual(review);
    review.rounds[0].heads[0].rows[0].modelRow[0] = 42;
    expect(state.history[0].truth.heads[0].weights[0][0]).not.toBe(42);
  });
});

describe('teams and kicks', () => {
  it('averages a team’s allocations into the class row, each member counted', () => {
    const state = playedSession(oneHeadLesson, 6, 1);
    const review = buildReview(state);
    const rows = review.rounds[0].heads[0].rows;
    expect(rows.map((r) => r.students).sort()).toEqual([1, 1, 2, 2]);
    for (const row of rows) {
      const members = state.history[0].players.filter((p) => p.token === row.token);
      const mean = members[0].allocation.map((_, j) => members.reduce((sum, p) => sum + p.allocation[j], 0) / members.length);
      row.classRow!.forEach((w, j) => expect(w).toBeCloseTo(mean[j], 12));
    }
  });

  it('keeps a kicked student’s report but not on the leaderboard', () => {
    const world = new World(7);
    let state = playedSession(oneHeadLesson, 3, 1, { world });
    state = run(state, { type: 'teacher:kick', playerId: 'p2', by: teacher }, world);
    const review = buildReview(state);
    expect(review.leaderboard.map((s) => s.playerId)).not.toContain('p2');
    const kicked = review.students.find((s) => s.playerId === 'p2')!;
    expect(kicked).toMatchObject({ kicked: true, rank: null });
    expect(kicked.rounds).toHaveLength(1);
  });
});

describe('a session still running', () => {
  it('reviews only the revealed rounds, so the current round’s answer cannot show', () => {
    const world = new World(3);
    let state: GameState = playedSession(oneHeadLesson, 2, 1, { world });
    state = run(state, { type: 'teacher:next-round', by: teacher }, world);
    expect(state.round?.number).toBe(2);
    const review = buildReview(state);
    expect(review.rounds.map((r) => r.round)).toEqual([1]);
    expect(review.ended).toBe(false);
    for (const s of review.students) expect(s.rounds.map((r) => r.round)).toEqual([1]);
  });

  it('has an empty review before the first reveal', () => {
    const review = buildReview(playedSession(oneHeadLesson, 2, 0));
    expect(review.rounds).toEqual([]);
    expect(review.lastRevealedAt).toBeNull();
    expect(review.leaderboard.every((s) => s.total === 0)).toBe(true);
  });
});

describe('real names', () => {
  it('are read from a stored player that has one, and only the teacher’s review carries them', () => {
    const state = playedSession(oneHeadLesson, 2, 1, { end: true });
    const withNames = structuredClone(state);
    Object.assign(withNames.players[0], { realName: '  Ada Lovelace ' });
    Object.assign(withNames.players[1], { realName: '   ' });
    expect(realNameOf(withNames.players[0])).toBe('Ada Lovelace');
    expect(realNameOf(withNames.players[1])).toBeNull();
    const review = buildReview(withNames);
    expect(review.hasRealNames).toBe(true);
    expect(review.students[0].realName).toBe('Ada Lovelace');
    expect('realName' in review.students[1]).toBe(false);
    const mine = studentReview(review, withNames.players[0].id)!;
    expect(JSON.stringify(mine)).not.toContain('Lovelace');
  });
});

describe('studentReview', () => {
  const state = playedSession(testLesson, 3, 2, { end: true });
  const review = buildReview(state);

  it('holds the student’s own report, the class scores and the leaderboard without ids', () => {
    const mine = studentReview(review, 'p2')!;
    expect(mine.kind).toBe('student');
    expect(mine.me).toEqual(review.students.find((s) => s.playerId === 'p2'));
    expect(mine.rounds).toEqual(review.rounds.map((r) => ({ round: r.round, options: r.options, classScore: r.classScore })));
    expect(mine.leaderboard?.map((s) => s.nickname)).toEqual(review.leaderboard.map((s) => s.nickname));
    expect(mine.leaderboard?.filter((s) => s.isMe).map((s) => s.nickname)).toEqual(['p2']);
    expect(mine.podium).toHaveLength(3);
    const json = JSON.stringify(mine);
    // Nothing of the other students but their nickname and total: no ids, no allocations.
    for (const other of ['p1', 'p3']) expect(json).not.toContain(`"playerId":"${other}"`);
    expect(json).not.toContain('classRow');
    expect(json).not.toContain('botRow');
    for (const other of review.students.filter((s) => s.playerId !== 'p2')) {
      for (const r of other.rounds) expect(json).not.toContain(JSON.stringify(r.allocation));
    }
  });

  it('hides the leaderboard and the rank when the teacher says so', () => {
    const hidden = studentReview(buildReview(state, { leaderboardHidden: true }), 'p1')!;
    expect(hidden.leaderboardHidden).toBe(true);
    expect(hidden.leaderboard).toBeNull();
    expect(hidden.podium).toBeNull();
    expect(hidden.me.rank).toBeNull();
    expect(hidden.me.total).toBe(review.students[0].total);
  });

  it('is null for someone who is not in the session', () => {
    expect(studentReview(review, 'nobody')).toBeNull();
  });
});

describe('summarizeReview', () => {
  it('gives one line for a session history', () => {
    const state = playedSession(testLesson, 3, 2, { end: true });
    const summary = summarizeReview(state);
    const top = standings(state)[0];
    expect(summary).toEqual({
      sessionId: 's1',
      code: 'ACEFHJ',
      lessonId: testLesson.id,
      lessonTitle: testLesson.title,
      phase: 'ended',
      ended: true,
      createdAt: state.createdAt,
      lastRevealedAt: state.history[1].revealedAt,
      students: 3,
      rounds: 2,
      meanClassScore: ((state.history[0].classScore ?? 0) + (state.history[1].classScore ?? 0)) / 2,
      winner: { nickname: top.nickname, total: top.total },
    });
    expect(summarizeReview(playedSession(testLesson, 1, 0)).winner).toBeNull();
  });
});
