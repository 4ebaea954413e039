'use client';

import { useEffect, useId, useRef, useState } from 'react';
import {
  describeError,
  nudgeWeight,
  pinToken,
  setWeight,
  spreadEvenly,
  toPercents,
  type ArenaErrorInfo,
  type ClientAck,
} from '../../../lib/client';
import type { ClientEventName, InboundInput, ResponseData, StudentSeatView, StudentView } from '../../../lib/protocol';
import { formatCardNumber } from '../QkvCard';
import { Icon } from './Icon';
import { dotProduct, tokenName } from './text';

/** Sends one request and answers with `{ ok, data | error }` (the hook's `send`). */
export type Send = <E extends ClientEventName>(event: E, payload: InboundInput<E>) => Promise<ClientAck<ResponseData<E>>>;

/** How long slider moves are gathered before they are sent. */
const SEND_AFTER_MS = 150;
/** The +/− buttons' step. */
const STEP = 0.05;

type SaveState = { kind: 'saved' } | { kind: 'unsaved' } | { kind: 'saving' } | { kind: 'error'; error: ArenaErrorInfo };

export function KeyChips({ values, features }: { values: readonly number[]; features: readonly string[] }) {
  return (
    <span className="key-chips">
      {values.map((v, d) => (
        <span key={features[d] ?? d} className="key-chip">
          <span className="key-chip__feature">{features[d] ?? `dim ${d + 1}`}</span> <b>{formatCardNumber(v)}</b>
        </span>
      ))}
    </span>
  );
}

/**
 * The heart of a student's round: every token of the sentence with its key (shown, or asked for) and
 * the slider saying how much of my attention it gets. The sliders always add up to 100%: moving one
 * rescales the others in proportion. Moves are sent ~150 ms after the last one; "Lock in" sends what
 * is pending first.
 */
export function AttentionBoard({ view, seat, send }: { view: StudentView; seat: StudentSeatView; send: Send }) {
  const round = view.round?.number ?? 0;
  const { tokens, heads } = view.lesson;
  const head = heads[seat.head];
  const negotiating = view.phase === 'negotiate' && !view.paused;
  const editable = negotiating && !seat.lockedIn;
  const causal = view.round?.causal ?? false;
  const allowed = seat.allowedTokens;
  const idBase = useId();

  const [draft, setDraft] = useState<number[] | null>(null);
  const [save, setSave] = useState<SaveState>({ kind: 'saved' });
  const [asking, setAsking] = useState<ReadonlySet<number>>(new Set());
  const [problem, setProblem] = useState<string | null>(null);
  const [showMath, setShowMath] = useState(false);
  const [locking, setLocking] = useState(false);

  // The pending move and its timer live outside React's state: they are the send queue, not the screen.
  const pending = useRef<number[] | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const sequence = useRef(0);
  /** Moves sent and not yet answered. */
  const inFlight = useRef(0);

  const weights = draft ?? seat.allocation;
  const percents = toPercents(weights);
  const teamPercents = seat.teamAllocation ? toPercents(seat.teamAllocation) : null;

  async function flush(): Promise<boolean> {
    if (timer.current !== null) clearTimeout(timer.current);
    timer.current = null;
    const next = pending.current;
    if (!next) return true;
    pending.current = null;
    const mine = ++sequence.current;
    setSave({ kind: 'saving' });
    inFlight.current++;
    const ack = await send('attention:allocate', { round, weights: next }).finally(() => inFlight.current--);
    if (mine !== sequence.current) return ack.ok;
    if (ack.ok) {
      setSave(pending.current ? { kind: 'unsaved' } : { kind: 'saved' });
    } else {
      setSave({ kind: 'error', error: ack.error });
    }
    return ack.ok;
  }

  // Another tab of the same student moved (or the teacher's reset did): with nothing of ours unsent or
  // unanswered, the server's sliders are the truth, so the tabs never drift apart.
  const serverWeights = seat.allocation.join(',');
  useEffect(() => {
    if (pending.current === null && inFlight.current === 0) setDraft(null);
  }, [serverWeights]);

  /** The tokens this student set by hand this round, oldest first: later moves leave them as set. */
  const pinned = useRef<number[]>([]);

  function change(next: number[], movedToken: number | null = null): void {
    if (!editable) return;
    pinned.current = movedToken === null ? [] : pinToken(pinned.current, movedToken);
    setDraft(next);
    setSave({ kind: 'unsaved' });
    pending.current = next;
    if (timer.current !== null) clearTimeout(timer.current);
    timer.current = setTimeout(() => void flush(), SEND_AFTER_MS);
  }

  // Leaving the round with a move not yet sent (the board unmounts): send it now rather than lose it.
  useEffect(
    () => () => {
      if (timer.current !== null) {
        clearTimeout(timer.current);
        const next = pending.current;
        if (next) void send('attention:allocate', { round, weights: next });
      }
    },
    [send, round],
  );

  async function ask(token: number): Promise<void> {
    setProblem(null);
    setAsking((s) => new Set(s).add(token));
    const ack = await send('key:request', { round, token });
    setAsking((s) => {
      const next = new Set(s);
      next.delete(token);
      return next;
    });
    if (!ack.ok) setProblem(describeError(ack.error));
  }

  async function lockIn(): Promise<void> {
    setProblem(null);
    setLocking(true);
    const saved = await flush();
    const ack = saved ? await send('attention:lock', { round }) : null;
    setLocking(false);
    if (ack && !ack.ok) setProblem(describeError(ack.error));
  }

  const saveText =
    save.kind === 'saved'
      ? seat.touched || draft
        ? 'Saved'
        : 'Evenly spread: move the sliders'
      : save.kind === 'unsaved'
        ? 'Not saved yet…'
        : save.kind === 'saving'
          ? 'Saving…'
          : `Not saved: ${describeError(save.error)}`;

  return (
    <section className="panel board" aria-labelledby={`${idBase}-title`}>
      <div className="board__head">
        <h2 id={`${idBase}-title`}>Where does your attention go?</h2>
        <p className="hint">
          {view.phase === 'cards'
            ? 'The teacher opens the negotiation soon. Until then, study your query and think about which keys would answer it.'
            : seat.lockedIn
              ? 'You are locked in. These are your final weights.'
              : view.paused
                ? 'The game is paused: sliders and key requests wait for the teacher.'
                : 'Split 100 %. Tap a key icon to ask for that key.'}
        </p>
        {causal && (
          <p className="board__causal">
            <Icon name="arrow-left" size={16} /> Causal round: you may only look at yourself and earlier tokens.
          </p>
        )}
      </div>

      <label className="board__math">
        <input type="checkbox" checked={showMath} onChange={(e) => setShowMath(e.target.checked)} />
        Show my Q·K sums
      </label>

      <ol className="board__rows">
        {tokens.map((word, j) => {
          const isMe = j === seat.token;
          const isAllowed = allowed.includes(j);
          const key = seat.keys[j];
          const request = seat.requestsOut.find((r) => r.token === j);
          const name = tokenName(tokens, j);
          const percent = percents[j] ?? 0;
          const math = showMath && key ? dotProduct(seat.cards.query, key) : null;
          return (
            <li key={`${j}-${word}`} className={`alloc-row${isMe ? ' is-me' : ''}${isAllowed ? '' : ' is-masked'}`}>
              {/* One line per token (word, key, slider), so sixteen tokens fit in about two phone screens. */}
              <div className="alloc-row__line">
                <span className="alloc-row__token">
                  <span className="alloc-row__word">{word}</span>
                  <span className="alloc-row__index" aria-hidden="true">
                    {j}
                  </span>
                  {isMe && <span className="sr-only"> (you)</span>}
                </span>
                {!isAllowed ? (
                  <span />
                ) : key ? (
                  <span className="alloc-row__key-label" aria-hidden="true" title={`${name}'s key is below`}>
                    K
                  </span>
                ) : request?.status === 'pending' || asking.has(j) ? (
                  <span className="alloc-row__asked" role="status" aria-label={`Asked — waiting for “${name}”`} title={`Asked — waiting for “${name}”`} />
                ) : (
                  <button
                    type="button"
                    className="button button--quiet button--ask"
                    disabled={!negotiating}
                    onClick={() => void ask(j)}
                    aria-label={`Ask for key of ${name}`}
                    title={`Ask ${name} for its key`}
                  >
                    <Icon name="key" size={16} />
                  </button>
                )}
                {isAllowed ? (
                  <div className="alloc-row__control">
                    <button
                      type="button"
                      className="step"
                      onClick={() => change(nudgeWeight(weights, allowed, j, -STEP, pinned.current), j)}
                      disabled={!editable || percent <= 0}
                      aria-label={`Less attention to ${name}`}
                    >
                      −
                    </button>
                    <input
                      type="range"
                      className="slider alloc-row__slider"
                      min={0}
                      max={100}
                      step={1}
                      value={percent}
                      disabled={!editable}
                      style={{ ['--fill' as string]: `${percent}%` }}
                      onChange={(e) => change(setWeight(weights, allowed, j, Number(e.target.value) / 100, pinned.current), j)}
                      aria-label={`Attention to ${name}, token ${j}`}
                      aria-valuetext={`${percent}%`}
                    />
                    <button
                      type="button"
                      className="step"
                      onClick={() => change(nudgeWeight(weights, allowed, j, STEP, pinned.current), j)}
                      disabled={!editable || percent >= 100}
                      aria-label={`More attention to ${name}`}
                    >
                      +
                    </button>
                    <output className="alloc-row__percent" aria-hidden="true">
                      {percent}%
                    </output>
                  </div>
                ) : (
                  <p className="alloc-row__masked">Later: masked</p>
                )}
              </div>
              {isAllowed && key && (
                <span className="alloc-row__key">
                  <span className="sr-only">{name}'s key: </span>
                  <KeyChips values={key} features={head.keyFeatures} />
                </span>
              )}
              {math && <p className="alloc-row__math">Q·K = {math.working}</p>}
              {teamPercents && isAllowed && <p className="alloc-row__team">Team average {teamPercents[j]}%</p>}
            </li>
          );
        })}
      </ol>

      {problem && (
        <p className="board__problem" role="alert">
          {problem}
        </p>
      )}

      {view.phase === 'negotiate' && !seat.lockedIn && (
        <div className="board__actions">
          <p className={`board__save board__save--${save.kind}`} role={save.kind === 'error' ? 'alert' : undefined}>
            <span className="board__save-dot" aria-hidden="true" />
            {saveText}
          </p>
          <div className="board__buttons">
            <button type="button" className="button button--quiet" disabled={!editable} onClick={() => change(spreadEvenly(tokens.length, allowed))}>
              Spread evenly
            </button>
            <button type="button" className="button board__lock" disabled={!editable || locking} onClick={() => void lockIn()}>
              {locking ? 'Locking…' : 'Lock in'}
            </button>
          </div>
        </div>
      )}
      {seat.lockedIn && view.phase === 'negotiate' && (
        <p className="board__locked">
          <Icon name="check" size={18} /> Locked in: these weights are final.
        </p>
      )}
    </section>
  );
}

/** The student's own query, kept in the sticky top while they allocate: the question stays in sight. */
export function QueryStrip({ view, seat }: { view: StudentView; seat: StudentSeatView }) {
  const head = view.lesson.heads[seat.head];
  return (
    <div className="board__query" role="group" aria-label={`Your query, ${tokenName(view.lesson.tokens, seat.token)}`}>
      <span className="board__query-label">
        <span className="alloc-row__key-label board__query-q" aria-hidden="true">
          Q
        </span>
        {view.lesson.tokens[seat.token]}
      </span>
      <KeyChips values={seat.cards.query} features={head?.keyFeatures ?? []} />
    </div>
  );
}
