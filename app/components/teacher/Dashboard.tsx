'use client';

import Link from 'next/link';
import { useState } from 'react';
import { describeStatus } from '../../../lib/client/connection';
import { loadHost } from '../../../lib/client/storage';
import { csvFileName } from '../../../lib/review/csv';
import { fetchCsv, saveBlob } from '../review/access';
import { describeError, type ArenaErrorInfo, type ClientAck } from '../../../lib/client/errors';
import { useArena } from '../../../lib/client/react';
import { isJoinCode, JOIN_CODE_LENGTH, type ClientEventName, type InboundInput, type ResponseData, type SettingsPatch, type TeacherView } from '../../../lib/protocol';
import { Countdown } from '../stage/Countdown';
import { groupedCode, spelledCode } from '../stage/JoinPanel';
import { PHASE_LABELS, formatPoints, rowsByHead, stepFor } from '../stage/phase';
import { REVEAL_STEPS, STEP_LABELS } from '../stage/reveal-labels';
import { WeightGrid, type GridRowNote } from '../stage/WeightGrid';
import { ClassProgress, KeyRequestList, useServerNow } from './ClassProgress';
import { ConfirmButton } from './controls';
import { Roster } from './Roster';
import { SettingsFields } from './SettingsFields';

type TeacherEvent = Extract<ClientEventName, `teacher:${string}`>;
type Send = <E extends TeacherEvent>(event: E, payload: InboundInput<E>) => Promise<ClientAck<ResponseData<E>>>;

/**
 * The projector's reveal, stepped from the teacher's laptop: what the projector shows now, and Back,
 * Next and Skip. The countdown hands over to the arcs on its own, so Next from it goes past the arcs.
 */
function RevealStepper({ chosen, busy, onStep }: { chosen: number; busy: boolean; onStep: (step: number) => void }) {
  const shown = Math.max(chosen, REVEAL_STEPS.indexOf('arcs'));
  const last = REVEAL_STEPS.length - 1;
  const rows = REVEAL_STEPS.indexOf('rows');
  return (
    <div className="reveal-stepper" role="group" aria-labelledby="reveal-stepper-title">
      <p id="reveal-stepper-title" className="reveal-stepper__now">
        On the projector: <b data-reveal-shown={REVEAL_STEPS[chosen]}>{chosen === 0 ? `${STEP_LABELS.countdown}, then ${STEP_LABELS.arcs}` : STEP_LABELS[REVEAL_STEPS[chosen]]}</b>{' '}
        <span className="reveal-stepper__count">
          (step {shown} of {last})
        </span>
      </p>
      <div className="reveal-stepper__buttons">
        <button type="button" className="button button--quiet button--compact" onClick={() => onStep(shown - 1)} disabled={busy || chosen === 0} data-action="reveal-back">
          ← Back
        </button>
        <button type="button" className="button button--compact" onClick={() => onStep(shown + 1)} disabled={busy || shown === last} data-action="reveal-next">
          Next: {STEP_LABELS[REVEAL_STEPS[Math.min(shown + 1, last)]]} →
        </button>
        {shown < rows && (
          <button type="button" className="button button--quiet button--compact" onClick={() => onStep(rows)} disabled={busy} data-action="reveal-skip">
            Skip to every row
          </button>
        )}
      </div>
    </div>
  );
}

type StepEvent = 'teacher:start-round' | 'teacher:open-negotiation' | 'teacher:lock' | 'teacher:reveal' | 'teacher:next-round';

/** The next step of the game and the control that takes it, by phase. */
function primaryAction(view: TeacherView): { event: StepEvent; label: string; hint: string } | null {
  const round = view.round;
  switch (view.phase) {
    case 'lobby':
      return {
        event: 'teacher:start-round',
        label: 'Start round 1',
        hint:
          view.players.length === 0
            ? 'No students yet: AI classmates would play every seat.'
            : 'Students are seated and see their cards. Give them a moment to read before the negotiation opens.',
      };
    case 'cards':
      return {
        event: 'teacher:open-negotiation',
        label: 'Open the negotiation',
        hint: view.settings.timerSeconds ? `The ${view.settings.timerSeconds}-second timer starts now.` : 'No timer: you lock the round when the class is ready.',
      };
    case 'negotiate':
      return { event: 'teacher:lock', label: 'Lock the round', hint: 'Allocations freeze; nobody can change theirs after this.' };
    case 'locked':
      return round?.revealPending
        ? null
        : { event: 'teacher:reveal', label: 'Reveal the model’s answer', hint: 'The model’s attention, every score and the class score appear on every screen.' };
    case 'reveal':
      return { event: 'teacher:next-round', label: `Start round ${(round?.number ?? 0) + 1}`, hint: 'New seats, new cards, same sentence.' };
    default:
      return null;
  }
}

function ClassAttention({ view }: { view: TeacherView }) {
  const tokens = view.lesson.tokens;
  const heads = view.lesson.heads;
  if (!view.round) {
    return (
      <section className="panel" aria-labelledby="attention-title">
        <h2 id="attention-title">The class’s attention</h2>
        <p className="hint">Once a round starts, each token’s row shows where its students put their attention (a team’s mean), live.</p>
      </section>
    );
  }
  const causal = view.round.causal;
  const rows = rowsByHead(view.seats, heads.length, tokens.length);
  return (
    <section className="panel" aria-labelledby="attention-title">
      <div className="panel__head">
        <h2 id="attention-title">The class’s attention, live</h2>
        <p className="hint">Row: the token asking. A team’s row is its members’ mean. AI classmates’ rows stay hidden until the reveal.</p>
      </div>
      {heads.map((head, h) => {
        const notes: GridRowNote[] = tokens.map((_, t) => {
          const seat = view.seats.find((s) => s.head === h && s.token === t);
          if (!seat) return {};
          if (seat.playedByBot) return { tag: 'AI', empty: 'AI classmate — shown at the reveal' };
          return {};
        });
        return (
          <div key={head.name} className="dash-head">
            {heads.length > 1 && (
              <h3 className="dash-head__name">
                Head <span className="mono">{head.name}</span>
              </h3>
            )}
            <WeightGrid id={`live-${h}`} caption={`Where the class looks, head ${head.name}`} tokens={tokens} rows={rows[h]} causal={causal} notes={notes} />
          </div>
        );
      })}
    </section>
  );
}

function RevealPanel({ view }: { view: TeacherView }) {
  const reveal = view.reveal;
  if (!reveal) return null;
  const tokens = view.lesson.tokens;
  const causal = view.round?.causal ?? false;
  const classRows = rowsByHead(reveal.seats, reveal.heads.length, tokens.length);
  return (
    <section className="panel reveal-panel" aria-labelledby="reveal-title">
      <div className="panel__head">
        <h2 id="reveal-title">Round {reveal.round}: the class against the model</h2>
        <p className="class-score">
          Class score{' '}
          <strong data-class-score={reveal.classScore ?? ''}>{reveal.classScore === null ? '—' : formatPoints(reveal.classScore)}</strong>
          <span className="class-score__of"> / 1,000</span>
        </p>
      </div>
      {reveal.heads.map((head, h) => {
        const seats = reveal.seats.filter((s) => s.head === h);
        const scores = tokens.map((_, t) => seats.find((s) => s.token === t)?.score ?? null);
        const notes: GridRowNote[] = tokens.map((_, t) => (seats.find((s) => s.token === t)?.playedByBot ? { tag: 'AI' } : {}));
        return (
          <div key={head.name} className="compare">
            {reveal.heads.length > 1 && (
              <h3 className="dash-head__name">
                Head <span className="mono">{head.name}</span>
              </h3>
            )}
            <div className="compare__pair">
              <div>
                <h3 className="compare__title">The class</h3>
                <WeightGrid id={`class-${h}`} caption={`Where the class looked, head ${head.name}`} tokens={tokens} rows={classRows[h]} causal={causal} notes={notes} scores={scores} />
              </div>
              <div>
                <h3 className="compare__title">The model</h3>
                <WeightGrid id={`model-${h}`} caption={`Where the model looked, head ${head.name}`} tokens={tokens} rows={head.weights} causal={causal} />
              </div>
            </div>
          </div>
        );
      })}
    </section>
  );
}

function History({ view }: { view: TeacherView }) {
  if (view.history.length === 0) return null;
  return (
    <section className="panel" aria-labelledby="history-title">
      <h2 id="history-title">Rounds so far</h2>
      <table className="history">
        <thead>
          <tr>
            <th scope="col">Round</th>
            <th scope="col">Class score</th>
            <th scope="col">Settings</th>
          </tr>
        </thead>
        <tbody>
          {view.history.map((h) => (
            <tr key={h.round}>
              <th scope="row">{h.round}</th>
              <td>{h.classScore === null ? '—' : formatPoints(h.classScore)}</td>
              <td>
                {h.scale ? 'scaled' : 'unscaled'} · T {h.temperature}
                {h.causal ? ' · causal' : ''}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** The session's CSV, fetched with the host secret this browser keeps (never in a URL). */
function CsvDownload({ view }: { view: TeacherView }) {
  const [state, setState] = useState<'idle' | 'working' | { error: string }>('idle');
  const download = async () => {
    const host = loadHost(view.code);
    if (!host) {
      setState({ error: 'This browser no longer holds the session’s key; open the review from the browser that ran it.' });
      return;
    }
    setState('working');
    try {
      const blob = await fetchCsv(view.sessionId, { role: 'teacher', secret: host.hostSecret, code: view.code });
      saveBlob(blob, csvFileName({ code: view.code, lesson: { id: view.lesson.id } }));
      setState('idle');
    } catch (error) {
      setState({ error: error instanceof Error ? error.message : 'The download failed.' });
    }
  };
  return (
    <>
      <button type="button" className="button button--quiet button--compact" onClick={() => void download()} disabled={state === 'working'} data-action="download-csv">
        <span aria-hidden="true">⤓</span> {state === 'working' ? 'Preparing…' : 'Download the CSV'}
      </button>
      {typeof state === 'object' && (
        <span className="dash-controls__status is-error" role="alert">
          {state.error}
        </span>
      )}
    </>
  );
}

/** The dashboard for a view the teacher has; every control sends one teacher message. */
export function DashboardView({
  view,
  send,
  connection,
  serverOffsetMs = 0,
}: {
  view: TeacherView;
  send: Send;
  connection: string | null;
  /** Server clock minus this browser's, so the countdown follows the server. */
  serverOffsetMs?: number;
}) {
  const [pending, setPending] = useState<string | null>(null);
  const [error, setError] = useState<ArenaErrorInfo | null>(null);
  const [note, setNote] = useState<string | null>(null);

  const run = async <E extends TeacherEvent>(event: E, payload: InboundInput<E>, done?: string) => {
    setPending(event);
    setError(null);
    setNote(null);
    const answer = await send(event, payload);
    setPending(null);
    if (!answer.ok) setError(answer.error);
    else if (done) setNote(done);
  };

  const phase = view.phase;
  const round = view.round;
  const primary = primaryAction(view);
  const step = stepFor(view.lesson, phase);
  const canPause = (phase === 'cards' || phase === 'negotiate') && !view.paused;
  const timed = phase === 'negotiate' && round?.timer.durationMs !== null && round?.timer.durationMs !== undefined;
  const busy = pending !== null;
  const stageHref = `/stage/${view.code}`;
  const now = useServerNow(serverOffsetMs);

  return (
    <div className="dash" data-phase={phase} data-version={view.version}>
      <header className="dash__top">
        <div className="dash__lesson">
          <p className="eyebrow">
            {round ? `Round ${round.number} · ` : ''}
            <span data-phase-label>{PHASE_LABELS[phase]}</span>
            {view.paused && <span className="badge badge--paused">Paused</span>}
          </p>
          <h1 className="dash__title">{view.lesson.title}</h1>
          <p className="dash__sentence">“{view.lesson.sentence}”</p>
        </div>
        <div className="dash__join">
          <p className="dash__join-label">Join code</p>
          <p className="dash__code" data-join-code={view.code}>
            <span className="sr-only">{spelledCode(view.code)}</span>
            <span aria-hidden="true">{groupedCode(view.code)}</span>
          </p>
          <a className="button button--quiet button--compact" href={stageHref} target="_blank" rel="noopener" data-action="open-stage">
            Open the stage in a new window <span aria-hidden="true">↗</span>
          </a>
        </div>
      </header>

      {connection && (
        <p className="dash__connection" role="status">
          {connection}
        </p>
      )}

      <div className="dash__command">
          <section className="panel dash-controls" aria-labelledby="controls-title">
            <div className="panel__head">
              <h2 id="controls-title">Run the round</h2>
              {(phase === 'cards' || phase === 'negotiate') && (
                <Countdown
                  timer={round?.timer}
                  paused={view.paused}
                  serverOffsetMs={serverOffsetMs}
                  upcomingMs={phase === 'cards' && view.settings.timerSeconds !== null ? view.settings.timerSeconds * 1000 : null}
                />
              )}
            </div>
            <div className="dash-controls__primary">
              {primary && (
                <button type="button" className="button button--big" onClick={() => void run(primary.event, {})} disabled={busy} data-action={primary.event}>
                  {pending === primary.event ? 'Working…' : primary.label}
                </button>
              )}
              {phase === 'locked' && round?.revealPending && (
                <p className="dash-controls__waiting" role="status">
                  Waiting for the model’s answer…
                </p>
              )}
              {phase === 'reveal' && (
                <button type="button" className="button button--quiet" onClick={() => void run('teacher:podium', {})} disabled={busy} data-action="teacher:podium">
                  Finish: show the podium
                </button>
              )}
              {primary && <p className="hint">{primary.hint}</p>}
              {phase === 'reveal' && view.reveal && <RevealStepper chosen={view.reveal.step} busy={busy} onStep={(step) => void run('teacher:reveal-step', { step })} />}
            </div>
            <div className="dash-controls__secondary" role="group" aria-label="More controls">
              {canPause && (
                <button type="button" className="button button--quiet button--compact" onClick={() => void run('teacher:pause', {})} disabled={busy} data-action="teacher:pause">
                  <span aria-hidden="true">❚❚</span> Pause
                </button>
              )}
              {view.paused && (
                <button type="button" className="button button--compact" onClick={() => void run('teacher:resume', {})} disabled={busy} data-action="teacher:resume">
                  <span aria-hidden="true">▶</span> Resume
                </button>
              )}
              {timed && (
                <button type="button" className="button button--quiet button--compact" onClick={() => void run('teacher:add-time', { seconds: 30 }, 'Added 30 seconds.')} disabled={busy} data-action="teacher:add-time">
                  +30 s
                </button>
              )}
              {(phase === 'cards' || phase === 'negotiate') && (
                <button
                  type="button"
                  className="button button--quiet button--compact"
                  onClick={() => void run('teacher:reveal-keys', {}, 'Every key card is now on the table.')}
                  disabled={busy || round?.keysRevealed}
                  data-action="teacher:reveal-keys"
                >
                  {round?.keysRevealed ? 'All keys revealed' : 'Reveal all keys'}
                </button>
              )}
              {phase !== 'ended' && (
                <ConfirmButton
                  name="end"
                  className="button button--danger-quiet button--compact"
                  title="End the session?"
                  message={<p>Every screen shows the final standings and nobody can play on. Scores so far are kept.</p>}
                  confirmLabel="End session"
                  onConfirm={() => void run('teacher:end', {})}
                  disabled={busy}
                >
                  End session
                </ConfirmButton>
              )}
              {phase === 'ended' && (
                <>
                  <Link className="button button--compact" href={`/review/${encodeURIComponent(view.sessionId)}`} data-action="open-review">
                    Open the review
                  </Link>
                  <CsvDownload view={view} />
                  <Link className="button button--quiet button--compact" href="/host">
                    Host another class
                  </Link>
                </>
              )}
            </div>
            <p className={`dash-controls__status${error ? ' is-error' : ''}`} role={error ? 'alert' : 'status'}>
              {error ? describeError(error) : note}
            </p>
            <div className="dash-step">
              <h3 className="dash-step__title">Tell the class: {step.title.toLowerCase()}</h3>
              <p>{step.text}</p>
            </div>
          </section>
          <div className="dash__progress">
            <ClassProgress view={view} now={now} />
            {(phase === 'cards' || phase === 'negotiate' || phase === 'locked') && <KeyRequestList view={view} now={now} />}
          </div>
      </div>

      <Roster
        view={view}
        busy={busy}
        now={now}
        onKick={(playerId) => void run('teacher:kick', { playerId }, 'Removed.')}
        onReadmit={(playerId) => void run('teacher:readmit', { playerId }, 'Let back in: their phone can rejoin.')}
        onRename={(playerId, nickname) => void run('teacher:rename', { playerId, nickname }, `Renamed to ${nickname}.`)}
      />

      <div className="dash__grid">
        <div className="dash__main">
          {phase === 'reveal' || phase === 'podium' || phase === 'ended' ? <RevealPanel view={view} /> : <ClassAttention view={view} />}
        </div>

        <aside className="dash__side">
          {view.leaderboard.length > 0 && (phase === 'reveal' || phase === 'podium' || phase === 'ended') && (
            <section className="panel" aria-labelledby="leaders-title">
              <h2 id="leaders-title">Leaderboard</h2>
              <ol className="leaders">
                {view.leaderboard.slice(0, 8).map((entry) => (
                  <li key={entry.playerId ?? entry.nickname} className="leaders__row">
                    <span className="leaders__rank">{entry.rank}</span>
                    <span className="leaders__name">{entry.nickname}</span>
                    <span className="leaders__total">{formatPoints(entry.total)}</span>
                  </li>
                ))}
              </ol>
            </section>
          )}
          <section className="panel" aria-labelledby="settings-title">
            <h2 id="settings-title">Settings</h2>
            <SettingsFields
              live
              settings={view.settings}
              adjustable={view.lesson.adjustable}
              disabled={phase === 'ended'}
              onChange={(patch: SettingsPatch) => void run('teacher:settings', { settings: patch })}
            />
          </section>
          {view.settings.lobbyLocked && phase !== 'ended' && (
            <section className="panel" aria-labelledby="admit-title">
              <h2 id="admit-title">Let a name in</h2>
              <form
                className="admit-form"
                onSubmit={(e) => {
                  e.preventDefault();
                  const input = e.currentTarget.elements.namedItem('admit') as HTMLInputElement;
                  const nickname = input.value.trim();
                  if (nickname) void run('teacher:admit', { nickname }, `${nickname} can join now.`).then(() => (input.value = ''));
                }}
              >
                <label htmlFor="admit">The lobby is locked: a student who asks to join can use this name once.</label>
                <input id="admit" name="admit" maxLength={20} autoComplete="off" />
                <button type="submit" className="button button--quiet" disabled={busy}>
                  Let in
                </button>
              </form>
            </section>
          )}
          <History view={view} />
        </aside>
      </div>
    </div>
  );
}

/** The teacher's dashboard for session `code`: resumes with the host secret this browser keeps. */
export function Dashboard({ code }: { code: string }) {
  const valid = isJoinCode(code);
  const { view, status, error, send, retry, clockSkewMs } = useArena(valid ? { role: 'host', code } : null);

  if (!view) {
    if (!valid) {
      return (
        <div className="dash-gate panel" role="alert">
          <h1>“{code}” is not a join code</h1>
          <p>A session’s code has {JOIN_CODE_LENGTH} letters and digits. Your sessions are listed under past sessions; or open a new one.</p>
          <p className="dash-gate__actions">
            <Link className="button button--quiet" href="/history">
              Your past sessions
            </Link>
            <Link className="button" href="/host">
              Open a new session
            </Link>
          </p>
        </div>
      );
    }
    if (status === 'denied' || status === 'outdated' || status === 'closed') {
      return (
        <div className="dash-gate panel" role="alert">
          <h1>Can’t open this dashboard</h1>
          <p>
            {error?.code === 'client/no-identity'
              ? `This browser holds no host key for ${code}: either the session was opened in another browser (only that one can run it), or there is no session with this code.`
              : error
                ? describeError(error)
                : 'The connection closed.'}
          </p>
          <p className="dash-gate__actions">
            <button type="button" className="button button--quiet" onClick={retry}>
              Try again
            </button>
            <Link className="button" href="/host">
              Open a new session
            </Link>
          </p>
        </div>
      );
    }
    return (
      <div className="dash-gate panel" role="status" aria-busy="true">
        <p>{describeStatus(status)} Opening session {code}…</p>
      </div>
    );
  }
  const connection = status === 'connected' ? null : `${describeStatus(status)} The controls work again once the connection is back.`;
  return <DashboardView view={view} send={send} connection={connection} serverOffsetMs={clockSkewMs} />;
}
