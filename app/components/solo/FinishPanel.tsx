'use client';

import Link from 'next/link';
import { useId } from 'react';
import type { SoloRunView } from '../../../lib/solo/api';
import { STAR_THRESHOLDS } from '../../../lib/solo/levels';
import { AttentionHeatmap } from '../AttentionHeatmap';
import { SoloLeaderboard } from './SoloLeaderboard';
import { Stars } from './Stars';

/** Scores for the heatmap: only where the causal mask hides a key matters (null). */
function maskOf(size: number, causal: boolean): (number | null)[][] {
  return Array.from({ length: size }, (_, q) => Array.from({ length: size }, (_, k) => (causal && k > q ? null : 0)));
}

/** The level is over: the score and stars, what opened, the lesson's wrap-up, the model's whole attention, the leaderboard. */
export function FinishPanel({ view, onAgain, headingRef }: { view: SoloRunView; onAgain: () => void; headingRef: React.Ref<HTMLHeadingElement> }) {
  const idBase = useId();
  const finished = view.finished;
  if (!finished) return null;
  const { tokens, heads, options } = view.level;
  const nextStar = STAR_THRESHOLDS.find((t) => t > finished.score);
  const mine = view.mode === 'sentence' ? heads.map((_, h) => tokens.map((_, t) => view.rounds.find((r) => r.head === h && r.token === t)?.allocation ?? [])) : null;

  return (
    <div className="solo-finish">
      <section className="panel panel--tinted solo-finish__hero" aria-labelledby={`${idBase}-done`}>
        <p className="eyebrow">
          Level {view.level.number} complete
        </p>
        <h2 id={`${idBase}-done`} ref={headingRef} tabIndex={-1} className="solo-score__title">
          <span className="solo-score__points">{finished.score}</span> points
        </h2>
        <Stars stars={finished.stars} size="large" />
        <p>
          {finished.previousBest === null
            ? 'Your first finish of this level.'
            : finished.improved
              ? `A new best: up from ${Math.round(finished.previousBest)}.`
              : `Your best stays ${Math.round(finished.previousBest)}.`}{' '}
          {nextStar !== undefined && `${nextStar - finished.score} more points would earn the next star.`}
          {finished.sentenceScore !== null && ` Across the whole sentence you averaged ${finished.sentenceScore} points a row.`}
        </p>
        {finished.nickname && <p className="hint">Saved on the leaderboard as {finished.nickname}.</p>}
        <div className="solo-finish__buttons">
          {finished.nextLevel?.unlocked && (
            <Link href={`/solo/${finished.nextLevel.lessonId}`} className="button">
              Next level: {finished.nextLevel.title} →
            </Link>
          )}
          {finished.nextLevel && !finished.nextLevel.unlocked && (
            <p className="solo-error">Level {view.level.number + 1} opens at {STAR_THRESHOLDS[0]} points. Try again: the reveals show exactly where the model looked.</p>
          )}
          {!finished.nextLevel && <p>That was the last level. Well done!</p>}
          <button type="button" className="button button--quiet" onClick={onAgain}>
            Play this level again
          </button>
          <Link href="/solo" className="button button--quiet">
            Back to the path
          </Link>
        </div>
      </section>

      <section className="panel" aria-labelledby={`${idBase}-wrap`}>
        <h2 id={`${idBase}-wrap`}>What it means</h2>
        <p>{finished.wrapUp}</p>
      </section>

      <section className="panel" aria-labelledby={`${idBase}-model`}>
        <h2 id={`${idBase}-model`}>The model’s attention, every word</h2>
        <p className="hint">Now that the level is over, here is where every word of the sentence looks.</p>
        {finished.model.map((head, h) => (
          <div key={head.name} className="solo-finish__map">
            {finished.model.length > 1 && <h3>Head “{head.name}”</h3>}
            <AttentionHeatmap head={head.name} tokens={tokens} weights={head.weights} scores={maskOf(tokens.length, options.causal)} />
            {mine && mine[h].every((row) => row.length > 0) && (
              <details className="solo-details">
                <summary>Your matrix, row by row</summary>
                <AttentionHeatmap head={`${head.name}-yours`} tokens={tokens} weights={mine[h]} scores={maskOf(tokens.length, options.causal)} />
              </details>
            )}
          </div>
        ))}
      </section>

      <div className="panel">
        <SoloLeaderboard lessonId={view.level.lessonId} highlight={finished.nickname} refresh={1} />
      </div>
    </div>
  );
}
