'use client';

import { useId, useState } from 'react';
import { toPercents } from '../../../lib/client/allocation';
import type { SoloRunView } from '../../../lib/solo/api';
import { formatNumber } from '../../../lib/solo/explain';
import { starsFor } from '../../../lib/solo/levels';
import { BlendTable, DotProductLine, SoftmaxTable } from './Explain';
import { SeatPicker } from './SeatPicker';
import { Stars } from './Stars';

/** The attention settings of a round. */
export interface Knobs {
  scale: boolean;
  temperature: number;
  causal: boolean;
}

export interface RevealActions {
  busy: boolean;
  next(seat?: { token: number; head: number }, settings?: Partial<Knobs>): void;
  finish(nickname: string): void;
  nickname: string;
}

/** The learner's weights beside the model's, word by word, with the numbers printed. */
function RowCompare({ tokens, allowed, mine, model }: { tokens: readonly string[]; allowed: readonly number[]; mine: readonly number[]; model: readonly number[] }) {
  const minePct = toPercents(mine);
  const modelPct = toPercents(model);
  return (
    <div className="solo-compare" role="table" aria-label="Your attention and the model’s, word by word">
      <div className="solo-compare__legend" aria-hidden="true">
        <span className="solo-compare__swatch solo-compare__swatch--you" /> You
        <span className="solo-compare__swatch solo-compare__swatch--model" /> Model
      </div>
      {allowed.map((j) => (
        <div key={j} className="solo-compare__row" role="row" data-token={j}>
          <span className="solo-compare__word" role="rowheader">
            {tokens[j]}
          </span>
          <span className="solo-compare__bars" role="cell">
            <span className="solo-compare__bar solo-compare__bar--you" style={{ width: `${mine[j] * 100}%` }} />
            <span className="solo-compare__bar solo-compare__bar--model" style={{ width: `${model[j] * 100}%` }} />
          </span>
          <span className="solo-compare__numbers" role="cell">
            <span className="solo-compare__you">
              <span className="sr-only">you </span>
              {minePct[j]}%
            </span>
            <span className="solo-compare__model">
              <span className="sr-only">model </span>
              {modelPct[j]}%
            </span>
          </span>
        </div>
      ))}
    </div>
  );
}

/** Two output vectors side by side, feature by feature. */
function VectorCompare({ features, mine, model, cosine }: { features: readonly string[]; mine: readonly number[]; model: readonly number[]; cosine: number }) {
  return (
    <div className="solo-vectors">
      <div className="solo-table-scroll" tabIndex={0} role="region" aria-label="Your output and the model’s">
        <table className="solo-table">
          <caption className="sr-only">Your output and the model’s, feature by feature</caption>
          <thead>
            <tr>
              <th scope="col">Feature</th>
              <th scope="col">Your output</th>
              <th scope="col">Model’s output</th>
            </tr>
          </thead>
          <tbody>
            {features.map((feature, d) => (
              <tr key={feature}>
                <th scope="row">{feature}</th>
                <td>{formatNumber(mine[d] ?? 0)}</td>
                <td>{formatNumber(model[d] ?? 0)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="solo-cosine">
        Cosine <strong>{cosine.toFixed(2)}</strong>
        <span className="hint"> (1: the same direction, 0: unrelated; it compares direction, not length)</span>
      </p>
    </div>
  );
}

const TEMPERATURES = [0.5, 1, 2, 3];

function describeKnobs(k: Knobs): string {
  return `scaling ${k.scale ? 'on' : 'off'}, temperature ${formatNumber(k.temperature)}${k.causal ? ', causal mask on' : ''}`;
}

/** The knobs the lesson lets the learner turn for the next round. */
function KnobPanel({ adjustable, lesson, value, onChange }: { adjustable: { [K in keyof Knobs]: boolean }; lesson: Knobs; value: Knobs; onChange: (next: Knobs) => void }) {
  const id = useId();
  const changed = value.scale !== lesson.scale || value.temperature !== lesson.temperature || value.causal !== lesson.causal;
  return (
    <fieldset className="solo-knobs">
      <legend className="solo-picker__legend">Turn the model’s knobs (optional)</legend>
      <p className="hint">
        The lesson plays with {describeKnobs(lesson)}. Change a knob and play a word again to see how the model’s answer moves. A round with the knobs
        turned is practice: it does not change your stars.
      </p>
      <div className="solo-knobs__row">
        {adjustable.scale && (
          <label className="solo-knob">
            <input type="checkbox" checked={value.scale} onChange={(e) => onChange({ ...value, scale: e.target.checked })} />
            Divide by √d_k (scaling)
          </label>
        )}
        {adjustable.temperature && (
          <label className="solo-knob" htmlFor={`${id}-t`}>
            Temperature
            <select id={`${id}-t`} className="solo-select" value={value.temperature} onChange={(e) => onChange({ ...value, temperature: Number(e.target.value) })}>
              {[...new Set([...TEMPERATURES, value.temperature, lesson.temperature])]
                .sort((a, b) => a - b)
                .map((t) => (
                  <option key={t} value={t}>
                    {formatNumber(t)}
                    {t === lesson.temperature ? ' (the lesson’s)' : ''}
                  </option>
                ))}
            </select>
          </label>
        )}
        {adjustable.causal && (
          <label className="solo-knob">
            <input type="checkbox" checked={value.causal} onChange={(e) => onChange({ ...value, causal: e.target.checked })} />
            Causal mask (only look back)
          </label>
        )}
        {changed && (
          <button type="button" className="button button--quiet button--compact" onClick={() => onChange(lesson)}>
            Back to the lesson’s settings
          </button>
        )}
      </div>
    </fieldset>
  );
}

/** After the reveal: the score, what the model did and why, the outputs, the free workings, and what next. */
export function RevealPanel({ view, actions, headingRef }: { view: SoloRunView; actions: RevealActions; headingRef: React.Ref<HTMLHeadingElement> }) {
  const idBase = useId();
  const reveal = view.reveal;
  const result = view.student.result;
  const seat = view.student.seat;
  const firstLeft = view.progress.keySeatsLeft[0];
  const suggestion =
    firstLeft ??
    view.choices.find((c) => c.best === null && !(c.token === reveal?.token && c.head === reveal?.head)) ??
    view.choices[0] ?? { token: 0, head: 0 };
  const [picked, setPicked] = useState<{ token: number; head: number } | null>(null);
  const [nickname, setNickname] = useState(actions.nickname);
  const current: Knobs = {
    scale: view.student.round?.scale ?? view.level.options.scale,
    temperature: view.student.round?.temperature ?? view.level.options.temperature,
    causal: view.student.round?.causal ?? view.level.options.causal,
  };
  const [knobs, setKnobs] = useState<Knobs>(current);
  if (!reveal || !result || !seat) return null;
  const { tokens, heads } = view.level;
  const head = heads[reveal.head];
  const next = picked ?? suggestion;
  const sentenceNext = view.mode === 'sentence' && view.progress.rowsLeft > 0;
  const rowsDone = view.rounds.length;
  const rowsTotal = rowsDone + view.progress.rowsLeft;
  const nextRow = sentenceNext ? view.level.tokens[rowsDone % tokens.length] : null;
  const canTurn = view.mode === 'token' && (view.level.adjustable.scale || view.level.adjustable.temperature || view.level.adjustable.causal);
  const turned: Partial<Knobs> = {};
  for (const key of ['scale', 'temperature', 'causal'] as const) if (knobs[key] !== current[key]) Object.assign(turned, { [key]: knobs[key] });

  return (
    <div className="solo-reveal">
      <section className="panel solo-score" aria-labelledby={`${idBase}-score`}>
        <p className="eyebrow">
          Round {reveal.round} · {reveal.key ? '★ star word' : reveal.settingsChanged ? `practice: ${describeKnobs(reveal.options)}` : 'practice word'}
        </p>
        <h2 id={`${idBase}-score`} ref={headingRef} tabIndex={-1} className="solo-score__title">
          <span className="solo-score__points">{reveal.net}</span> points for “{tokens[reveal.token]}”
        </h2>
        <p className="verdict" data-verdict>
          {reveal.verdict}
        </p>
        <p className="solo-score__detail">
          {reveal.helpSpent > 0 ? (
            <>
              Score {reveal.score} − help {reveal.helpSpent} = <strong>{reveal.net}</strong>.{' '}
            </>
          ) : (
            <>No help taken. </>
          )}
          {reveal.key ? (
            <>
              On its own this row would earn <Stars stars={starsFor(reveal.net)} />.
            </>
          ) : (
            <>Practice rounds do not change your stars.</>
          )}
        </p>
        {reveal.classmates && (
          <p className="hint">
            Your {reveal.classmates.count} AI classmates averaged {reveal.classmates.meanScore} points on their words.
          </p>
        )}
      </section>

      <section className="panel" aria-labelledby={`${idBase}-compare`}>
        <h2 id={`${idBase}-compare`}>Where you looked, and where the model looked</h2>
        <RowCompare tokens={tokens} allowed={seat.allowedTokens} mine={result.allocation} model={result.trueRow} />
      </section>

      <section className="panel panel--tinted" aria-labelledby={`${idBase}-why`}>
        <h2 id={`${idBase}-why`}>What the model did, and why</h2>
        <ul className="solo-sentences">
          {reveal.sentences.map((sentence) => (
            <li key={sentence}>{sentence}</li>
          ))}
        </ul>
        <div className="solo-lesson-says">
          <p className="solo-lesson-says__label">In the lesson’s words</p>
          <p>{reveal.lessonSays}</p>
        </div>
        <details className="solo-details">
          <summary>What this lesson wants you to notice</summary>
          <ul className="goals">
            {reveal.goals.map((goal) => (
              <li key={goal}>{goal}</li>
            ))}
          </ul>
        </details>
      </section>

      <section className="panel" aria-labelledby={`${idBase}-output`}>
        <h2 id={`${idBase}-output`}>What your word passes on</h2>
        <p className="hint">
          A word’s output is the blend of the values it listens to. Yours used your weights; the model’s used its own. The closer the two, the closer
          your word’s new meaning is to the model’s.
        </p>
        <VectorCompare features={head.valueFeatures} mine={result.output} model={result.trueOutput} cosine={result.cosine} />
      </section>

      {reveal.workings && (
        <section className="panel" aria-labelledby={`${idBase}-workings`}>
          <h2 id={`${idBase}-workings`}>How the model got its numbers</h2>
          <p className="hint">Free now that the round is over: the same three steps the model takes, with your cards.</p>
          <details className="solo-details">
            <summary>1. Dot products: your query with every key</summary>
            <ul className="solo-dots">
              {reveal.workings.dotProducts.map((d) => (
                <li key={d.token}>
                  <span className="solo-dots__word">{tokens[d.token]}</span> <DotProductLine explanation={d} />
                </li>
              ))}
            </ul>
          </details>
          <details className="solo-details">
            <summary>2. Softmax: scores into percentages</summary>
            <SoftmaxTable explanation={reveal.workings.softmax} tokens={tokens} mine={result.allocation} />
          </details>
          <details className="solo-details">
            <summary>3. The blend: weights times values</summary>
            <BlendTable blend={reveal.workings.trueBlend} tokens={tokens} features={head.valueFeatures} label="The model’s blend of values" />
            <BlendTable blend={reveal.workings.blend} tokens={tokens} features={head.valueFeatures} label="Your blend of values" />
          </details>
        </section>
      )}

      <section className="panel solo-next" aria-labelledby={`${idBase}-next`}>
        <h2 id={`${idBase}-next`}>What next?</h2>
        {view.mode === 'token' && (
          <>
            <SeatPicker
              choices={view.choices}
              tokens={tokens}
              heads={heads}
              selected={next}
              onSelect={setPicked}
              legend={firstLeft ? 'Play another word (the starred one is still needed for your stars)' : 'Play another word, or finish below'}
            />
            {canTurn && <KnobPanel adjustable={view.level.adjustable} lesson={view.level.options} value={knobs} onChange={setKnobs} />}
            <button type="button" className="button solo-next__go" disabled={actions.busy} onClick={() => actions.next(next, turned)}>
              Play “{tokens[next.token]}”{heads.length > 1 ? ` (${heads[next.head].name})` : ''}
            </button>
          </>
        )}
        {sentenceNext && (
          <p>
            <button type="button" className="button" disabled={actions.busy} onClick={() => actions.next()}>
              Next row: “{nextRow}” ({rowsDone + 1} of {rowsTotal})
            </button>
          </p>
        )}
        <div className="solo-finish-box">
          {view.progress.canFinish ? (
            <>
              <p>
                Level score so far: <strong>{view.progress.levelScore}</strong> <Stars stars={view.progress.stars} />
                {view.mode === 'token' && ' — the best points on each star word, averaged.'}
              </p>
              <label className="solo-nickname__label" htmlFor={`${idBase}-nickname`}>
                Name on the leaderboard <span className="solo-optional">(optional)</span>
              </label>
              <div className="solo-nickname__row">
                <input
                  id={`${idBase}-nickname`}
                  className="solo-input"
                  value={nickname}
                  maxLength={20}
                  placeholder="leave empty to stay private"
                  onChange={(e) => setNickname(e.target.value)}
                />
                <button type="button" className="button button--compact" disabled={actions.busy} onClick={() => actions.finish(nickname)}>
                  Finish level
                </button>
              </div>
            </>
          ) : (
            <p className="hint">{view.progress.finishHint}</p>
          )}
        </div>
      </section>
    </div>
  );
}
