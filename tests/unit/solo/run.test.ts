import { describe, expect, it } from 'vitest';
import { scoreAllocation, uniformAllocation } from '../../../lib/game';
import {
  LEARNER,
  allocate,
  askForHelp,
  finishRun,
  learnerSeat,
  lockIn,
  nextRound,
  soloRunView,
  startRun,
  type SoloRun,
} from '../../../lib/solo';
import { contexts, lesson, settle, trueRowOf } from './fixtures';

const place = { number: 2, count: 8 };

function start(lessonId: string, mode: 'token' | 'sentence' = 'token', seat?: { token: number; head: number }) {
  const ctx = contexts();
  const run = settle(startRun({ id: 'run-1', learnerId: 'learner-abc', lesson: lesson(lessonId), mode, seat }, ctx()), ctx);
  return { run, ctx };
}

/** Locks in an allocation and returns the revealed run. */
function play(run: SoloRun, ctx: ReturnType<typeof contexts>, weights: number[]): SoloRun {
  return settle(lockIn(run, run.game.round!.number, weights, ctx()), ctx);
}

describe('a solo run', () => {
  it('seats the learner on the level’s key row with AI classmates everywhere else, ready to play', () => {
    const { run } = start('the-cat-sat');
    expect(learnerSeat(run.game)).toEqual({ token: 2, head: 0 });
    expect(run.game.phase).toBe('negotiate');
    expect(run.game.players.map((p) => p.id)).toEqual([LEARNER]);
    const others = run.game.round!.seats.filter((s) => !s.members.includes(LEARNER));
    expect(others).toHaveLength(5);
    // The AI classmates have chosen (the model has answered) but nobody may see it yet.
    expect(others.every((s) => s.botAllocation !== null)).toBe(true);
    const view = soloRunView(run, place);
    expect(view.stage).toBe('play');
    expect(view.seat).toEqual({ token: 2, head: 0, key: true });
    // Every key card is on the table: AI classmates share theirs at once.
    expect(view.student.seat?.keys.every((k) => k !== null)).toBe(true);
    expect(view.student.seat?.allocation).toEqual(uniformAllocation(2, 6, false));
    expect(view.reveal).toBeNull();
    expect(view.help?.offers.map((o) => o.kind)).toContain('softmax');
    expect(view.progress).toMatchObject({ levelScore: null, canFinish: false, keySeatsLeft: [{ token: 2, head: 0 }] });
  });

  it('sends no model attention before the reveal, unless the learner paid for the softmax', () => {
    const { run, ctx } = start('the-cat-sat');
    const truth = trueRowOf(run, 2, 0);
    const hasTruth = (value: unknown) => {
      const text = JSON.stringify(value);
      return truth.filter((w) => w > 0.01).some((w) => text.includes(String(w)));
    };
    expect(JSON.stringify(soloRunView(run, place))).not.toContain('"server"');
    expect(hasTruth(soloRunView(run, place))).toBe(false);
    const withDots = settle(askForHelp(run, 1, { kind: 'dot-products' }, ctx()), ctx);
    expect(hasTruth(soloRunView(withDots, place))).toBe(false);
    const withSoftmax = settle(askForHelp(withDots, 1, { kind: 'softmax' }, ctx()), ctx);
    const help = soloRunView(withSoftmax, place).help!;
    expect(help.softmax?.rows.map((r) => r.weight)).toEqual(truth);
    expect(help.spent).toBe(6 * 10 + 150);
  });

  it('scores the learner with the game core and keeps help off the points', () => {
    const { run: started, ctx } = start('the-cat-sat');
    const truth = trueRowOf(started, 2, 0);
    let run = settle(askForHelp(started, 1, { kind: 'dot-products', token: 1 }, ctx()), ctx);
    run = settle(askForHelp(run, 1, { kind: 'blend' }, ctx()), ctx);
    const mine = [0, 0.7, 0.1, 0, 0, 0.2];
    run = settle(allocate(run, 1, mine, ctx()), ctx);
    // cat's value (2, 0) and mat's (0, 2): 0.7 × (2, 0) + 0.2 × (0, 2).
    const blend = soloRunView(run, place).help?.blend?.output ?? [];
    expect(blend[0]).toBeCloseTo(1.4, 12);
    expect(blend[1]).toBeCloseTo(0.4, 12);
    run = settle(lockIn(run, 1, undefined, ctx()), ctx);
    const score = scoreAllocation(mine, truth);
    expect(run.rounds).toEqual([
      {
        round: 1,
        token: 2,
        head: 0,
        key: true,
        settingsChanged: false,
        options: { scale: true, temperature: 1, causal: false },
        score,
        helpSpent: 30,
        net: score - 30,
        allocation: mine,
        trueRow: truth,
      },
    ]);
    const view = soloRunView(run, place);
    expect(view.stage).toBe('revealed');
    expect(view.reveal).toMatchObject({ score, helpSpent: 30, net: score - 30, key: true });
    expect(view.reveal?.lessonSays).toBe(lesson('the-cat-sat').steps.reveal);
    // The classroom's sentence, about the learner's own word (sat) and its top key (cat).
    expect(view.reveal?.verdict).toMatch(/sat/);
    expect(view.reveal?.verdict).toMatch(/cat/);
    expect(view.reveal?.goals).toHaveLength(3);
    expect(view.reveal?.classmates?.count).toBe(5);
    expect(view.reveal?.workings?.softmax.rows.map((r) => r.weight)).toEqual(truth);
    expect(view.student.result).toMatchObject({ score, allocation: mine, trueRow: truth });
    expect(view.help).toBeNull();
    expect(view.progress).toMatchObject({ levelScore: score - 30, canFinish: true, finishHint: null });
  });

  it('lets the learner choose another token, which is practice: the key row’s best is the level score', () => {
    const { run: started, ctx } = start('the-cat-sat');
    const truth = trueRowOf(started, 2, 0);
    let run = play(started, ctx, truth);
    expect(run.rounds[0]).toMatchObject({ score: 1000, net: 1000 });
    expect(nextRound(run, undefined, ctx())).toMatchObject({ ok: false, error: { code: 'request/invalid' } });
    run = settle(nextRound(run, { token: 0, head: 0 }, ctx()), ctx);
    expect(learnerSeat(run.game)).toEqual({ token: 0, head: 0 });
    expect(soloRunView(run, place).seat).toEqual({ token: 0, head: 0, key: false });
    run = play(run, ctx, [1, 0, 0, 0, 0, 0]);
    expect(run.rounds[1]).toMatchObject({ token: 0, key: false });
    const view = soloRunView(run, place);
    expect(view.progress.levelScore).toBe(1000);
    expect(view.choices.find((c) => c.token === 0)?.best).toBe(run.rounds[1].net);
    expect(view.choices.find((c) => c.token === 2)).toMatchObject({ key: true, best: 1000 });
    const finished = settle(finishRun(run, ctx()), ctx);
    expect(finished.finished).toMatchObject({ score: 1000, stars: 3, sentenceScore: null });
    const done = soloRunView(finished, place);
    expect(done.stage).toBe('finished');
    expect(done.finished?.model[0].weights[2]).toEqual(truth);
    expect(done.finished?.wrapUp).toBe(lesson('the-cat-sat').steps.wrapUp);
    expect(nextRound(finished, { token: 1, head: 0 }, ctx())).toMatchObject({ ok: false, error: { code: 'solo/run-finished' } });
    expect(finishRun(finished, ctx())).toMatchObject({ ok: false, error: { code: 'solo/run-finished' } });
  });

  it('will not finish before every key row is played', () => {
    const { run: started, ctx } = start('recurrent-bottleneck', 'token', { token: 0, head: 0 });
    let run = play(started, ctx, uniformAllocation(0, 14, false));
    // Tomás’s query is all zero: an even row, nothing to find, the spread’s 500 at most.
    expect(run.rounds[0]).toMatchObject({ score: 500, key: false });
    const refused = finishRun(run, ctx());
    expect(refused).toMatchObject({ ok: false, error: { code: 'solo/not-done' } });
    expect(!refused.ok && refused.error.message).toContain('“Portuguese” and “he”');
    run = settle(nextRound(run, { token: 13, head: 0 }, ctx()), ctx);
    run = play(run, ctx, uniformAllocation(13, 14, false));
    expect(soloRunView(run, place).progress.finishHint).toContain('“he”');
    run = settle(nextRound(run, { token: 9, head: 0 }, ctx()), ctx);
    run = play(run, ctx, trueRowOf(run, 9, 0));
    const finished = settle(finishRun(run, ctx()), ctx);
    const portuguese = run.rounds[1].net;
    expect(finished.finished?.score).toBe(Math.round((portuguese + 1000) / 2));
  });

  it('refuses moves out of turn and leaves the run as it was', () => {
    const { run, ctx } = start('the-cat-sat');
    expect(allocate(run, 1, [1, 0, 0, 0, 0], ctx())).toMatchObject({ ok: false, error: { code: 'request/invalid' } });
    expect(allocate(run, 1, [0.5, 0.6, 0, 0, 0, 0], ctx())).toMatchObject({ ok: false, error: { code: 'attention/not-a-distribution' } });
    expect(allocate(run, 2, uniformAllocation(2, 6, false), ctx())).toMatchObject({ ok: false, error: { code: 'round/stale' } });
    expect(nextRound(run, { token: 1, head: 0 }, ctx())).toMatchObject({ ok: false, error: { code: 'round/wrong-phase' } });
    expect(finishRun(run, ctx())).toMatchObject({ ok: false, error: { code: 'solo/not-done' } });
    expect(askForHelp(run, 1, { kind: 'dot-products', token: 9 }, ctx())).toMatchObject({ ok: false, error: { code: 'solo/help-invalid' } });
    const revealed = play(run, ctx, uniformAllocation(2, 6, false));
    expect(askForHelp(revealed, 1, { kind: 'blend' }, ctx())).toMatchObject({ ok: false, error: { code: 'round/wrong-phase' } });
    expect(lockIn(revealed, 1, undefined, ctx())).toMatchObject({ ok: false });
    expect(startRun({ id: 'x', learnerId: 'l', lesson: lesson('the-cat-sat'), mode: 'token', seat: { token: 6, head: 0 } }, ctx())).toMatchObject({
      ok: false,
      error: { code: 'request/invalid' },
    });
    expect(run.rounds).toEqual([]);
  });

  it('keeps the causal mask: later tokens are out of reach and out of the help', () => {
    const { run, ctx } = start('causal-mask');
    expect(learnerSeat(run.game)).toEqual({ token: 7, head: 0 });
    expect(soloRunView(run, place).student.seat?.allowedTokens).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    const later = [0, 0, 0, 0, 0, 0, 0, 0.5, 0.5];
    expect(allocate(run, 1, later, ctx())).toMatchObject({ ok: false, error: { code: 'attention/causal-violation' } });
    const helped = settle(askForHelp(run, 1, { kind: 'softmax' }, ctx()), ctx);
    expect(soloRunView(helped, place).help?.softmax?.masked).toEqual([8]);
  });

  it('plays the multi-head level’s word once in each head', () => {
    const { run: started, ctx } = start('multi-head');
    let run = play(started, ctx, trueRowOf(started, 7, 0));
    expect(soloRunView(run, place).progress.keySeatsLeft).toEqual([{ token: 7, head: 1 }]);
    run = settle(nextRound(run, { token: 7, head: 1 }, ctx()), ctx);
    expect(learnerSeat(run.game)).toEqual({ token: 7, head: 1 });
    run = play(run, ctx, trueRowOf(run, 7, 1));
    expect(run.rounds.map((r) => [r.head, r.score])).toEqual([
      [0, 1000],
      [1, 1000],
    ]);
    expect(settle(finishRun(run, ctx()), ctx).finished?.stars).toBe(3);
  });
});

describe('the knobs', () => {
  it('let the learner turn what the lesson allows; such a round is practice, even on the star word', () => {
    const { run: started, ctx } = start('the-cat-sat');
    let run = play(started, ctx, uniformAllocation(2, 6, false));
    const firstNet = run.rounds[0].net;
    run = settle(nextRound(run, { token: 2, head: 0 }, ctx(), { scale: false, temperature: 0.5 }), ctx);
    expect(run.game.round?.options).toEqual({ scale: false, temperature: 0.5, causal: false });
    const sharper = trueRowOf(run, 2, 0);
    expect(Math.max(...sharper)).toBeGreaterThan(0.9);
    run = play(run, ctx, sharper);
    expect(run.rounds[1]).toMatchObject({ key: false, settingsChanged: true, score: 1000, options: { scale: false, temperature: 0.5 } });
    const view = soloRunView(run, place);
    expect(view.reveal).toMatchObject({ key: false, settingsChanged: true });
    // The star word's points still come from the round with the lesson's own settings.
    expect(view.progress.levelScore).toBe(firstNet);
    // Back to the lesson's settings.
    run = settle(nextRound(run, { token: 2, head: 0 }, ctx(), { scale: true, temperature: 1 }), ctx);
    expect(run.game.round?.options).toEqual({ scale: true, temperature: 1, causal: false });
  });

  it('refuse what the lesson fixes, and the whole-sentence mode', () => {
    const { run: started, ctx } = start('recurrent-bottleneck');
    const run = play(started, ctx, uniformAllocation(13, 14, false));
    expect(nextRound(run, { token: 9, head: 0 }, ctx(), { temperature: 2 })).toMatchObject({ ok: false, error: { code: 'settings/not-adjustable' } });
    const sentence = start('the-cat-sat', 'sentence');
    const revealed = play(sentence.run, sentence.ctx, uniformAllocation(0, 6, false));
    expect(nextRound(revealed, undefined, sentence.ctx(), { scale: false })).toMatchObject({ ok: false, error: { code: 'solo/wrong-mode' } });
  });
});

describe('the whole-sentence mode', () => {
  it('fills the attention matrix row by row, scores every row and finishes after the last', () => {
    const { run: started, ctx } = start('the-cat-sat', 'sentence');
    expect(learnerSeat(started.game)).toEqual({ token: 0, head: 0 });
    expect(soloRunView(started, place).choices).toEqual([]);
    let run = started;
    for (let token = 0; token < 6; token++) {
      expect(learnerSeat(run.game)).toEqual({ token, head: 0 });
      run = play(run, ctx, uniformAllocation(token, 6, false));
      if (token < 5) {
        expect(finishRun(run, ctx())).toMatchObject({ ok: false, error: { code: 'solo/not-done' } });
        expect(nextRound(run, { token: 0, head: 0 }, ctx())).toMatchObject({ ok: false, error: { code: 'solo/wrong-mode' } });
        run = settle(nextRound(run, undefined, ctx()), ctx);
      }
    }
    expect(run.rounds.map((r) => r.token)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(nextRound(run, undefined, ctx())).toMatchObject({ ok: false, error: { code: 'solo/wrong-mode' } });
    const finished = settle(finishRun(run, ctx()), ctx);
    const mean = Math.round(run.rounds.reduce((a, r) => a + r.net, 0) / 6);
    expect(finished.finished).toMatchObject({ score: run.rounds[2].net, sentenceScore: mean });
  });

  it('refuses a chosen seat at the start', () => {
    const ctx = contexts();
    expect(startRun({ id: 'x', learnerId: 'l', lesson: lesson('the-cat-sat'), mode: 'sentence', seat: { token: 2, head: 0 } }, ctx())).toMatchObject({
      ok: false,
      error: { code: 'solo/wrong-mode' },
    });
  });
});
