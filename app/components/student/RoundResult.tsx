'use client';

import { animate, motion, useMotionValue, useReducedMotion, useTransform } from 'framer-motion';
import { useEffect } from 'react';
import { toPercents } from '../../../lib/client';
import type { PlayerResultView, StudentView } from '../../../lib/protocol';
import { cosineWords, formatNumber, listNames, points, stepText, tokenName } from './text';

/** The score counting up from 0 (straight to the number when motion is reduced). */
function ScoreCountUp({ score }: { score: number }) {
  const reduceMotion = useReducedMotion();
  const value = useMotionValue(0);
  const shown = useTransform(value, (v) => String(Math.round(v)));
  useEffect(() => {
    if (reduceMotion) {
      value.jump(score);
      return;
    }
    const controls = animate(value, score, { duration: 1.4, ease: [0.2, 0.7, 0.2, 1] });
    return () => controls.stop();
  }, [score, reduceMotion, value]);
  return (
    <span className="score__number">
      <motion.span aria-hidden="true">{shown}</motion.span>
      <span className="sr-only">{score}</span>
    </span>
  );
}

/** My weights beside the model's, token by token: two labelled bars, the model's hatched. */
function PairedBars({ view, result }: { view: StudentView; result: PlayerResultView }) {
  const { tokens } = view.lesson;
  const mine = toPercents(result.allocation);
  const model = toPercents(result.trueRow);
  const over = result.overWeighted?.token ?? null;
  const reduceMotion = useReducedMotion();
  const rows = tokens.map((_, j) => j).filter((j) => result.allocation[j] > 0 || result.trueRow[j] > 0);
  return (
    <table className="pairs">
      <caption>Your attention and the model’s, token by token</caption>
      <thead>
        <tr>
          <th scope="col">Token</th>
          <th scope="col">
            <span className="pairs__legend pairs__legend--you" aria-hidden="true" /> You
            <span className="pairs__legend pairs__legend--model" aria-hidden="true" /> Model
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((j, i) => (
          <tr key={`${j}-${tokens[j]}`} className={j === over ? 'is-over' : undefined}>
            <th scope="row">
              {tokenName(tokens, j)}
              {j === over && <span className="tag tag--over">over</span>}
            </th>
            <td>
              {(
                [
                  ['you', 'You', mine[j]],
                  ['model', 'Model', model[j]],
                ] as const
              ).map(([kind, label, percent]) => (
                <span key={kind} className={`pair pair--${kind}`}>
                  <span className="pair__label">{label}</span>
                  <span className="pair__track">
                    <motion.span
                      className="pair__fill"
                      initial={reduceMotion ? false : { width: 0 }}
                      animate={{ width: `${percent}%` }}
                      transition={{ duration: 0.6, delay: reduceMotion ? 0 : 0.15 + i * 0.05 }}
                    />
                  </span>
                  <span className="pair__value">{percent}%</span>
                </span>
              ))}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** My output (my weights × the values) beside the model's, and the cosine between them in words. */
function Outputs({ view, result }: { view: StudentView; result: PlayerResultView }) {
  const features = view.lesson.heads[result.head]?.valueFeatures ?? [];
  const { verdict, explanation } = cosineWords(result.cosine);
  return (
    <div className="outputs-compare">
      <h3>What you pass on</h3>
      <table className="outputs__table">
        <caption className="sr-only">Your output and the model’s output, per value feature</caption>
        <thead>
          <tr>
            <th scope="col">Feature</th>
            <th scope="col">Yours</th>
            <th scope="col">Model’s</th>
          </tr>
        </thead>
        <tbody>
          {result.output.map((x, d) => (
            <tr key={features[d] ?? d}>
              <th scope="row">{features[d] ?? `dim ${d + 1}`}</th>
              <td>{formatNumber(x)}</td>
              <td>{formatNumber(result.trueOutput[d] ?? 0)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="cosine">
        <span className="cosine__value">
          Cosine similarity <b>{formatNumber(result.cosine)}</b>
        </span>
        <span className="cosine__verdict">{verdict}</span>
      </p>
      <p className="hint">{explanation}</p>
    </div>
  );
}

/** The reveal on a student's phone: score, my split against the model's, my output, what it means. */
export function RoundResult({ view, result }: { view: StudentView; result: PlayerResultView }) {
  const { tokens } = view.lesson;
  const top = Math.max(...result.trueRow);
  // Tokens within half a point of the top share it: "cat and mat (25% each)".
  const peaks = result.trueRow.flatMap((w, j) => (top - w < 0.005 ? [j] : []));
  const reachable = result.trueRow.filter((w) => w > 0);
  // A row whose weights differ by under two points has no favourite worth naming.
  const flat = Math.max(...reachable) - Math.min(...reachable) < 0.02;
  return (
    <section className="panel result" aria-labelledby="result-title">
      <div className="score">
        <h2 id="result-title" className="eyebrow">
          Round {result.round} · your score
        </h2>
        <p className="score__line">
          <ScoreCountUp score={result.score} />
          <span className="score__max">/ 1000</span>
        </p>
        <p className="verdict" data-verdict>
          {result.verdict}
        </p>
        <p className="score__parts">
          <span className={`score__part${result.foundTopKey ? ' is-earned' : ''}`}>
            Top key <b>{result.topKeyPoints}</b>
            <span className="score__part-max">/500</span>
          </span>
          <span className="score__part">
            Spread <b>{result.spreadPoints}</b>
            <span className="score__part-max">/500</span>
          </span>
          {!result.touched && <span className="tag tag--untouched">untouched</span>}
        </p>
        {result.bonus > 0 && <p className="score__bonus">+{result.bonus} speed bonus</p>}
        <p className="hint">
          500 for giving your largest share to the model’s top key (a row with no clear favourite has none), and up to 500 for how
          much of your 100 % sits where the model’s does.
        </p>
        <p className="score__totals">
          Total <b>{view.me.total}</b>
          {view.me.rank !== null && (
            <>
              {' '}
              · rank <b>#{view.me.rank}</b>
            </>
          )}
          {view.classScore !== null && (
            <>
              {' '}
              · class average <b>{Math.round(view.classScore)}</b>
            </>
          )}
        </p>
      </div>

      <PairedBars view={view} result={result} />

      <ul className="result__facts">
        <li>
          {flat ? (
            <>The model spread its attention almost evenly: no key answered this query much better than another.</>
          ) : (
            <>
              The model listened most to <b>{listNames(peaks.map((j) => tokenName(tokens, j)))}</b> ({toPercents(result.trueRow)[peaks[0]]}%
              {peaks.length > 1 ? ' each' : ''}).
            </>
          )}
        </li>
        {result.overWeighted && result.overWeighted.by > 0.005 ? (
          <li>
            You over-weighted <b>{tokenName(tokens, result.overWeighted.token)}</b> the most: {points(result.overWeighted.by)} more than the
            model gave it.
          </li>
        ) : (
          <li>You gave no token noticeably more than the model did.</li>
        )}
      </ul>

      <Outputs view={view} result={result} />

      <div className="lesson-says">
        <h3>What just happened</h3>
        <p>{stepText(view)}</p>
      </div>
    </section>
  );
}
