'use client';

import Link from 'next/link';
import type { ReactNode } from 'react';
import type { StudentView } from '../../../lib/protocol';
import { TokenRow } from '../TokenRow';
import { Icon, type IconName } from './Icon';
import { Leaderboard, Podium } from './Standings';
import { finishedPlace, stepText } from './text';
import { isTied, placeLabel } from '../../../lib/game/podium';

/** A whole-screen message: a big icon, a title, words, and what to do. */
export function Message({
  tone = 'calm',
  icon,
  title,
  children,
  role,
}: {
  tone?: 'calm' | 'alert' | 'wait' | 'done';
  icon: IconName;
  title: string;
  children?: ReactNode;
  role?: 'alert' | 'status';
}) {
  return (
    <section className={`message message--${tone}`} role={role} aria-labelledby="message-title">
      <span className="message__icon">
        <Icon name={icon} size={32} />
      </span>
      <h1 id="message-title" className="message__title">
        {title}
      </h1>
      {children}
    </section>
  );
}

export function ConnectingScreen({ code, reconnecting }: { code: string; reconnecting: boolean }) {
  return (
    <Message tone="wait" icon={reconnecting ? 'wifi' : 'hourglass'} title={reconnecting ? 'Reconnecting…' : 'Connecting…'} role="status">
      <p>
        {reconnecting ? 'Your seat is kept while we reconnect to game ' : 'Joining game '}
        <span className="code-chip">{code}</span>.
      </p>
      <div className="skeleton" aria-hidden="true">
        <span />
        <span />
        <span />
      </div>
    </Message>
  );
}

export function KickedScreen({ message }: { message?: string }) {
  return (
    <Message tone="alert" icon="stop" title="You were removed from this game" role="alert">
      <p>{message && message !== 'The teacher removed you from this session.' ? message : 'The teacher removed you from this session.'}</p>
      <p>If you think this is a mistake, talk to your teacher.</p>
      <Link className="button button--quiet" href="/">
        Back to the start
      </Link>
    </Message>
  );
}

export function OutdatedScreen() {
  return (
    <Message tone="alert" icon="reload" title="This page is out of date" role="alert">
      <p>The game was updated. Reload the page to keep playing; your seat is kept.</p>
      <button type="button" className="button" onClick={() => window.location.reload()}>
        Reload
      </button>
    </Message>
  );
}

export function NotJoinedScreen({ code, title, text }: { code: string; title: string; text: string }) {
  return (
    <Message tone="calm" icon="join" title={title}>
      <p>{text}</p>
      <Link className="button" href={`/join?code=${encodeURIComponent(code)}`}>
        Join game {code}
      </Link>
    </Message>
  );
}

/** The sentence of the lesson, with a label. */
export function Sentence({ view }: { view: StudentView }) {
  return (
    <div className="sentence sentence--compact">
      <span className="sentence__label">The sentence</span>
      <TokenRow tokens={view.lesson.tokens} label={`Tokens of “${view.lesson.sentence}”`} size="small" />
    </div>
  );
}

export function LobbyScreen({ view }: { view: StudentView }) {
  return (
    <>
      <Message tone="wait" icon="check-circle" title={`You’re in, ${view.me.nickname}!`}>
        <p>Waiting for the teacher to start. Keep this page open — your phone is your hand of cards.</p>
      </Message>
      <section className="panel" aria-labelledby="lesson-title">
        <p className="eyebrow">Today’s lesson</p>
        <h2 id="lesson-title">{view.lesson.title}</h2>
        <p className="hint">{view.lesson.summary}</p>
        <Sentence view={view} />
        <p>{stepText(view)}</p>
      </section>
    </>
  );
}

export function WaitingForNextRound({ view }: { view: StudentView }) {
  return (
    <>
      <Message tone="wait" icon="clock" title="You play from the next round">
        <p>This round was dealt before you arrived. Watch the projector; you get a token when the next round starts.</p>
      </Message>
      <section className="panel" aria-label="The lesson">
        <h2>{view.lesson.title}</h2>
        <Sentence view={view} />
        <p className="hint">{stepText(view)}</p>
      </section>
    </>
  );
}

export function LockedScreen({ view }: { view: StudentView }) {
  const pending = view.round?.revealPending ?? false;
  return (
    <Message tone="wait" icon={pending ? 'hourglass' : 'lock'} title={pending ? 'The model is computing…' : 'The round is locked'}>
      <p>{pending ? 'The reveal appears the moment the model has its answer.' : 'Look at the projector: the reveal is next.'}</p>
      <p className="hint">{stepText(view)}</p>
    </Message>
  );
}

export function PodiumScreen({ view }: { view: StudentView }) {
  const entries = view.leaderboard ?? [];
  return (
    <section className="panel standings" aria-labelledby="podium-title">
      <h1 id="podium-title">The podium</h1>
      {view.me.rank !== null && (
        <p className="standings__me" data-my-place={placeLabel(view.me.rank, isTied(entries, view.me.rank))}>
          You finished <b>{finishedPlace(view)}</b> with <b>{view.me.total}</b> points.
        </p>
      )}
      <Podium entries={entries} me={view.me.playerId} />
      <Leaderboard entries={entries} me={view.me.playerId} />
      <div className="lesson-says">
        <h2>Remember</h2>
        <p>{view.lesson.steps.wrapUp}</p>
      </div>
    </section>
  );
}

/** The game is over: thanks, the student's place, and their own report (it opens with this phone's secret). */
export function EndedScreen({ view, code }: { view: StudentView | null; code: string }) {
  const reportHref = `/review/${encodeURIComponent(view?.sessionId ?? code)}`;
  return (
    <>
      <Message tone="done" icon="flag" title="The game has ended">
        <p>
          Thanks for playing
          {view ? `, ${view.me.nickname}` : ''}!
          {view && view.me.total > 0 && (
            <>
              {' '}
              You scored <b>{view.me.total}</b> points{view.me.rank !== null ? `, ${finishedPlace(view)}` : ''}.
            </>
          )}
        </p>
        <p className="message__actions">
          <Link className="button" href={reportHref} data-action="my-report">
            Your report
          </Link>
          <Link className="button button--quiet" href="/history">
            Your games
          </Link>
          <Link className="button button--quiet" href="/">
            Back to the start
          </Link>
        </p>
        <p className="hint">Your report shows each round: where you looked, where the model looked, and your score. It opens on this phone.</p>
      </Message>
      {view?.leaderboard && view.leaderboard.length > 0 && (
        <section className="panel standings" aria-label="Final standings">
          <Leaderboard entries={view.leaderboard} me={view.me.playerId} />
          <p className="hint">{view.lesson.steps.wrapUp}</p>
        </section>
      )}
    </>
  );
}
