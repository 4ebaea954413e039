'use client';

import { MotionConfig } from 'framer-motion';
import { useCallback, useEffect, useSyncExternalStore, type ReactNode } from 'react';
import { ClientErrorCode, wasKicked, type ClientAck } from '../../../lib/client';
import { useArena } from '../../../lib/client/react';
import { ErrorCode, type ClientEventName, type InboundInput, type ResponseData, type StudentView } from '../../../lib/protocol';
import { rememberPlayed } from '../review/access';
import { AttentionBoard, QueryStrip } from './AttentionBoard';
import { Icon } from './Icon';
import { KeyRequestsIn } from './KeyRequestsIn';
import { MyCards } from './MyCards';
import { RoundResult } from './RoundResult';
import {
  ConnectingScreen,
  EndedScreen,
  KickedScreen,
  LobbyScreen,
  LockedScreen,
  Message,
  NotJoinedScreen,
  OutdatedScreen,
  PodiumScreen,
  WaitingForNextRound,
} from './Screens';
import { Leaderboard } from './Standings';
import { StatusBar } from './StatusBar';
import { Narration } from './Narration';
import { noticeAnnouncement, phaseAnnouncement } from './text';

function subscribeStorage(onChange: () => void): () => void {
  window.addEventListener('storage', onChange);
  return () => window.removeEventListener('storage', onChange);
}

/** What the round looks like for a seated student, phase by phase. */
function RoundScreen({ view, send }: { view: StudentView; send: ReturnType<typeof useArena<'player'>>['send'] }) {
  const seat = view.seat;
  if (!seat) return <WaitingForNextRound view={view} />;
  if (view.phase === 'locked') {
    return (
      <>
        <LockedScreen view={view} />
        <MyCards view={view} seat={seat} />
      </>
    );
  }
  if (view.phase === 'reveal') {
    return (
      <>
        {view.result ? (
          <RoundResult view={view} result={view.result} />
        ) : (
          <Message tone="wait" icon="chart" title={`Round ${view.round?.number ?? ''} revealed`}>
            <p>You were not scored this round. Look at the projector.</p>
          </Message>
        )}
        {view.leaderboard && view.leaderboard.length > 0 && (
          <section className="panel standings" aria-label="Standings after this round">
            <Leaderboard entries={view.leaderboard} me={view.me.playerId} limit={5} />
          </section>
        )}
      </>
    );
  }
  const lockedIn = view.phase === 'negotiate' && seat.lockedIn;
  return (
    <>
      {lockedIn ? (
        <Message tone="wait" icon="check-circle" title="Locked in">
          <p>
            Waiting for the others{view.round?.timer.deadline !== null ? ' or the clock' : ''}. Keep an eye out: someone may still ask
            for your key.
          </p>
        </Message>
      ) : (
        <Narration view={view} />
      )}
      {view.phase === 'negotiate' && !lockedIn ? (
        // While allocating, the query rides along at the top of the sliders; the cards fold away.
        <details className="cards-fold">
          <summary>Your cards: query, key and value of {view.lesson.tokens[seat.token]}</summary>
          <MyCards view={view} seat={seat} />
        </details>
      ) : (
        <MyCards view={view} seat={seat} />
      )}
      {/* A new round (or seat) starts a new editor: no draft carries over. */}
      <AttentionBoard key={`${view.round?.number}-${seat.seat}`} view={view} seat={seat} send={send} />
    </>
  );
}

/** A student's phone during a session: one connection, one screen per phase. */
export function PlayScreen({ code }: { code: string }) {
  const kickedBefore = useSyncExternalStore(subscribeStorage, () => wasKicked(code), () => false);
  const arena = useArena(kickedBefore ? null : { role: 'player', code });
  const { view, status, error, notices, send: sendAny, clockSkewMs } = arena;
  const send = useCallback(
    <E extends ClientEventName>(event: E, payload: InboundInput<E>): Promise<ClientAck<ResponseData<E>>> => sendAny(event, payload),
    [sendAny],
  );

  // A new phase is a new screen: show it from its top (the score, the locked message), not mid-page.
  const phase = view?.phase;
  const roundNumber = view?.round?.number;
  const lockedIn = view?.seat?.lockedIn ?? false;
  useEffect(() => {
    if (phase) window.scrollTo({ top: 0 });
  }, [phase, roundNumber, lockedIn]);

  // The phone's /history lists the games it played, and a session link finds this phone's secret.
  const sessionId = view?.sessionId;
  const nickname = view?.me.nickname;
  const lessonTitle = view?.lesson.title;
  useEffect(() => {
    if (sessionId && nickname !== undefined) rememberPlayed({ sessionId, code, nickname, lessonTitle, playedAt: Date.now() });
  }, [sessionId, code, nickname, lessonTitle]);

  const latestNotice = notices.length > 0 ? notices[notices.length - 1] : null;
  let screen: ReactNode;
  if (kickedBefore || status === 'kicked') {
    screen = <KickedScreen message={error?.message} />;
  } else if (status === 'outdated') {
    screen = <OutdatedScreen />;
  } else if (status === 'denied') {
    const refusal = error?.code;
    if (refusal === ErrorCode.sessionEnded) screen = <EndedScreen view={view} code={code} />;
    else if (refusal === ErrorCode.sessionNotFound)
      screen = <NotJoinedScreen code={code} title="This game is not running" text="There is no game with this code any more. Check the code on the projector." />;
    else if (refusal === ClientErrorCode.noIdentity || refusal === ErrorCode.authBadSecret || refusal === ErrorCode.playerNotFound)
      screen = <NotJoinedScreen code={code} title="Join to play" text="This browser has not joined this game yet. Pick a nickname to take a seat." />;
    else screen = <NotJoinedScreen code={code} title="Could not rejoin" text={error?.message ?? 'The server did not let this browser back in.'} />;
  } else if (!view) {
    screen = <ConnectingScreen code={code} reconnecting={status === 'reconnecting'} />;
  } else if (view.phase === 'lobby') {
    screen = <LobbyScreen view={view} />;
  } else if (view.phase === 'podium') {
    screen = <PodiumScreen view={view} />;
  } else if (view.phase === 'ended') {
    screen = <EndedScreen view={view} code={code} />;
  } else {
    screen = <RoundScreen view={view} send={send} />;
  }

  const showBar = !kickedBefore && status !== 'kicked';
  return (
    <MotionConfig reducedMotion="user">
      <div className={`play${status === 'kicked' || kickedBefore ? ' play--kicked' : ''}`}>
        {showBar && (
          <div className="play__top">
            <StatusBar status={status} view={view} serverOffsetMs={clockSkewMs} />
            {view?.paused && view.phase !== 'ended' && (
              <p className="banner banner--paused" role="status">
                <Icon name="pause" size={16} /> The teacher paused the game.
              </p>
            )}
            {status === 'reconnecting' && view && (
              <p className="banner banner--reconnecting" role="status">
                <Icon name="wifi" size={16} /> Connection lost — reconnecting. Your seat and sliders are kept.
              </p>
            )}
            {view?.seat && view.phase === 'negotiate' && !view.seat.lockedIn && <QueryStrip view={view} seat={view.seat} />}
          </div>
        )}
        <div className="play__body">
          {/* In the page's flow, above the screen: it scrolls away with the page and never covers the sliders. */}
          {view?.seat && status === 'connected' && <KeyRequestsIn key={view.round?.number} view={view} seat={view.seat} send={send} />}
          {screen}
        </div>
        <div className="sr-only" aria-live="polite" aria-atomic="true">
          {view ? phaseAnnouncement(view) : ''}
        </div>
        <div className="sr-only" aria-live="polite" aria-atomic="true">
          {view && latestNotice ? noticeAnnouncement(latestNotice, view.lesson.tokens) : ''}
        </div>
      </div>
    </MotionConfig>
  );
}
