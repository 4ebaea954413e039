/**
 * What a learner is sent about their run. Built on the game core's `viewFor`, so the model's answer
 * stays out until the reveal exactly as in class; the only exception is help the learner paid for (the
 * softmax help is the model's row, worked out with their own cards).
 */
import { allocationOf, revealVerdict, viewFor } from '../game';
import { allowedTokens } from '../game/seating';
import type { RoundResults } from '../game/types';
import type { SeatChoiceView, SoloFinishView, SoloHelpView, SoloLevelView, SoloRevealView, SoloRunView, SoloWorkings } from './api';
import { explainBlend, explainDotProduct, explainSoftmax, noteStory, rowSentences } from './explain';
import { helpOffers } from './help';
import { STAR_THRESHOLDS, keySeatsLeft, levelScore, sameSeat, sentenceRows, starsFor } from './levels';
import { LEARNER, finishProblem, learnerSeat, lessonOptions, rowsLeft, starRounds, type SoloRun } from './run';

/** Where the level sits on the path. */
export interface LevelPlace {
  number: number;
  count: number;
}

function levelView(run: SoloRun, place: LevelPlace): SoloLevelView {
  const { lesson } = run.game;
  return {
    lessonId: lesson.id,
    number: place.number,
    count: place.count,
    title: lesson.title,
    summary: lesson.summary,
    sentence: lesson.sentence,
    tokens: [...lesson.tokens],
    heads: lesson.heads.map((h) => ({ name: h.name, looksFor: h.looksFor, keyFeatures: [...h.keyFeatures], valueFeatures: [...h.valueFeatures] })),
    keySeats: run.keySeats.map((k) => ({ ...k })),
    thresholds: STAR_THRESHOLDS,
    steps: { intro: lesson.steps.intro, cards: lesson.steps.cards, negotiate: lesson.steps.negotiate, lock: lesson.steps.lock },
    options: lessonOptions(lesson),
    adjustable: { scale: lesson.flags.scaleAdjustable, temperature: lesson.flags.temperatureAdjustable, causal: lesson.flags.causalAdjustable },
    note: noteStory(lesson),
  };
}

/** The learner's row's cards, the keys and values of its head, and where it may look. */
function rowCards(run: SoloRun) {
  const { game } = run;
  const seat = learnerSeat(game);
  const round = game.round;
  if (!seat || !round) return null;
  const cards = game.cards[seat.head];
  const head = game.lesson.heads[seat.head];
  return {
    seat,
    round,
    query: cards.q[seat.token],
    keys: cards.k,
    values: cards.v,
    keyFeatures: head.keyFeatures,
    valueFeatures: head.valueFeatures,
    allowed: allowedTokens(seat.token, game.lesson.tokens.length, round.options.causal),
  };
}

function helpView(run: SoloRun): SoloHelpView | null {
  const row = rowCards(run);
  if (!row) return null;
  const { help } = run;
  const weights = allocationOf(row.round, LEARNER)?.weights ?? [];
  return {
    spent: help.spent,
    offers: helpOffers(help, row.allowed, run.game.lesson.tokens),
    dotProducts: help.dotProducts.map((j) => explainDotProduct(row.query, row.keys[j], row.keyFeatures, j)),
    softmax: help.softmax ? explainSoftmax(row.query, row.keys, row.round.options, row.allowed) : null,
    values: help.blend ? row.values.map((v) => [...v]) : null,
    blend: help.blend ? explainBlend(weights, row.values) : null,
  };
}

/** The free workings of a revealed row. */
export function workingsOf(run: SoloRun): SoloWorkings | null {
  const row = rowCards(run);
  const record = run.rounds.find((r) => r.round === run.game.round?.number);
  if (!row || !record) return null;
  return {
    dotProducts: row.allowed.map((j) => explainDotProduct(row.query, row.keys[j], row.keyFeatures, j)),
    softmax: explainSoftmax(row.query, row.keys, row.round.options, row.allowed),
    blend: explainBlend(record.allocation, row.values),
    trueBlend: explainBlend(record.trueRow, row.values),
  };
}

function classmates(results: RoundResults | undefined): SoloRevealView['classmates'] {
  const bots = results?.seats.filter((s) => s.playedByBot) ?? [];
  if (bots.length === 0) return null;
  return { count: bots.length, meanScore: Math.round(bots.reduce((a, s) => a + s.score, 0) / bots.length) };
}

function revealView(run: SoloRun): SoloRevealView | null {
  const { game } = run;
  if (game.phase !== 'reveal' || !game.round) return null;
  const record = run.rounds.find((r) => r.round === game.round?.number);
  const results = game.history.find((h) => h.round === game.round?.number);
  const mine = results?.players.find((p) => p.playerId === LEARNER);
  const row = rowCards(run);
  if (!record || !mine || !row) return null;
  return {
    round: record.round,
    token: record.token,
    head: record.head,
    key: record.key,
    settingsChanged: record.settingsChanged,
    options: { ...record.options },
    score: record.score,
    helpSpent: record.helpSpent,
    net: record.net,
    verdict: revealVerdict({
      tokens: game.lesson.tokens,
      token: record.token,
      headName: game.lesson.heads.length > 1 ? game.lesson.heads[record.head].name : null,
      allocation: record.allocation,
      trueRow: record.trueRow,
      touched: mine.touched,
    }),
    sentences: rowSentences({
      tokens: game.lesson.tokens,
      token: record.token,
      query: row.query,
      keys: row.keys,
      allowed: row.allowed,
      options: row.round.options,
      allocation: record.allocation,
      trueRow: record.trueRow,
      score: record.score,
      helpSpent: record.helpSpent,
      output: mine.output,
      trueOutput: mine.trueOutput,
      cosine: mine.cosine,
      valueFeatures: row.valueFeatures,
    }),
    lessonSays: game.lesson.steps.reveal,
    goals: game.lesson.goals.map((g) => g.text),
    classmates: classmates(results),
    workings: workingsOf(run),
  };
}

function choicesView(run: SoloRun): SeatChoiceView[] {
  if (run.mode === 'sentence') return [];
  return sentenceRows(run.game.lesson).map((row) => {
    const played = run.rounds.filter((r) => sameSeat(r, row));
    return {
      ...row,
      key: run.keySeats.some((k) => sameSeat(k, row)),
      best: played.length > 0 ? Math.max(...played.map((r) => r.net)) : null,
    };
  });
}

function finishView(run: SoloRun): SoloFinishView | null {
  const { finished, outcome, game } = run;
  if (!finished) return null;
  const truth = game.history.at(-1)?.truth;
  return {
    score: finished.score,
    stars: finished.stars,
    sentenceScore: finished.sentenceScore,
    previousBest: outcome?.previousBest ?? null,
    improved: outcome ? outcome.previousBest === null || finished.score > outcome.previousBest : false,
    nickname: outcome?.nickname ?? null,
    nextLevel: outcome?.nextLevel ?? null,
    wrapUp: game.lesson.steps.wrapUp,
    model: truth ? truth.heads.map((h, i) => ({ name: game.cards[i].name, weights: h.weights.map((r) => [...r]) })) : [],
  };
}

/** The learner's view of their run. */
export function soloRunView(run: SoloRun, place: LevelPlace): SoloRunView {
  const { game } = run;
  const seat = learnerSeat(game);
  const stage: SoloRunView['stage'] = run.finished
    ? 'finished'
    : game.phase === 'negotiate'
      ? 'play'
      : game.phase === 'reveal'
        ? 'revealed'
        : 'waiting';
  const score = levelScore(run.keySeats, starRounds(run));
  const hint = finishProblem(run);
  return {
    runId: run.id,
    mode: run.mode,
    level: levelView(run, place),
    student: viewFor(game, { kind: 'student', playerId: LEARNER }),
    stage,
    seat: seat ? { ...seat, key: run.keySeats.some((k) => sameSeat(k, seat)) } : null,
    help: stage === 'play' ? helpView(run) : null,
    reveal: revealView(run),
    rounds: run.rounds.map((r) => ({ ...r, allocation: [...r.allocation], trueRow: [...r.trueRow] })),
    choices: choicesView(run),
    progress: {
      levelScore: score,
      stars: score === null ? 0 : starsFor(score),
      keySeatsLeft: keySeatsLeft(run.keySeats, starRounds(run)),
      rowsLeft: rowsLeft(run).length,
      canFinish: hint === null,
      finishHint: run.finished ? null : hint,
    },
    finished: finishView(run),
  };
}
