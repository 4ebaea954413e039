'use client';

import { AnimatePresence, motion, useReducedMotion } from 'framer-motion';
import { useEffect, useState } from 'react';
import type { StageSeatView, StageView } from '../../../lib/protocol';
import { AttentionArcs, type ArcTokenNote } from './AttentionArcs';
import { Countdown } from './Countdown';
import { FitChips } from './FitChips';
import { JoinPanel } from './JoinPanel';
import { PHASE_LABELS, rowsByHead, stepFor } from './phase';
import { Podium } from './Podium';
import { RevealShow } from './RevealShow';

/** What a chip's second line holds (the arcs cut longer text with an ellipsis). */
const CHIP_LINE_CHARS = 14;

/** "Isabella +4": the first name is shortened, never the count, so a team keeps its size. */
export function teamLine(first: string, others: number): string {
  const count = ` +${others}`;
  const room = CHIP_LINE_CHARS - count.length;
  const name = [...first];
  return `${name.length > room ? `${name.slice(0, room - 1).join('')}…` : first}${count}`;
}

/** What a token's chip on the stage says about the students playing it. */
function seatNote(seat: StageSeatView | undefined, tokens: readonly string[]): ArcTokenNote | undefined {
  if (!seat) return undefined;
  if (seat.playedByBot) return { line: 'AI classmate', bot: true };
  const people = seat.members;
  const locked = people.length > 0 && people.every((m) => m.lockedIn);
  // An even split nobody chose is no choice: say so, rather than let it pass for one.
  if (seat.untouched) return { line: 'untouched', locked, untouched: true };
  if (people.length > 1 && seat.topPicks) {
    // A team's mean flattens its choices: name the most common top pick and how many made it.
    const most = Math.max(...seat.topPicks);
    const pick = seat.topPicks.indexOf(most);
    if (most > 0) return { line: `${most}/${people.length} → ${tokens[pick] ?? pick}`, locked };
  }
  const names = people.map((m) => m.nickname).filter((name): name is string => name !== null);
  const line =
    names.length === people.length && names.length > 0
      ? names.length === 1
        ? names[0]
        : teamLine(names[0], names.length - 1)
      : `${people.length} player${people.length === 1 ? '' : 's'}`;
  return { line, locked };
}

/**
 * The recurrent lesson's point, counted: a note handed on word by word takes N − 1 steps one after
 * another, while attention computes all N² dot products at the same moment.
 */
function ParallelCount({ tokens }: { tokens: number }) {
  const reduceMotion = useReducedMotion();
  const handOffs = tokens - 1;
  const [passed, setPassed] = useState(reduceMotion ? handOffs : 0);
  useEffect(() => {
    if (passed >= handOffs) return;
    const timer = setTimeout(() => setPassed((p) => p + 1), 450);
    return () => clearTimeout(timer);
  }, [passed, handOffs]);
  return (
    <div className="parallel" aria-label={`A recurrent network: ${handOffs} hand-offs one after another. Attention: ${tokens * tokens} dot products at the same time.`}>
      <p className="parallel__side">
        <span className="parallel__label">Recurrent: the note, hand to hand</span>
        <span className="parallel__count" data-hand-offs={passed}>
          {passed}/{handOffs}
        </span>
        <span className="parallel__unit">steps, one after another</span>
      </p>
      <p className="parallel__side parallel__side--attention">
        <span className="parallel__label">Attention: every query with every key</span>
        <span className="parallel__count">{tokens * tokens}</span>
        <span className="parallel__unit">dot products, all at once</span>
      </p>
    </div>
  );
}

function headSeats(view: StageView, head: number): (StageSeatView | undefined)[] {
  return view.lesson.tokens.map((_, token) => view.seats.find((s) => s.head === head && s.token === token));
}

function LockProgress({ view }: { view: StageView }) {
  const playing = view.seats.flatMap((s) => (s.playedByBot ? [] : s.members));
  const locked = playing.filter((m) => m.lockedIn).length;
  return (
    <p className="stage-progress" data-locked={locked} data-players={playing.length}>
      <strong>{locked}</strong> of <strong>{playing.length}</strong> locked in
    </p>
  );
}

function Roster({ view }: { view: StageView }) {
  if (view.settings.hideNamesOnStage) {
    return (
      <p className="stage-roster__count">
        {view.roster.length} player{view.roster.length === 1 ? '' : 's'} in the game
      </p>
    );
  }
  // Who has not locked in yet comes first: that is who the class is waiting for.
  const members = [...view.roster].sort((a, b) => Number(a.lockedIn) - Number(b.lockedIn));
  return (
    <FitChips
      items={members}
      className="stage-roster"
      label="Players"
      keyOf={(member, i) => `${i}-${member.nickname ?? ''}`}
      render={(member) => (
        <span className={`stage-roster__name${member.away ? ' is-away' : ''}${member.lockedIn ? ' is-locked' : ''}`}>
          {member.lockedIn && (
            <span className="stage-roster__mark" aria-hidden="true">
              ✓
            </span>
          )}
          {member.nickname}
          {member.away && <span className="stage-roster__away"> (away)</span>}
          {member.lockedIn && <span className="sr-only"> (locked in)</span>}
        </span>
      )}
    />
  );
}

function Lobby({ view }: { view: StageView }) {
  return (
    <div className="stage-lobby">
      <JoinPanel code={view.code} />
      <div className="stage-lobby__class">
        <p className="stage-lobby__count" aria-live="polite">
          <strong>{view.roster.length}</strong> {view.roster.length === 1 ? 'player has' : 'players have'} joined
        </p>
        {!view.settings.hideNamesOnStage && <Roster view={view} />}
      </div>
    </div>
  );
}

function Round({ view }: { view: StageView }) {
  const causal = view.round?.causal ?? view.settings.causal;
  const heads = view.lesson.heads;
  const rows = rowsByHead(view.seats, heads.length, view.lesson.tokens.length);
  return (
    <div className={`stage-round stage-round--heads-${heads.length}${view.lesson.recurrent && view.phase !== 'cards' ? ' stage-round--counted' : ''}`}>
      {heads.map((head, h) => (
        <section key={head.name} className="stage-head" aria-label={`Head ${head.name}`}>
          {heads.length > 1 && (
            <>
              <h2 className={`stage-head__name stage-head__name--tone-${h % 4}`}>
                Head <span className="mono">{head.name}</span>
              </h2>
              <p className="stage-head__looks">{head.looksFor}</p>
            </>
          )}
          <AttentionArcs
            id={`stage-${h}`}
            title={`Where the class looks, head ${head.name}`}
            tokens={view.lesson.tokens}
            rows={view.phase === 'cards' ? rows[h].map(() => null) : rows[h]}
            causal={causal}
            notes={headSeats(view, h).map((seat) => seatNote(seat, view.lesson.tokens))}
            emptyText={view.phase === 'cards' ? 'Read your cards: the negotiation opens soon' : undefined}
            tone={h}
            maxVh={heads.length > 1 ? 40 : 58}
          />
        </section>
      ))}
      {view.lesson.recurrent && view.phase !== 'cards' && <ParallelCount tokens={view.lesson.tokens.length} />}
      <div className="stage-round__legend" aria-hidden="true">
        <span>
          <span className="legend-arc legend-arc--up" /> above: looks back at an earlier word
        </span>
        <span>
          <span className="legend-arc legend-arc--down" /> below: looks ahead
        </span>
        <span>thicker = more attention</span>
      </div>
    </div>
  );
}

function Finale({ view }: { view: StageView }) {
  const scored = (view.leaderboard ?? []).filter((entry) => entry.rounds > 0);
  if (scored.length === 0) {
    return (
      <div className="stage-finale">
        <p className="podium__title">Thanks for playing!</p>
      </div>
    );
  }
  return (
    <div className="stage-finale">
      <Podium entries={scored} title={view.phase === 'ended' ? 'Final standings' : 'The podium'} />
    </div>
  );
}

/**
 * The projector: big type on a dark ground, readable from the back of a classroom. It shows only what
 * the stage view holds (no model answer before the reveal), follows the phase, and never needs a mouse.
 */
export function StageScreen({
  view,
  connection,
  serverOffsetMs = 0,
}: {
  view: StageView;
  /** A short line about the connection when it is not simply up ("Reconnecting…"). */
  connection?: string | null;
  serverOffsetMs?: number;
}) {
  const reduceMotion = useReducedMotion();
  const phase = view.phase;
  const step = stepFor(view.lesson, phase);
  const playing = phase === 'cards' || phase === 'negotiate' || phase === 'locked';
  const showJoin = phase !== 'lobby' && phase !== 'podium' && phase !== 'ended' && view.settings.lateJoin;
  return (
    <div className={`stage stage--${phase}`} data-phase={phase} data-version={view.version}>
      <header className="stage__bar">
        <div className="stage__lesson">
          <p className="stage__eyebrow">
            {view.round ? `Round ${view.round.number} · ` : ''}
            <span data-phase-label>{PHASE_LABELS[phase]}</span>
          </p>
          <h1 className="stage__title">{view.lesson.title}</h1>
        </div>
        <div className="stage__bar-side">
          {(phase === 'cards' || phase === 'negotiate') && (
            <Countdown
              timer={view.round?.timer}
              paused={view.paused}
              serverOffsetMs={serverOffsetMs}
              size="large"
              upcomingMs={phase === 'cards' && view.settings.timerSeconds !== null ? view.settings.timerSeconds * 1000 : null}
            />
          )}
          {showJoin && <JoinPanel code={view.code} size="compact" />}
        </div>
      </header>

      {connection && (
        <p className="stage__connection" role="status">
          {connection}
        </p>
      )}

      <AnimatePresence mode="wait" initial={false}>
        <motion.div
          key={phase === 'cards' || phase === 'negotiate' || phase === 'locked' ? 'round' : phase}
          className="stage__body"
          initial={reduceMotion ? { opacity: 0 } : { opacity: 0, y: 16 }}
          animate={{ opacity: 1, y: 0 }}
          exit={{ opacity: 0 }}
          transition={{ duration: reduceMotion ? 0.1 : 0.35 }}
        >
          {phase === 'lobby' && <Lobby view={view} />}
          {playing && <Round view={view} />}
          {phase === 'reveal' && <RevealShow view={view} />}
          {(phase === 'podium' || phase === 'ended') && <Finale view={view} />}
        </motion.div>
      </AnimatePresence>

      {/* The reveal narrates each of its own steps: no footer under it. */}
      <footer className="stage__foot" hidden={phase === 'reveal'}>
        {phase === 'lobby' && <p className="stage__sentence">“{view.lesson.sentence}”</p>}
        {phase !== 'reveal' && (
          <div className="stage__step">
            <h2 className="stage__step-title">{step.title}</h2>
            <p className="stage__step-text">{step.text}</p>
          </div>
        )}
        {playing && (
          <div className="stage__foot-side">
            <LockProgress view={view} />
            {!view.settings.hideNamesOnStage && <Roster view={view} />}
          </div>
        )}
      </footer>

      {view.paused && (
        <div className="stage__paused" role="status">
          <span className="stage__paused-icon" aria-hidden="true">
            ❚❚
          </span>
          Paused — eyes on the teacher
        </div>
      )}
    </div>
  );
}
