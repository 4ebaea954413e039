'use client';

import { AnimatePresence, motion, useReducedMotion } from 'framer-motion';
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { RevealStepsView, StageView } from '../../../lib/protocol';
import { formatPercent } from '../AttentionHeatmap';
import { formatCardNumber } from '../QkvCard';
import { formatNumber } from '../student/text';
import { AttentionArcs } from './AttentionArcs';
import { FitBox } from './FitBox';
import { formatPoints, rowsByHead } from './phase';
import { Podium } from './Podium';
import { REVEAL_STEPS, STEP_LABELS, type RevealStep } from './reveal-labels';
import { play, rememberSound, soundWanted, type Cue } from './sound';
import { WeightGrid, type GridRowNote } from './WeightGrid';

/** How long the class's arcs stay before they morph into the model's. */
const MORPH_AFTER_MS = 1400;
const COUNT_FROM = 3;

function word(view: StageView, token: number): string {
  return view.lesson.tokens[token] ?? `token ${token}`;
}

function vector(values: readonly number[]): string {
  return `[${values.map((x) => formatCardNumber(x)).join(', ')}]`;
}

/** Rows of a key table: one per key the star may look at (masked keys say so). */
function KeyTable({ view, steps, columns, cells }: { view: StageView; steps: RevealStepsView; columns: string[]; cells: (k: RevealStepsView['keys'][number]) => ReactNode[] }) {
  const open = steps.keys.filter((k) => !k.masked);
  const best = Math.max(...open.map((k) => k.weight));
  return (
    <table className="reveal-table">
      <thead>
        <tr>
          <th scope="col">Key</th>
          {columns.map((c) => (
            <th key={c} scope="col">
              {c}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {steps.keys.map((k) => (
          <tr key={k.key} className={`${k.masked ? 'is-masked' : ''}${!k.masked && k.weight >= best - 1e-9 ? ' is-top' : ''}`} data-key={k.key}>
            <th scope="row">{word(view, k.key)}</th>
            {k.masked ? (
              <td colSpan={columns.length} className="reveal-table__masked">
                later in the sentence: masked
              </td>
            ) : (
              cells(k).map((cell, i) => <td key={i}>{cell}</td>)
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Bar({ share }: { share: number }) {
  return (
    <span className="reveal-bar" aria-hidden="true">
      <span className="reveal-bar__fill" style={{ width: `${Math.max(0, Math.min(1, share)) * 100}%` }} />
    </span>
  );
}

/** Every row of every head: the class beside the model (AI classmates and untouched seats marked). */
export function RevealRows({ view }: { view: StageView }) {
  const reveal = view.reveal;
  if (!reveal) return null;
  const tokens = view.lesson.tokens;
  const causal = view.round?.causal ?? false;
  const classRows = rowsByHead(reveal.seats, reveal.heads.length, tokens.length);
  return (
    <div className={`stage-reveal${reveal.heads.length > 1 ? ' stage-reveal--multi' : ''}`}>
      <div className="stage-score">
        <span className="stage-score__label">Class score</span>
        <span className="stage-score__value" data-class-score={reveal.classScore ?? ''}>
          {reveal.classScore === null ? '—' : formatPoints(reveal.classScore)}
        </span>
        <span className="stage-score__out-of">out of 1,000</span>
      </div>
      {reveal.heads.map((head, h) => {
        const seats = reveal.seats.filter((s) => s.head === h);
        const scores = tokens.map((_, t) => seats.find((s) => s.token === t)?.score ?? null);
        const notes: GridRowNote[] = tokens.map((_, t) => {
          const seat = seats.find((s) => s.token === t);
          return seat?.playedByBot ? { tag: 'AI' } : seat?.untouched ? { tag: 'untouched' } : {};
        });
        return (
          <section key={head.name} className="stage-compare" aria-label={`Class against model, head ${head.name}`}>
            {reveal.heads.length > 1 && (
              <h2 className="stage-compare__head">
                Head <span className="mono">{head.name}</span>
              </h2>
            )}
            <div className="stage-compare__pair">
              <div className="stage-compare__side">
                <h3 className="stage-compare__title">The class</h3>
                <WeightGrid
                  id={`class-${h}`}
                  caption={`Where the class looked, head ${head.name}`}
                  tokens={tokens}
                  rows={classRows[h]}
                  causal={causal}
                  notes={notes}
                  scores={scores}
                  dense={tokens.length > 10}
                />
              </div>
              <div className="stage-compare__side">
                <h3 className="stage-compare__title">The model</h3>
                <WeightGrid id={`model-${h}`} caption={`Where the model looked, head ${head.name}`} tokens={tokens} rows={head.weights} causal={causal} dense={tokens.length > 10} />
              </div>
            </div>
          </section>
        );
      })}
    </div>
  );
}

function Countdown({ count }: { count: number }) {
  const reduceMotion = useReducedMotion();
  return (
    <div className="reveal-countdown" role="status" aria-live="assertive">
      <p className="reveal-countdown__label">The model’s answer in</p>
      {/* Not popLayout: it injects a <style> element, which the pages' Content-Security-Policy refuses. */}
      <AnimatePresence mode="wait">
        <motion.p
          key={count}
          className="reveal-countdown__number"
          initial={reduceMotion ? false : { scale: 1.8, opacity: 0 }}
          animate={{ scale: 1, opacity: 1 }}
          exit={reduceMotion ? { opacity: 0 } : { scale: 0.4, opacity: 0 }}
          transition={{ duration: reduceMotion ? 0 : 0.35 }}
        >
          {count}
        </motion.p>
      </AnimatePresence>
    </div>
  );
}

function Confetti() {
  const reduceMotion = useReducedMotion();
  if (reduceMotion) return null;
  return (
    <div className="confetti" aria-hidden="true">
      {Array.from({ length: 36 }, (_, i) => (
        <span key={i} className={`confetti__piece confetti__piece--${i % 4}`} style={{ left: `${(i * 53) % 100}%`, animationDelay: `${(i % 9) * 0.17}s` }} />
      ))}
    </div>
  );
}

/** What the projector says under each step, about the star token's own numbers. */
function narration(view: StageView, steps: RevealStepsView, step: RevealStep, morphed: boolean): string {
  const me = word(view, steps.token);
  const open = steps.keys.filter((k) => !k.masked);
  const top = open.reduce((a, b) => (b.weight > a.weight ? b : a), open[0]);
  const bestDot = open.reduce((a, b) => (b.dot > a.dot ? b : a), open[0]);
  const n = view.lesson.tokens.length;
  switch (step) {
    case 'countdown':
      return `Every allocation is locked. The model is about to answer for every word at once.`;
    case 'arcs':
      return morphed ? `The model’s attention for ${me}: ${formatPercent(top.weight)} goes to ${word(view, top.key)}.` : `Where the class sent ${me}’s attention…`;
    case 'dot':
      return `${me}’s query ${vector(steps.query)} against every key: ${word(view, bestDot.key)} matches best (${formatNumber(bestDot.dot)}). That is ${open.length} dot products for ${me}; the whole class is ${steps.dotProducts} dot products, all computed at the same time.`;
    case 'scale':
      return steps.divisor === 1
        ? `Nothing to divide by this round: scaling is off and the temperature is 1.`
        : `Every dot product is divided by ${formatNumber(steps.divisor)}${steps.scale ? ` (√${steps.keyWidth}${steps.temperature !== 1 ? ` × temperature ${formatNumber(steps.temperature)}` : ''})` : ` (the temperature)`}, so one big match does not take everything.`;
    case 'softmax':
      return `Softmax turns the scores into shares of 100 %: e to the power of each score, divided by their sum. ${word(view, top.key)} gets ${formatPercent(top.weight)}.`;
    case 'blend':
      return `${me} passes on a blend of the value cards, weighted by those shares: mostly ${word(view, top.key)}’s value.`;
    case 'rows':
      return `Every row, the class beside the model: 500 points for the top key, up to 500 for the spread. ${n * n} weights in one go.`;
    case 'podium':
      return view.lesson.steps.wrapUp;
  }
}

/**
 * The projector's reveal: a 3-2-1 countdown, the class's arcs for the star token morphing into the
 * model's, then the star's own numbers step by step (q·k, ÷ √d_k and temperature, softmax, the blend
 * of values), every row class against model, and the podium. Each step fits the screen (FitBox).
 */
export function RevealShow({ view }: { view: StageView }) {
  const reduceMotion = useReducedMotion();
  const reveal = view.reveal;
  const roundNumber = reveal?.round ?? 0;
  // The teacher's last choice (from the dashboard or this screen's buttons): a stage opened mid-reveal
  // starts there, and a new choice moves it; the buttons here move this screen alone until then.
  const chosen = reveal?.step ?? 0;
  const [state, setState] = useState({ round: roundNumber, index: chosen, count: COUNT_FROM, morphed: false });
  const [followed, setFollowed] = useState({ round: roundNumber, step: chosen });
  if (followed.round !== roundNumber || followed.step !== chosen) {
    // Adjusting state while rendering, as React advises for following a prop: no effect, no flash.
    setFollowed({ round: roundNumber, step: chosen });
    setState({ round: roundNumber, index: chosen, count: COUNT_FROM, morphed: false });
  }
  // The stage renders only in the browser (it waits for its socket), so the stored choice is at hand.
  const [sound, setSound] = useState(() => typeof window !== 'undefined' && soundWanted());
  // A new round's reveal starts over from the countdown.
  const current = useMemo(
    () => (state.round === roundNumber ? state : { round: roundNumber, index: 0, count: COUNT_FROM, morphed: false }),
    [state, roundNumber],
  );
  const step = REVEAL_STEPS[current.index];
  const cue = useCallback((c: Cue) => sound && play(c), [sound]);

  // A step chosen on the dashboard sounds here like one chosen on this screen.
  const choice = `${roundNumber}:${chosen}`;
  const cuedChoice = useRef(choice);
  useEffect(() => {
    if (cuedChoice.current === choice) return;
    cuedChoice.current = choice;
    if (chosen > 0) cue(REVEAL_STEPS[chosen] === 'podium' ? 'fanfare' : 'step');
  }, [choice, chosen, cue]);

  const go = useCallback(
    (index: number) => {
      const next = Math.max(0, Math.min(REVEAL_STEPS.length - 1, index));
      setState({ round: roundNumber, index: next, count: COUNT_FROM, morphed: false });
      const nextStep = REVEAL_STEPS[next];
      cue(nextStep === 'podium' ? 'fanfare' : 'step');
    },
    [roundNumber, cue],
  );

  // The countdown runs itself, then hands over to the arcs.
  useEffect(() => {
    if (step !== 'countdown') return;
    cue('tick');
    const timer = setTimeout(() => {
      if (current.count > 1) setState({ ...current, count: current.count - 1 });
      else {
        setState({ round: roundNumber, index: 1, count: COUNT_FROM, morphed: false });
        cue('reveal');
      }
    }, 900);
    return () => clearTimeout(timer);
  }, [step, current, roundNumber, cue]);

  // The class's arcs, then the model's.
  useEffect(() => {
    if (step !== 'arcs' || current.morphed) return;
    const timer = setTimeout(() => setState({ ...current, morphed: true }), reduceMotion ? 0 : MORPH_AFTER_MS);
    return () => clearTimeout(timer);
  }, [step, current, reduceMotion]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.target instanceof HTMLElement && ['INPUT', 'TEXTAREA', 'SELECT', 'BUTTON'].includes(event.target.tagName)) return;
      if (event.key === 'ArrowRight' || event.key === ' ' || event.key === 'Enter' || event.key === 'PageDown') {
        event.preventDefault();
        go(current.index + 1);
      } else if (event.key === 'ArrowLeft' || event.key === 'PageUp') {
        go(current.index - 1);
      } else if (event.key === 's' || event.key === 'S') {
        go(REVEAL_STEPS.indexOf('rows'));
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [go, current.index]);

  if (!reveal) {
    return (
      <div className="stage-waiting" role="status">
        The model is working out its answer…
      </div>
    );
  }
  const steps = reveal.steps;
  const star = word(view, steps.token);
  const head = view.lesson.heads[steps.head];
  const starSeat = reveal.seats.find((s) => s.token === steps.token && s.head === steps.head);
  const classRow = starSeat?.allocation ?? null;
  const modelRow = reveal.heads[steps.head]?.weights[steps.token] ?? null;
  const causal = view.round?.causal ?? false;
  const maxDot = Math.max(...steps.keys.filter((k) => !k.masked).map((k) => Math.abs(k.dot)), 1e-9);
  const maxScaled = Math.max(...steps.keys.map((k) => k.scaled ?? -Infinity));
  const expTotal = steps.keys.reduce((sum, k) => sum + (k.scaled === null ? 0 : Math.exp(k.scaled - maxScaled)), 0);
  const features = head?.valueFeatures ?? [];
  const scored = (view.leaderboard ?? []).filter((e) => e.rounds > 0);
  const multiHead = view.lesson.heads.length > 1;
  const starTitle = `${star}${multiHead ? ` · head ${head?.name ?? steps.head + 1}` : ''}`;

  let body: ReactNode;
  switch (step) {
    case 'countdown':
      body = <Countdown count={current.count} />;
      break;
    case 'arcs':
      body = (
        <div className="reveal-arcs">
          <p className="reveal-arcs__who">{current.morphed ? 'The model' : starSeat?.playedByBot ? 'An AI classmate' : 'The class'}</p>
          <AttentionArcs
            id="reveal-star"
            title={`Where ${star} looks: ${current.morphed ? 'the model' : 'the class'}`}
            tokens={view.lesson.tokens}
            rows={view.lesson.tokens.map((_, t) => (t === steps.token ? (current.morphed ? modelRow : classRow) : null))}
            causal={causal}
            notes={view.lesson.tokens.map((_, t) => (t === steps.token ? { line: 'star', locked: false } : undefined))}
            tone={steps.head}
            maxVh={46}
            emptyText={current.morphed ? '' : starSeat?.untouched ? `${star}’s sliders were left untouched` : 'An even split'}
          />
        </div>
      );
      break;
    case 'dot':
      body = (
        <KeyTable
          view={view}
          steps={steps}
          columns={['key card', `query ${vector(steps.query)} · key`, '']}
          cells={(k) => [vector(k.keyCard), <b key="d">{formatNumber(k.dot)}</b>, <Bar key="b" share={Math.max(0, k.dot) / maxDot} />]}
        />
      );
      break;
    case 'scale':
      body = (
        <KeyTable
          view={view}
          steps={steps}
          columns={['q · k', `÷ ${formatNumber(steps.divisor)}`]}
          cells={(k) => [formatNumber(k.dot), <b key="s">{formatNumber(k.scaled ?? 0)}</b>]}
        />
      );
      break;
    case 'softmax':
      body = (
        <KeyTable
          view={view}
          steps={steps}
          columns={['score', 'e^(score − max)', 'share', '']}
          cells={(k) => {
            const e = k.scaled === null ? 0 : Math.exp(k.scaled - maxScaled);
            return [formatNumber(k.scaled ?? 0), formatNumber(e, 3), <b key="w">{formatPercent(k.weight)}</b>, <Bar key="b" share={e / expTotal} />];
          }}
        />
      );
      break;
    case 'blend':
      body = (
        <div className="reveal-blend">
          <table className="reveal-table">
            <thead>
              <tr>
                <th scope="col">Key</th>
                <th scope="col">share</th>
                <th scope="col">× value {features.length > 0 ? `(${features.join(', ')})` : ''}</th>
                <th scope="col">= passes on</th>
              </tr>
            </thead>
            <tbody>
              {steps.keys
                .filter((k) => !k.masked && k.weight >= 0.01)
                .sort((a, b) => b.weight - a.weight)
                .map((k) => (
                  <tr key={k.key}>
                    <th scope="row">{word(view, k.key)}</th>
                    <td>{formatPercent(k.weight)}</td>
                    <td>{vector(steps.values[k.key] ?? [])}</td>
                    <td>[{(steps.values[k.key] ?? []).map((x) => formatNumber(k.weight * x)).join(', ')}]</td>
                  </tr>
                ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row" colSpan={3}>
                  {star}’s output (every row above, and the small ones, added up)
                </th>
                <td>
                  <b>[{steps.output.map((x) => formatNumber(x)).join(', ')}]</b>
                </td>
              </tr>
            </tfoot>
          </table>
        </div>
      );
      break;
    case 'rows':
      body = <RevealRows view={view} />;
      break;
    case 'podium':
      body = (
        <div className="reveal-podium">
          <Confetti />
          {scored.length > 0 ? <Podium entries={scored} title={`After round ${reveal.round}`} /> : <p className="podium__title">No students were scored this round.</p>}
        </div>
      );
      break;
  }

  const showsStar = step === 'arcs' || step === 'dot' || step === 'scale' || step === 'softmax' || step === 'blend';
  return (
    <div className="reveal-show" data-reveal-step={step}>
      {showsStar && (
        <h2 className="reveal-show__title">
          <span className="reveal-show__eyebrow">{STEP_LABELS[step]}</span> {starTitle}
        </h2>
      )}
      <FitBox className="reveal-show__body">
        <motion.div
          key={`${step}-${current.morphed}`}
          className="reveal-show__step"
          initial={reduceMotion ? false : { opacity: 0, y: 12 }}
          animate={{ opacity: 1, y: 0 }}
          transition={{ duration: reduceMotion ? 0 : 0.3 }}
        >
          {body}
        </motion.div>
      </FitBox>
      <p className="reveal-show__say" data-reveal-say>
        {narration(view, steps, step, current.morphed)}
      </p>
      <nav className="reveal-show__controls" aria-label="Reveal steps">
        <ol className="reveal-show__dots" aria-hidden="true">
          {REVEAL_STEPS.map((s, i) => (
            <li key={s} className={i === current.index ? 'is-current' : i < current.index ? 'is-done' : undefined} />
          ))}
        </ol>
        <button type="button" className="button button--quiet reveal-show__button" onClick={() => go(current.index - 1)} disabled={current.index === 0}>
          ← Back
        </button>
        <button
          type="button"
          className="button reveal-show__button"
          data-reveal-next
          onClick={() => go(current.index + 1)}
          disabled={current.index === REVEAL_STEPS.length - 1}
        >
          Next: {STEP_LABELS[REVEAL_STEPS[Math.min(current.index + 1, REVEAL_STEPS.length - 1)]]} →
        </button>
        <button type="button" className="button button--quiet reveal-show__button" data-reveal-skip onClick={() => go(REVEAL_STEPS.indexOf('rows'))}>
          Skip to every row
        </button>
        <button
          type="button"
          className="button button--quiet reveal-show__button"
          aria-pressed={sound}
          onClick={() => {
            const on = !sound;
            setSound(on);
            rememberSound(on);
            if (on) play('step');
          }}
        >
          {sound ? 'Sound: on' : 'Sound: off'}
        </button>
      </nav>
    </div>
  );
}
