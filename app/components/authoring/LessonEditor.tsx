'use client';

import Link from 'next/link';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { PaletteResponse, PreviewResponse } from '../../../lib/authoring/api';
import type { AuthoredDraftInput } from '../../../lib/authoring/lesson';
import type { Claim } from '../../../lib/lessons/schema';
import { AttentionHeatmap, formatPercent } from '../AttentionHeatmap';
import { QkvCard } from '../QkvCard';
import { authoringApi, AuthoringError } from './api';
import { editLink, rememberLesson, secretFor, type OwnedLesson } from './storage';
import { YourLessons } from './YourLessons';

type Edit = NonNullable<AuthoredDraftInput['edits']>[string];
type Goal = { text: string; claim: Claim };
type Built = Extract<PreviewResponse, { ok: true }>;

const PREVIEW_DELAY_MS = 400;
const EXAMPLE = 'We sat on the bank of the river';

/**
 * The lesson editor: a sentence in, the features, both heads' cards and heatmaps out, rebuilt by the
 * server (which fits the meaning head) a moment after each change. The teacher corrects features, draws
 * arcs, keeps or rewrites the suggested goals, and saves when every goal holds.
 */
export function LessonEditor({ lessonId }: { lessonId?: string }) {
  const [sentence, setSentence] = useState(lessonId ? '' : EXAMPLE);
  const [title, setTitle] = useState('');
  const [edits, setEdits] = useState<Record<string, Edit>>({});
  const [arcs, setArcs] = useState<{ query: number; key: number }[]>(lessonId ? [] : [{ query: 4, key: 7 }]);
  const [goals, setGoals] = useState<Goal[] | null>(null);
  const [seed, setSeed] = useState(1);
  const [palette, setPalette] = useState<PaletteResponse | null>(null);
  const [preview, setPreview] = useState<PreviewResponse | null>(null);
  const [building, setBuilding] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState(4);
  const [arcFrom, setArcFrom] = useState(0);
  const [arcTo, setArcTo] = useState(1);
  const [owned, setOwned] = useState<OwnedLesson | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [loaded, setLoaded] = useState(!lessonId);
  const latest = useRef<AbortController | null>(null);

  const draft: AuthoredDraftInput = useMemo(
    () => ({ sentence, title: title.trim() || undefined, edits, arcs, seed, ...(goals ? { goals } : {}) }),
    [sentence, title, edits, arcs, seed, goals],
  );

  useEffect(() => {
    authoringApi.palette().then(setPalette, () => setError('The palette could not be loaded.'));
  }, []);

  // An edit link carries the secret in its fragment; this browser keeps it from then on.
  useEffect(() => {
    if (!lessonId) return;
    const fromLink = new URLSearchParams(window.location.hash.slice(1)).get('secret');
    const secret = fromLink ?? secretFor(lessonId) ?? '';
    // Without a secret the server refuses, and its message says what to do.
    authoringApi.load(lessonId, secret).then(
      ({ summary, draft: stored }) => {
        const mine = { id: lessonId, secret };
        rememberLesson(mine);
        setOwned(mine);
        setSentence(stored.sentence);
        setTitle(stored.title ?? summary.title);
        setEdits(stored.edits ?? {});
        setArcs(stored.arcs ?? []);
        setGoals(stored.goals ?? null);
        setSeed(stored.seed ?? 1);
        setLoaded(true);
      },
      (failure: unknown) =>
        setError(failure instanceof AuthoringError && failure.status === 403 ? 'This browser does not have the edit link of this lesson: open the link you were given when it was saved.' : failure instanceof Error ? failure.message : 'The lesson could not be loaded.'),
    );
  }, [lessonId]);

  useEffect(() => {
    if (!loaded) return;
    const timer = setTimeout(() => {
      latest.current?.abort();
      const controller = new AbortController();
      latest.current = controller;
      setBuilding(true);
      authoringApi.preview(draft, controller.signal).then(
        (result) => {
          if (controller.signal.aborted) return;
          setPreview(result);
          setError(null);
          setBuilding(false);
        },
        (failure: unknown) => {
          if (controller.signal.aborted) return;
          setError(failure instanceof AuthoringError ? failure.message : 'The server could not build the lesson.');
          setBuilding(false);
        },
      );
    }, PREVIEW_DELAY_MS);
    return () => clearTimeout(timer);
  }, [draft, loaded]);

  const built: Built | null = preview && preview.ok ? preview : null;
  const tokens = built?.tokens.map((t) => t.text) ?? [];
  const focus = Math.min(selected, Math.max(0, tokens.length - 1));

  const changeSentence = (next: string) => {
    setSentence(next);
    // Edits, arcs and goals name words by position: a new sentence starts them afresh.
    setEdits({});
    setArcs([]);
    setGoals(null);
    setSaved(null);
  };

  const editToken = useCallback(
    (t: number, change: (edit: Edit) => Edit) => {
      const word = built?.tokens[t]?.text;
      if (!word) return;
      setEdits((current) => ({ ...current, [t]: change(current[t] ?? { word }) }));
    },
    [built],
  );

  const addArc = () => {
    if (arcFrom === arcTo || arcs.some((a) => a.query === arcFrom && a.key === arcTo)) return;
    setArcs([...arcs, { query: arcFrom, key: arcTo }]);
    setGoals(null);
  };

  const save = async () => {
    setError(null);
    try {
      if (owned) {
        await authoringApi.update(owned.id, owned.secret, draft);
        setSaved(owned.id);
      } else {
        const created = await authoringApi.create(draft);
        const mine = { id: created.id, secret: created.editSecret };
        rememberLesson(mine);
        setOwned(mine);
        setSaved(created.id);
        window.history.replaceState(null, '', `/lessons/${created.id}/edit`);
      }
    } catch (failure) {
      setError(failure instanceof AuthoringError ? failure.message : 'The lesson could not be saved.');
    }
  };

  const duplicate = async () => {
    if (!owned) return;
    try {
      const copy = await authoringApi.duplicate(owned.id, owned.secret);
      rememberLesson({ id: copy.id, secret: copy.editSecret });
      window.location.assign(`/lessons/${copy.id}/edit`);
    } catch (failure) {
      setError(failure instanceof AuthoringError ? failure.message : 'The lesson could not be duplicated.');
    }
  };

  const shownGoals: Goal[] = goals ?? built?.suggestedGoals ?? [];
  const verdictOf = (g: number) => built?.verdicts[g];
  const token = built?.tokens[focus];

  return (
    <div className="editor">
      <section className="panel editor__sentence" aria-labelledby="sentence-title">
        <h2 id="sentence-title">1. Your sentence</h2>
        <label className="editor__label" htmlFor="editor-sentence">
          Up to {palette?.maxTokens ?? 16} words, in English. Every word becomes a student's seat.
        </label>
        <input id="editor-sentence" className="editor__input" value={sentence} maxLength={200} onChange={(e) => changeSentence(e.target.value)} autoComplete="off" spellCheck />
        <label className="editor__label" htmlFor="editor-title">
          Title (optional)
        </label>
        <input id="editor-title" className="editor__input editor__input--small" value={title} maxLength={80} onChange={(e) => setTitle(e.target.value)} placeholder={built?.title ?? ''} />
        <p className="editor__status" role="status" aria-live="polite">
          {building ? 'Building the layer…' : built ? `Built: ${tokens.length} words, meaning head fitted in ${Math.round(built.fit.millis)} ms on ${built.backend}.` : ''}
        </p>
        {preview && !preview.ok && (
          <ul className="editor__problems" role="alert">
            {preview.problems.map((p) => (
              <li key={p.code + (p.token ?? '')}>{p.message}</li>
            ))}
          </ul>
        )}
        {error && (
          <p className="editor__error" role="alert">
            {error}
          </p>
        )}
      </section>

      {built && (
        <>
          <section className="panel" aria-labelledby="words-title">
            <h2 id="words-title">2. The words and their features</h2>
            <p className="editor__hint">Pick a word to see its cards and change its features. ★ marks the words the goals are about; ? a word no dictionary knows.</p>
            <ol className="editor__tokens" aria-label="Words of the sentence">
              {built.tokens.map((t, i) => (
                <li key={`${i}-${t.text}`}>
                  <button type="button" className={`editor__token${i === focus ? ' is-selected' : ''}${t.known ? '' : ' is-unknown'}`} aria-pressed={i === focus} onClick={() => setSelected(i)} data-token={i}>
                    <span className="editor__token-word">
                      {built.starTokens.includes(i) && <span aria-label="star word">★ </span>}
                      {t.text}
                      {!t.known && <span aria-label="unknown word"> ?</span>}
                    </span>
                    <span className="editor__token-pos">{t.pos}</span>
                    <span className="editor__token-meaning">{Object.entries(t.meaning).map(([f, w]) => (w === 2 ? `${f} ×2` : f)).join(', ') || '—'}</span>
                  </button>
                </li>
              ))}
            </ol>
            {token && palette && (
              <div className="editor__palette" aria-label={`Features of ${token.text}`}>
                <label>
                  Part of speech of “{token.text}”{' '}
                  <select value={token.pos} onChange={(e) => editToken(focus, (edit) => ({ ...edit, pos: e.target.value as Edit['pos'] }))}>
                    {palette.partsOfSpeech.map((p) => (
                      <option key={p}>{p}</option>
                    ))}
                  </select>
                </label>
                <ul className="editor__features">
                  {Object.entries(token.meaning).map(([feature, weight]) => (
                    <li key={feature}>
                      <span>{feature}</span>
                      <select aria-label={`Weight of ${feature}`} value={weight} onChange={(e) => editToken(focus, (edit) => ({ ...edit, meaning: { ...edit.meaning, [feature]: Number(e.target.value) as 1 | 2 } }))}>
                        <option value={1}>1</option>
                        <option value={2}>2 (strong)</option>
                      </select>
                      <button type="button" className="button button--small button--quiet" onClick={() => editToken(focus, (edit) => ({ ...edit, meaning: { ...edit.meaning, [feature]: 0 } }))}>
                        Remove
                      </button>
                    </li>
                  ))}
                </ul>
                <label>
                  Add a meaning feature{' '}
                  <select value="" onChange={(e) => e.target.value && editToken(focus, (edit) => ({ ...edit, meaning: { ...edit.meaning, [e.target.value]: 1 } }))}>
                    <option value="">choose…</option>
                    {palette.meaning.filter((m) => !(m in token.meaning)).map((m) => (
                      <option key={m}>{m}</option>
                    ))}
                  </select>
                </label>
                {token.proposed.length > 0 && <p className="editor__hint">WordNet proposed: {token.proposed.join(', ')}.</p>}
              </div>
            )}
            {built.flags.filter((f) => f.code === 'word/unknown' || f.code.startsWith('edit/')).map((f) => (
              <p key={f.message} className="editor__flag">
                {f.message}
              </p>
            ))}
          </section>

          <section className="panel" aria-labelledby="arcs-title">
            <h2 id="arcs-title">3. Draw the arcs the class should discover</h2>
            <p className="editor__hint">The meaning head is fitted to these: the first word should look at the second.</p>
            <div className="editor__arc-form">
              <label>
                From{' '}
                <select value={arcFrom} onChange={(e) => setArcFrom(Number(e.target.value))} aria-label="Arc from">
                  {tokens.map((t, i) => (
                    <option key={i} value={i}>
                      {i + 1}. {t}
                    </option>
                  ))}
                </select>
              </label>
              <span aria-hidden="true">→</span>
              <label>
                to{' '}
                <select value={arcTo} onChange={(e) => setArcTo(Number(e.target.value))} aria-label="Arc to">
                  {tokens.map((t, i) => (
                    <option key={i} value={i}>
                      {i + 1}. {t}
                    </option>
                  ))}
                </select>
              </label>
              <button type="button" className="button button--small" onClick={addArc} disabled={arcFrom === arcTo}>
                Draw arc
              </button>
            </div>
            <ul className="editor__arcs">
              {built.fit.arcs.map((arc) => (
                <li key={`${arc.query}>${arc.key}`} className={arc.reached ? 'is-reached' : 'is-missed'} data-arc={`${arc.query}>${arc.key}`}>
                  <strong>
                    {tokens[arc.query]} → {tokens[arc.key]}
                  </strong>{' '}
                  {arc.reached ? `reached: ${formatPercent(arc.weight)} of ${tokens[arc.query]}'s attention` : `not reached (${formatPercent(arc.weight)}): ${arc.reason ?? ''}`}{' '}
                  <button type="button" className="button button--small button--quiet" onClick={() => { setArcs(arcs.filter((a) => a.query !== arc.query || a.key !== arc.key)); setGoals(null); }}>
                    Remove
                  </button>
                </li>
              ))}
            </ul>
            <p className="editor__hint">
              Fit seed {seed}.{' '}
              <button type="button" className="button button--small button--quiet" onClick={() => setSeed(seed + 1)}>
                Try another seed
              </button>
            </p>
          </section>

          <section className="editor__heads" aria-label="Both heads">
            {built.heads.map((head) => (
              <section key={head.name} className="panel" aria-labelledby={`head-${head.name}`}>
                <h2 id={`head-${head.name}`}>{head.name === 'grammar' ? 'Grammar head (the same for every sentence)' : 'Meaning head (fitted to your arcs)'}</h2>
                <p className="editor__hint">{head.looksFor}</p>
                <AttentionHeatmap head={head.name} tokens={tokens} weights={head.weights} scores={head.weights} busy={building} />
                <div className="editor__cards" aria-label={`Cards of ${tokens[focus]} in the ${head.name} head`}>
                  <QkvCard kind="q" token={tokens[focus]} values={head.cards.q[focus]} features={head.keyFeatures} order={0} />
                  <QkvCard kind="k" token={tokens[focus]} values={head.cards.k[focus]} features={head.keyFeatures} order={1} />
                  <QkvCard kind="v" token={tokens[focus]} values={head.cards.v[focus]} features={head.valueFeatures} order={2} />
                </div>
              </section>
            ))}
          </section>

          <section className="panel" aria-labelledby="goals-title">
            <h2 id="goals-title">4. Learning goals</h2>
            <p className="editor__hint">{goals ? 'Your goals' : 'Suggested from the strongest arcs'}; each is checked against the layer.</p>
            <ul className="editor__goals">
              {shownGoals.map((goal, g) => {
                const verdict = verdictOf(g);
                return (
                  <li key={g} className={verdict?.holds ? 'holds' : 'fails'}>
                    <span aria-label={verdict?.holds ? 'holds' : 'does not hold'}>{verdict?.holds ? '✓' : '✗'}</span>
                    <input aria-label={`Goal ${g + 1}`} className="editor__input editor__input--small" value={goal.text} maxLength={300} onChange={(e) => setGoals(shownGoals.map((x, i) => (i === g ? { ...x, text: e.target.value } : x)))} />
                    <button type="button" className="button button--small button--quiet" onClick={() => setGoals(shownGoals.filter((_, i) => i !== g))} disabled={shownGoals.length <= 1}>
                      Remove
                    </button>
                    {verdict && <small className="editor__evidence">{verdict.evidence}</small>}
                  </li>
                );
              })}
            </ul>
            {goals && (
              <button type="button" className="button button--small button--quiet" onClick={() => setGoals(null)}>
                Back to the suggestions
              </button>
            )}
            {built.flags.filter((f) => f.code.startsWith('goal/')).map((f) => (
              <p key={f.message} className="editor__flag">
                {f.message}
              </p>
            ))}
          </section>

          <section className="panel editor__phone-wrap" aria-labelledby="phone-title">
            <h2 id="phone-title">What a phone shows</h2>
            <div className="editor__phone" aria-label={`Phone preview for ${tokens[focus]}`}>
              <p className="eyebrow">You are</p>
              <p className="editor__phone-word">{tokens[focus]}</p>
              <p className="editor__hint">Head: {built.heads[0].name}</p>
              <div className="editor__cards editor__cards--phone">
                <QkvCard kind="q" token={tokens[focus]} values={built.heads[0].cards.q[focus]} features={built.heads[0].keyFeatures} order={0} />
                <QkvCard kind="k" token={tokens[focus]} values={built.heads[0].cards.k[focus]} features={built.heads[0].keyFeatures} order={1} />
              </div>
              <p className="editor__hint">…then sliders over the other {tokens.length - 1} words, adding up to 100 %.</p>
            </div>
          </section>

          <section className="panel editor__save" aria-labelledby="save-title">
            <h2 id="save-title">5. Save and play</h2>
            {!built.playable && <p className="editor__flag">Every goal must hold before the lesson can be saved.</p>}
            <button type="button" className="button" onClick={save} disabled={!built.playable || building}>
              {owned ? 'Save changes' : 'Save lesson'}
            </button>
            {owned && saved && (
              <div className="editor__saved" role="status">
                <p>Saved. Keep this edit link to change the lesson from another device:</p>
                <input readOnly className="editor__input editor__input--small" aria-label="Edit link" value={editLink(window.location.origin, owned)} onFocus={(e) => e.target.select()} />
                <p className="editor__actions">
                  <Link className="button" href={`/host?lesson=${owned.id}`} prefetch={false} data-host-link>
                    Host this lesson
                  </Link>
                  <Link className="button button--quiet" href={`/solo/own/${owned.id}`} prefetch={false}>
                    Play it solo
                  </Link>
                  <button type="button" className="button button--quiet" onClick={duplicate}>
                    Duplicate
                  </button>
                </p>
              </div>
            )}
          </section>
        </>
      )}
      <YourLessons />
    </div>
  );
}
