'use client';

import { MotionConfig } from 'framer-motion';
import { useEffect, useId, useState } from 'react';
import { attendLayer } from '../../lib/attention/reference';
import { checkClaim, type ClaimVerdict } from '../../lib/lessons/claims';
import type { Lesson } from '../../lib/lessons/schema';
import { AttentionHeatmap } from './AttentionHeatmap';
import { CARD_KINDS, QkvCard, type CardKind } from './QkvCard';

/**
 * The answer of GET /api/lessons/:id/attention as this page reads it. The app may not import the
 * server, so the shape is restated here; the route's integration test pins both sides.
 */
export interface AttentionView {
  lessonId: string;
  tokens: string[];
  backend: string;
  options: Settings;
  cards: { name: string; q: number[][]; k: number[][]; v: number[][] }[];
  layer: {
    heads: { name: string; scores: (number | null)[][]; weights: number[][]; outputs: number[][] }[];
    concatenated: number[][];
    output: number[][];
  };
}

interface Settings {
  scale: boolean;
  temperature: number;
  causal: boolean;
}

type Result = { query: string; view: AttentionView; elapsedMs: number } | { query: string; error: string };

function queryOf(settings: Settings): string {
  return new URLSearchParams({
    scale: settings.scale ? '1' : '0',
    temperature: String(settings.temperature),
    causal: settings.causal ? '1' : '0',
  }).toString();
}

function isAttentionView(body: unknown): body is AttentionView {
  return typeof body === 'object' && body !== null && 'layer' in body && 'cards' in body;
}

function errorMessage(body: unknown, status: number): string {
  if (typeof body === 'object' && body !== null && 'error' in body) {
    const error = (body as { error?: { message?: unknown; code?: unknown } }).error;
    if (typeof error?.message === 'string') return error.message;
    if (typeof error?.code === 'string') return error.code;
  }
  return `the server answered ${status}`;
}

function formatOutput(x: number): string {
  const rounded = Math.round(x * 100) / 100;
  const text = Math.abs(rounded).toFixed(2);
  return rounded < 0 ? `−${text}` : text;
}

/** An on/off control that says what it does; a real button, so Space and Enter work. */
function Switch({ label, help, checked, onChange }: { label: string; help: string; checked: boolean; onChange: (next: boolean) => void }) {
  const helpId = useId();
  return (
    <div className="control">
      <button
        type="button"
        role="switch"
        aria-checked={checked}
        aria-describedby={helpId}
        className="switch"
        onClick={() => onChange(!checked)}
      >
        <span className="switch__track" aria-hidden="true">
          <span className="switch__thumb" />
        </span>
        <span className="switch__label">{label}</span>
        <span className="switch__state" aria-hidden="true">
          {checked ? 'On' : 'Off'}
        </span>
      </button>
      <p id={helpId} className="control__help">
        {help}
      </p>
    </div>
  );
}

/** A setting this lesson holds still, shown so the learner knows it exists. */
function Fixed({ label, value, help }: { label: string; value: string; help: string }) {
  return (
    <div className="control control--fixed">
      <p className="fixed">
        <span className="fixed__label">{label}</span>
        <span className="fixed__value">{value}</span>
        <span className="fixed__badge">fixed in this lesson</span>
      </p>
      <p className="control__help">{help}</p>
    </div>
  );
}

function Outputs({ tokens, outputs, features, caption }: { tokens: readonly string[]; outputs: number[][]; features: readonly string[]; caption: string }) {
  return (
    <div className="outputs">
      <table className="outputs__table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <td />
            {features.map((feature) => (
              <th scope="col" key={feature}>
                {feature}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {outputs.map((row, t) => (
            <tr key={`${t}-${tokens[t]}`}>
              <th scope="row">{tokens[t]}</th>
              {row.map((x, d) => (
                <td key={d}>{formatOutput(x)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const DEAL_ORDER: readonly CardKind[] = ['q', 'k', 'v'];

/**
 * The lesson's learning goals, each checked against the model at the knobs' settings (the float64
 * reference, in the browser): a goal that no longer holds at temperature 5 loses its ✓ and says why.
 * A goal that names its own settings is checked at those.
 */
function LessonGoals({ lesson, settings }: { lesson: Lesson; settings: Settings }) {
  const [checked, setChecked] = useState<{ key: string; verdicts: ClaimVerdict[] } | null>(null);
  const key = queryOf(settings);
  useEffect(() => {
    let current = true;
    const atKnobs: Lesson = { ...lesson, flags: { ...lesson.flags, ...settings } };
    Promise.all(lesson.goals.map((goal) => checkClaim(atKnobs, goal.claim, attendLayer))).then(
      (verdicts) => {
        if (current) setChecked({ key, verdicts });
      },
      () => {
        if (current) setChecked(null);
      },
    );
    return () => {
      current = false;
    };
    // `key` is `settings` as text: the check reruns when a knob moves, not on every render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [lesson, key]);
  const verdicts = checked?.key === key ? checked.verdicts : null;
  return (
    <section className="panel" aria-labelledby="goals-title">
      <h2 id="goals-title">What to look for</h2>
      <ul className="goals">
        {lesson.goals.map((goal, i) => {
          const verdict = verdicts?.[i];
          const state = verdict === undefined ? 'is-checking' : verdict.holds ? 'is-met' : 'is-unmet';
          return (
            <li key={goal.text} className={state} data-goal={state.slice(3)}>
              <span className="sr-only">{verdict === undefined ? 'Checking: ' : verdict.holds ? 'Holds: ' : 'Does not hold with these settings: '}</span>
              {goal.text}
              {verdict && !verdict.holds && <span className="goals__why"> Not with these settings: {verdict.evidence}.</span>}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

/**
 * The lesson's model, live: every token's cards per head, and the attention the server's engine
 * computes for the settings the learner picks.
 */
export function LessonExplorer({ lesson }: { lesson: Lesson }) {
  const { flags } = lesson;
  const defaults: Settings = { scale: flags.scale, temperature: flags.temperature, causal: flags.causal };
  const [settings, setSettings] = useState<Settings>(defaults);
  const [result, setResult] = useState<Result | null>(null);
  // The last good answer stays on screen while a newer one is computed, so the numbers never blink out.
  const [shown, setShown] = useState<{ query: string; view: AttentionView; elapsedMs: number } | null>(null);
  const [attempt, setAttempt] = useState(0);
  const temperatureId = useId();
  const query = queryOf(settings);

  useEffect(() => {
    const controller = new AbortController();
    const started = performance.now();
    fetch(`/api/lessons/${encodeURIComponent(lesson.id)}/attention?${query}`, {
      signal: controller.signal,
      headers: { accept: 'application/json' },
    })
      .then(async (response) => {
        const body: unknown = await response.json().catch(() => null);
        if (!response.ok || !isAttentionView(body)) throw new Error(errorMessage(body, response.status));
        const next = { query, view: body, elapsedMs: Math.round(performance.now() - started) };
        setResult(next);
        setShown(next);
      })
      .catch((error: unknown) => {
        // A newer setting replaced this request; its own answer will arrive.
        if (controller.signal.aborted) return;
        setResult({ query, error: error instanceof Error ? error.message : String(error) });
      });
    return () => controller.abort();
  }, [lesson.id, query, attempt]);

  const failed = result && result.query === query && 'error' in result ? result.error : null;
  const busy = !failed && shown?.query !== query;
  const view = shown?.view;
  const update = (change: Partial<Settings>) => setSettings((current) => ({ ...current, ...change }));
  const isDefault = queryOf(defaults) === query;
  const adjustable = flags.scaleAdjustable || flags.temperatureAdjustable || flags.causalAdjustable;
  const keyWidth = lesson.heads[0].keyFeatures.length;
  const temperatureMax = Math.max(5, flags.temperature);

  let status: string;
  if (failed) status = `Could not compute the attention: ${failed}`;
  else if (!view) status = 'Asking the model…';
  else if (busy) status = 'Recomputing…';
  else {
    status = `Computed by the server’s ${view.backend} engine in ${shown.elapsedMs} ms · scaling ${view.options.scale ? 'on' : 'off'} · τ = ${view.options.temperature} · causal mask ${view.options.causal ? 'on' : 'off'}`;
  }

  return (
    <MotionConfig reducedMotion="user">
      <section className="panel controls" aria-labelledby="controls-title">
        <div className="controls__head">
          <h2 id="controls-title">{adjustable ? 'Turn the knobs' : 'This lesson’s settings'}</h2>
          {adjustable && (
            <button
              type="button"
              className="button button--quiet button--compact"
              onClick={() => setSettings(defaults)}
              disabled={isDefault}
              aria-label="Reset to the lesson’s settings"
            >
              ↺ Reset
            </button>
          )}
        </div>
        <div className="controls__grid">
          {flags.scaleAdjustable ? (
            <Switch
              label={`Scale by √d_k (√${keyWidth})`}
              help="Dividing the scores keeps softmax from locking onto one token when keys are long."
              checked={settings.scale}
              onChange={(scale) => update({ scale })}
            />
          ) : (
            <Fixed label="Scaling by √d_k" value={flags.scale ? 'On' : 'Off'} help="Scores are divided by the square root of the key length." />
          )}
          {flags.temperatureAdjustable ? (
            <div className="control">
              <div className="slider__top">
                <label htmlFor={temperatureId} className="slider__label">
                  Temperature τ
                </label>
                {/* The slider announces its own value; a second live region would say it twice. */}
                <span className="slider__value" aria-hidden="true">
                  {settings.temperature.toFixed(1)}
                </span>
              </div>
              <input
                id={temperatureId}
                className="slider"
                type="range"
                min={0.1}
                max={temperatureMax}
                step={0.1}
                value={settings.temperature}
                aria-valuetext={`${settings.temperature.toFixed(1)}`}
                aria-describedby={`${temperatureId}-help`}
                onChange={(event) => update({ temperature: Math.round(Number(event.target.value) * 10) / 10 })}
                style={{ ['--fill' as string]: `${((settings.temperature - 0.1) / (temperatureMax - 0.1)) * 100}%` }}
              />
              <p id={`${temperatureId}-help`} className="control__help">
                Below 1 sharpens the weights toward one token; above 1 spreads them out.
              </p>
            </div>
          ) : (
            <Fixed label="Temperature τ" value={String(flags.temperature)} help="Scores are divided by τ before softmax." />
          )}
          {flags.causalAdjustable ? (
            <Switch
              label="Causal mask"
              help="Each token may look only at itself and the tokens before it, as when a model writes."
              checked={settings.causal}
              onChange={(causal) => update({ causal })}
            />
          ) : (
            <Fixed label="Causal mask" value={flags.causal ? 'On' : 'Off'} help="Whether a token may look at the tokens after it." />
          )}
        </div>
        <p className={`controls__status${failed ? ' is-error' : ''}`} role="status">
          <span className={`dot${busy ? ' dot--busy' : failed ? ' dot--error' : ''}`} aria-hidden="true" />
          <span>{status}</span>
          {failed && (
            <button type="button" className="button button--small" onClick={() => setAttempt((n) => n + 1)}>
              Try again
            </button>
          )}
        </p>
      </section>

      <LessonGoals lesson={lesson} settings={settings} />

      {lesson.heads.map((head, h) => {
        const cards = view?.cards[h];
        const attention = view?.layer.heads[h];
        const titleId = `head-${h}-title`;
        return (
          <section className={`panel head-panel${lesson.tokens.length > 8 ? ' head-panel--wide' : ''}`} key={head.name} aria-labelledby={titleId}>
            <header className="head-panel__header">
              <p className="eyebrow">
                Head {h + 1} of {lesson.heads.length}
              </p>
              <h2 id={titleId}>{head.name}</h2>
              <p className="head-panel__looks-for">{head.looksFor}</p>
            </header>
            <div className="head-panel__body">
              <div className="head-panel__cards">
                <h3>The cards</h3>
                <p className="hint">
                  Each token’s embedding times W<sub>Q</sub>, W<sub>K</sub> and W<sub>V</sub>. Score = query · key.
                </p>
                <ul className="card-legend">
                  {DEAL_ORDER.map((kind) => (
                    <li key={kind} className={`card-legend__item card-legend__item--${kind}`}>
                      <span className="qkv-card__letter" aria-hidden="true">
                        {CARD_KINDS[kind].letter}
                      </span>
                      <span>
                        <strong>{CARD_KINDS[kind].name}</strong>: {CARD_KINDS[kind].role}
                      </span>
                    </li>
                  ))}
                </ul>
                <div className="deck">
                  {lesson.tokens.map((token, t) => (
                    <div className="deck__token" key={`${t}-${token}`} role="group" aria-label={`Cards of ${token}`}>
                      <p className="deck__word">
                        <span>{token}</span>
                        <span className="deck__index" aria-hidden="true">
                          #{t}
                        </span>
                      </p>
                      {cards ? (
                        DEAL_ORDER.map((kind, c) => (
                          <QkvCard
                            key={kind}
                            kind={kind}
                            token={token}
                            values={cards[kind][t]}
                            features={kind === 'v' ? head.valueFeatures : head.keyFeatures}
                            order={t * 3 + c}
                          />
                        ))
                      ) : (
                        <div className="deck__skeleton" aria-hidden="true" />
                      )}
                    </div>
                  ))}
                </div>
              </div>
              <div className="head-panel__result">
                <h3>The model’s attention</h3>
                {attention ? (
                  <>
                    <AttentionHeatmap head={head.name} tokens={lesson.tokens} weights={attention.weights} scores={attention.scores} busy={busy} />
                    <Outputs
                      tokens={lesson.tokens}
                      outputs={attention.outputs}
                      features={head.valueFeatures}
                      caption="What each token carries away: its row of weights times the value cards"
                    />
                  </>
                ) : (
                  <div className="heatmap-skeleton" aria-hidden="true" />
                )}
              </div>
            </div>
          </section>
        );
      })}

      {lesson.wO && lesson.outputFeatures && view && (
        <section className="panel" aria-labelledby="layer-output-title">
          <h2 id="layer-output-title">The layer’s output</h2>
          <p className="hint">Every head’s output side by side, multiplied by W<sub>O</sub>: what the next layer receives.</p>
          <Outputs tokens={lesson.tokens} outputs={view.layer.output} features={lesson.outputFeatures} caption="Output of the whole layer, per token" />
        </section>
      )}
    </MotionConfig>
  );
}
