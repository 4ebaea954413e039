'use client';

import { useState, useSyncExternalStore } from 'react';
import type { TeacherPlayerView, TeacherView } from '../../../lib/protocol';
import { listNames, teamName } from '../student/text';
import { STATE_LABELS, classProgress, describeFor, sinceMoved, tokenLabel, type ProgressGroup } from './progress';

function subscribe(onChange: () => void): () => void {
  const id = window.setInterval(onChange, 1000);
  return () => window.clearInterval(id);
}

// Whole seconds, so React sees one value per second (a store snapshot must be stable).
const browserSecond = () => Math.floor(Date.now() / 1000) * 1000;

/** The server's clock to the second (`offsetMs`: server minus browser); 0 while rendering on the server. */
export function useServerNow(offsetMs: number): number {
  const now = useSyncExternalStore(subscribe, browserSecond, () => 0);
  return now === 0 ? 0 : now + offsetMs;
}

/** Names shown before "+N more": enough to act on, few enough to keep the counts on the first screen. */
const NAMES_SHOWN = 8;

/** A student who has not moved for this long while others work is worth a look. */
const STALLED_MS = 45_000;

function ProgressNames({ group, now }: { group: ProgressGroup; now: number }) {
  const [all, setAll] = useState(false);
  const names = all ? group.players : group.players.slice(0, NAMES_SHOWN);
  const hidden = group.players.length - names.length;
  if (group.players.length === 0) return <p className="progress__none">nobody</p>;
  const note = (player: TeacherPlayerView): string | null => {
    if (group.state !== 'working') return null;
    const moved = sinceMoved(player, now);
    return moved !== null && moved >= STALLED_MS ? `still ${describeFor(moved)}` : null;
  };
  return (
    <ul className="progress__names" aria-label={`${STATE_LABELS[group.state]}: names`}>
      {names.map((player) => {
        const stalled = note(player);
        return (
          <li key={player.playerId} className={stalled ? 'is-stalled' : undefined} data-progress-name={player.nickname}>
            {player.nickname}
            {stalled && <span className="progress__note"> · {stalled}</span>}
          </li>
        );
      })}
      {(hidden > 0 || all) && group.players.length > NAMES_SHOWN && (
        <li>
          <button type="button" className="progress__more" onClick={() => setAll(!all)} aria-expanded={all}>
            {all ? 'fewer' : `+${hidden} more`}
          </button>
        </li>
      )}
    </ul>
  );
}

/**
 * Where the class is, first thing on the dashboard: locked in, working, not started, away, each a
 * count with the names behind it. Those not started and the longest-still come first in each list.
 */
export function ClassProgress({ view, now }: { view: TeacherView; now: number }) {
  const groups = classProgress(view, now);
  const seated = view.players.filter((p) => !p.kicked && p.seat !== null).length;
  const locked = groups.find((g) => g.state === 'locked')?.players.length ?? 0;
  return (
    <section className="panel progress" aria-labelledby="progress-title" data-progress-panel>
      <div className="panel__head">
        <h2 id="progress-title">Class progress</h2>
        <p className="progress__summary" aria-live="polite">
          {view.round && seated > 0 && groups.some((g) => g.state === 'locked') ? `${locked} of ${seated} locked in` : `${view.players.filter((p) => !p.kicked).length} in the session`}
        </p>
      </div>
      <ul className="progress__groups">
        {groups.map((group) => (
          <li key={group.state} className={`progress__group progress__group--${group.state}`} data-progress={group.state}>
            <p className="progress__count">
              <strong data-count={group.players.length}>{group.players.length}</strong> <span>{STATE_LABELS[group.state].toLowerCase()}</span>
            </p>
            <ProgressNames group={group} now={now} />
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Key requests, waiting ones first: who asked whom for which key, and for how long. */
export function KeyRequestList({ view, now }: { view: TeacherView; now: number }) {
  if (view.keyRequests.length === 0) return null;
  const tokens = view.lesson.tokens;
  const multiHead = view.lesson.heads.length > 1;
  const requests = [...view.keyRequests].sort(
    (a, b) => Number(a.status === 'shared') - Number(b.status === 'shared') || (a.requestedAt ?? 0) - (b.requestedAt ?? 0),
  );
  const waiting = requests.filter((r) => r.status === 'pending').length;
  // A team is named once ("Camila +4"), every name in the tooltip.
  const names = (list: string[]) => (list.length === 0 ? '' : teamName(list));
  return (
    <section className="panel key-requests" aria-labelledby="key-requests-title">
      <div className="panel__head">
        <h2 id="key-requests-title">Key requests</h2>
        <p className="progress__summary">
          {waiting} waiting · {requests.length - waiting} shared
        </p>
      </div>
      <ul className="key-requests__list">
        {requests.map((r) => {
          const asker = `“${tokenLabel(tokens, r.fromToken)}”`;
          const owner = `“${tokenLabel(tokens, r.toToken)}”`;
          const head = multiHead ? ` (head ${view.lesson.heads[r.head]?.name ?? r.head})` : '';
          const age = r.requestedAt === null ? null : describeFor((r.status === 'shared' ? (r.sharedAt ?? now) : now) - r.requestedAt);
          return (
            <li
              key={r.id}
              className={`key-requests__item is-${r.status}`}
              data-key-request={r.status}
              title={`${listNames(r.fromNicknames)} asked ${r.toNicknames.length > 0 ? listNames(r.toNicknames) : 'the AI classmate'}`}
            >
              <span className="key-requests__who">{names(r.fromNicknames) || 'An AI classmate'}</span>, playing{' '}
              <span className="key-requests__token">{asker}</span>, asked {r.toNicknames.length > 0 ? names(r.toNicknames) : 'the AI classmate'} for the key of{' '}
              <span className="key-requests__token">{owner}</span>
              {head}
              <span className="key-requests__status">
                {r.status === 'pending' ? ` · waiting${age ? ` ${age}` : ''}` : ` · shared${age ? ` after ${age}` : ''}`}
              </span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
