'use client';

import Link from 'next/link';
import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import type { SoloRunView } from '../../../lib/solo/api';
import type { HelpRequest } from '../../../lib/solo/help';
import type { SeatChoice } from '../../../lib/solo/levels';
import type { SoloMode } from '../../../lib/solo/run';
import { TokenRow } from '../TokenRow';
import { learnerId, saveNickname, savedNickname, saveRun, savedRun, soloApi, subscribeSaved } from './api';
import { FinishPanel } from './FinishPanel';
import { LevelIntro, type LevelIntroData } from './LevelIntro';
import { PlayRound } from './PlayRound';
import { RevealPanel } from './RevealPanel';

type Screen =
  | { kind: 'loading' }
  | { kind: 'intro'; message?: string }
  | { kind: 'locked'; message: string }
  | { kind: 'run'; view: SoloRunView };

/**
 * A level, from its introduction to its finish: starts a run (or picks up the one this browser left),
 * sends each move to the solo API and shows what comes back. The server holds the game; this page only
 * draws its views.
 */
export function SoloLevel({ intro }: { intro: LevelIntroData }) {
  const [screen, setScreen] = useState<Screen>({ kind: 'loading' });
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const nickname = useSyncExternalStore(subscribeSaved, savedNickname, () => '');
  const view = screen.kind === 'run' ? screen.view : null;
  const moment = view ? `${view.stage}:${view.student.round?.number ?? 0}` : screen.kind;

  // Come back to the run this browser left on this level, if the server still has it.
  useEffect(() => {
    let live = true;
    const runId = savedRun(intro.lessonId);
    if (!runId) {
      // Nothing to fetch: the introduction is known already.
      // eslint-disable-next-line react-hooks/set-state-in-effect
      setScreen({ kind: 'intro' });
      return;
    }
    void soloApi<SoloRunView>('GET', `/runs/${encodeURIComponent(runId)}`).then((result) => {
      if (!live) return;
      if (result.ok && result.data.stage !== 'finished') {
        setScreen({ kind: 'run', view: result.data });
      } else {
        saveRun(intro.lessonId, null);
        setScreen({ kind: 'intro', message: result.ok ? undefined : 'Your last game on this level was not kept (the server restarted). Your stars are safe: start again below.' });
      }
    });
    return () => {
      live = false;
    };
  }, [intro.lessonId]);

  // A new stage (a round starts, a reveal, the finish): start reading at its heading.
  useEffect(() => {
    if (moment === 'loading' || moment === 'intro') return;
    window.scrollTo({ top: 0 });
    headingRef.current?.focus({ preventScroll: true });
  }, [moment]);

  function show(next: SoloRunView) {
    setProblem(null);
    setScreen({ kind: 'run', view: next });
    saveRun(intro.lessonId, next.stage === 'finished' ? null : next.runId);
  }

  async function start(mode: SoloMode, seat?: SeatChoice) {
    setBusy(true);
    const body = { learnerId: learnerId(), mode, ...(seat ? { token: seat.token, head: seat.head } : {}) };
    const result = await soloApi<SoloRunView>('POST', `/levels/${encodeURIComponent(intro.lessonId)}/start`, body);
    setBusy(false);
    if (result.ok) show(result.data);
    else if (result.code === 'solo/level-locked') setScreen({ kind: 'locked', message: result.message });
    else setProblem(result.message);
  }

  async function act(action: string, body: unknown, quiet = false): Promise<boolean> {
    if (!view) return false;
    if (!quiet) setBusy(true);
    const result = await soloApi<SoloRunView>('POST', `/runs/${encodeURIComponent(view.runId)}/${action}`, body);
    if (!quiet) setBusy(false);
    if (result.ok) {
      show(result.data);
      return true;
    }
    if (result.code === 'solo/run-not-found') {
      saveRun(intro.lessonId, null);
      setScreen({ kind: 'intro', message: result.message });
    } else {
      setProblem(result.message);
    }
    return false;
  }

  async function refresh(runId: string) {
    const result = await soloApi<SoloRunView>('GET', `/runs/${encodeURIComponent(runId)}`);
    if (result.ok) show(result.data);
    else setProblem(result.message);
  }

  const round = view?.student.round?.number ?? 0;

  return (
    <article className="solo-level-page" aria-labelledby="level-title">
      <nav className="breadcrumb" aria-label="Breadcrumb">
        <Link href="/solo">Solo path</Link>
        <span aria-hidden="true"> / </span>
        <span aria-current="page">
          {intro.number > 0 ? `Level ${intro.number} of ${intro.count}` : 'Your teacher’s own sentence'}
        </span>
      </nav>
      <header className="solo-level-page__hero">
        <p className="eyebrow">
          Level {intro.number} · {view?.mode === 'sentence' ? 'the whole sentence' : 'one word at a time'}
        </p>
        <h1 id="level-title">{intro.title}</h1>
        {screen.kind !== 'run' && <p className="lesson-hero__summary">{intro.summary}</p>}
        <div className="sentence solo-sentence">
          <p className="sentence__label">The sentence{view?.seat && view.stage !== 'finished' ? ` · you are “${intro.tokens[view.seat.token]}”` : ''}</p>
          <TokenRow tokens={intro.tokens} label="Its words, numbered" size={intro.tokens.length > 9 ? 'small' : 'large'} />
        </div>
        {view && view.stage !== 'finished' && (
          <p className="solo-status" aria-live="polite">
            Round {round}
            {view.mode === 'sentence' && ` · row ${Math.min(view.rounds.length + (view.stage === 'revealed' ? 0 : 1), view.rounds.length + view.progress.rowsLeft)} of ${view.rounds.length + view.progress.rowsLeft}`}
            {view.progress.levelScore !== null && ` · level score ${view.progress.levelScore}`}
            {view.progress.keySeatsLeft.length > 0 &&
              ` · star word${view.progress.keySeatsLeft.length > 1 ? 's' : ''} left: ${view.progress.keySeatsLeft.map((k) => `“${intro.tokens[k.token]}”`).join(', ')}`}
          </p>
        )}
      </header>

      {problem && (
        <p className="solo-error" role="alert">
          {problem}
        </p>
      )}

      {screen.kind === 'loading' && (
        <p className="hint" role="status">
          Loading…
        </p>
      )}
      {screen.kind === 'locked' && (
        <section className="panel" role="alert">
          <h2>This level is still locked</h2>
          <p>{screen.message}</p>
          <p>
            <Link href="/solo" className="button">
              Back to the path
            </Link>
          </p>
        </section>
      )}
      {screen.kind === 'intro' && (
        <>
          {screen.message && (
            <p className="solo-error" role="status">
              {screen.message}
            </p>
          )}
          <LevelIntro intro={intro} busy={busy} onStart={(mode, seat) => void start(mode, seat)} />
        </>
      )}
      {view?.stage === 'waiting' && (
        <p className="hint" role="status">
          The model is working out its answer…{' '}
          <button type="button" className="button button--quiet button--compact" onClick={() => void refresh(view.runId)}>
            Check again
          </button>
        </p>
      )}
      {view?.stage === 'play' && (
        <PlayRound
          key={round}
          view={view}
          headingRef={headingRef}
          actions={{
            busy,
            allocate: (weights) => void act('allocate', { round, weights }, true),
            help: (request: HelpRequest) => void act('help', { round, ...request }),
            lock: (weights) => void act('lock', { round, weights }),
          }}
        />
      )}
      {view?.stage === 'revealed' && (
        <RevealPanel
          key={round}
          view={view}
          headingRef={headingRef}
          actions={{
            busy,
            nickname,
            next: (seat, settings) => void act('next-token', { ...(seat ?? {}), ...(settings && Object.keys(settings).length > 0 ? { settings } : {}) }),
            finish: (name) => {
              const trimmed = name.trim();
              void act('finish', trimmed ? { nickname: trimmed } : {}).then((ok) => {
                if (ok && trimmed) saveNickname(trimmed);
              });
            },
          }}
        />
      )}
      {view?.stage === 'finished' && (
        <FinishPanel
          view={view}
          headingRef={headingRef}
          onAgain={() => {
            setProblem(null);
            setScreen({ kind: 'intro' });
          }}
        />
      )}
    </article>
  );
}
