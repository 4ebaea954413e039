'use client';

import Link from 'next/link';
import { useEffect, useId, useState, useSyncExternalStore } from 'react';
import type { SoloProgressView } from '../../../lib/solo/api';
import type { LevelStatus } from '../../../lib/solo/levels';
import { TokenRow } from '../TokenRow';
import { learnerId, saveNickname, savedNickname, soloApi, subscribeSaved } from './api';
import { StarKey, Stars } from './Stars';

type Load = { kind: 'loading' } | { kind: 'ready'; progress: SoloProgressView } | { kind: 'error'; message: string };

/** The optional leaderboard name: checked by the server (the class rules and a word filter), kept in this browser. */
function NicknameForm() {
  const id = useId();
  const saved = useSyncExternalStore(subscribeSaved, savedNickname, () => '');
  // null: not edited, show what is saved.
  const [edited, setEdited] = useState<string | null>(null);
  const draft = edited ?? saved;
  const [status, setStatus] = useState<{ kind: 'idle' | 'saving' | 'saved' } | { kind: 'error'; message: string }>({ kind: 'idle' });

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    const name = draft.trim();
    if (name === '') {
      saveNickname('');
      setEdited(null);
      setStatus({ kind: 'saved' });
      return;
    }
    setStatus({ kind: 'saving' });
    const result = await soloApi<{ nickname: string }>('POST', '/nickname', { nickname: name });
    if (!result.ok) {
      setStatus({ kind: 'error', message: result.message });
      return;
    }
    saveNickname(result.data.nickname);
    setEdited(null);
    setStatus({ kind: 'saved' });
  }

  return (
    <form className="solo-nickname" onSubmit={submit} aria-describedby={`${id}-help`}>
      <label htmlFor={`${id}-name`} className="solo-nickname__label">
        Your name on the leaderboards <span className="solo-optional">(optional)</span>
      </label>
      <div className="solo-nickname__row">
        <input
          id={`${id}-name`}
          className="solo-input"
          value={draft}
          maxLength={20}
          autoComplete="nickname"
          placeholder="e.g. Clever Owl"
          onChange={(e) => {
            setEdited(e.target.value);
            setStatus({ kind: 'idle' });
          }}
          aria-invalid={status.kind === 'error'}
        />
        <button type="submit" className="button button--quiet button--compact" disabled={status.kind === 'saving' || draft.trim() === saved}>
          {draft.trim() === '' && saved ? 'Remove' : 'Save'}
        </button>
      </div>
      <p id={`${id}-help`} className="hint" role="status" aria-live="polite">
        {status.kind === 'error'
          ? status.message
          : saved
            ? `Finished levels go on the leaderboard as ${saved}.`
            : 'Without a name your scores stay private to this browser.'}
      </p>
    </form>
  );
}

/** A padlock drawn inline: emoji fonts are not everywhere. */
function LockIcon() {
  return (
    <svg className="solo-lock-icon" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      <path d="M5 7V5a3 3 0 0 1 6 0v2" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" />
      <rect x="3" y="7" width="10" height="7" rx="1.6" fill="currentColor" />
    </svg>
  );
}

function LevelCard({ level, count }: { level: LevelStatus; count: number }) {
  const titleId = useId();
  const state = !level.unlocked ? 'locked' : level.stars > 0 ? 'done' : level.current ? 'current' : 'open';
  return (
    <li className={`solo-level solo-level--${state}`} aria-labelledby={titleId} data-lesson={level.lessonId} data-state={state}>
      <div className="solo-level__number" aria-hidden="true">
        {level.unlocked ? level.number : <LockIcon />}
      </div>
      <div className="solo-level__body">
        <p className="solo-level__meta">
          Level {level.number} of {count}
          {state === 'current' && <span className="solo-badge solo-badge--next">Next up</span>}
          {state === 'locked' && <span className="solo-badge">Locked</span>}
        </p>
        <h2 id={titleId} className="solo-level__title">
          {level.title}
        </h2>
        <p className="solo-level__summary">{level.summary}</p>
        <TokenRow tokens={level.tokens} label={`Tokens of “${level.sentence}”`} size="small" />
        <div className="solo-level__footer">
          <span className="solo-level__stars">
            <Stars stars={level.stars} />
            <span className="solo-level__best">{level.bestScore === null ? 'Not played yet' : `Best ${Math.round(level.bestScore)} points`}</span>
          </span>
          <span className="solo-level__actions">
            <Link href={`/solo/leaderboard/${level.lessonId}`} className="solo-link" prefetch={false}>
              Leaderboard
            </Link>
            {level.unlocked ? (
              <Link href={`/solo/${level.lessonId}`} className={`button button--compact${state === 'done' ? ' button--quiet' : ''}`}>
                {state === 'done' ? 'Play again' : 'Play'}
                <span className="sr-only"> level {level.number}</span>
              </Link>
            ) : (
              <span className="solo-level__lock">One star on level {level.number - 1} opens it</span>
            )}
          </span>
        </div>
      </div>
    </li>
  );
}

/** The solo path: every level with its stars, the one to play next, and the leaderboard name. */
export function SoloPath() {
  const [load, setLoad] = useState<Load>({ kind: 'loading' });

  useEffect(() => {
    let live = true;
    void soloApi<SoloProgressView>('GET', `/progress/${learnerId()}`).then((result) => {
      if (!live) return;
      setLoad(result.ok ? { kind: 'ready', progress: result.data } : { kind: 'error', message: result.message });
    });
    return () => {
      live = false;
    };
  }, []);

  const levels = load.kind === 'ready' ? load.progress.levels : [];
  const earned = levels.reduce((sum, l) => sum + l.stars, 0);
  const current = levels.find((l) => l.current);

  return (
    <div className="solo-path">
      <header className="solo-path__hero">
        <p className="eyebrow">Play solo</p>
        <h1>Learn attention one level at a time</h1>
        <p className="solo-path__lead">
          Each level is one sentence. You play one of its words, AI classmates play the others, and a real transformer layer reveals
          where it would have looked. Score 600 points on a level to earn a star and open the next one.
        </p>
        <div className="solo-path__facts">
          <StarKey thresholds={load.kind === 'ready' ? load.progress.thresholds : [600, 800, 930]} />
          {load.kind === 'ready' && (
            <p className="solo-path__tally">
              <strong>{earned}</strong> of {levels.length * 3} stars
            </p>
          )}
        </div>
        {current && (
          <p>
            <Link href={`/solo/${current.lessonId}`} className="button">
              {earned === 0 ? 'Start with level 1' : `Continue: level ${current.number}`} →
            </Link>
          </p>
        )}
      </header>

      <NicknameForm />

      {load.kind === 'loading' && (
        <p className="hint" role="status">
          Loading your progress…
        </p>
      )}
      {load.kind === 'error' && (
        <p className="solo-error" role="alert">
          {load.message}
        </p>
      )}
      {load.kind === 'ready' && (
        <ol className="solo-levels" aria-label="Levels">
          {levels.map((level) => (
            <LevelCard key={level.lessonId} level={level} count={levels.length} />
          ))}
        </ol>
      )}
    </div>
  );
}
