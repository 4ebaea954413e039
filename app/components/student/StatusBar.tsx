'use client';

import { useEffect, useState } from 'react';
import { describeStatus, formatCountdown, timeLeftMs, type ConnectionStatus } from '../../../lib/client';
import type { StudentView } from '../../../lib/protocol';
import { Icon } from './Icon';
import { PHASE_LABEL } from './text';

/** Seconds from which the clock warns (with words, not only colour). */
const HURRY_MS = 10_000;

function spokenDuration(ms: number): string {
  const seconds = Math.ceil(ms / 1000);
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  const parts = [m > 0 ? `${m} minute${m === 1 ? '' : 's'}` : '', s > 0 || m === 0 ? `${s} second${s === 1 ? '' : 's'}` : ''];
  return parts.filter(Boolean).join(' ');
}

/** Re-renders every `intervalMs` while `running`, returning the current time. */
function useNow(running: boolean, intervalMs = 250): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!running) return;
    const tick = () => setNow(Date.now());
    const id = setInterval(tick, intervalMs);
    const first = setTimeout(tick, 0);
    return () => {
      clearInterval(id);
      clearTimeout(first);
    };
  }, [running, intervalMs]);
  return now;
}

/** The negotiation clock, counting down to the server's deadline; frozen while paused. */
export function Countdown({ view, serverOffsetMs = 0 }: { view: StudentView; serverOffsetMs?: number }) {
  const timer = view.round?.timer ?? null;
  const running = timer?.deadline !== null && timer?.deadline !== undefined;
  const now = useNow(running);
  const raw = view.phase === 'negotiate' ? timeLeftMs(timer, now, serverOffsetMs) : null;
  if (raw === null) return null;
  // Until an answer has told this phone the server's clock, a clock running behind would show more time than the round has.
  const left = timer?.durationMs != null ? Math.min(raw, timer.durationMs) : raw;
  const hurry = left <= HURRY_MS && !view.paused;
  return (
    <span
      className={`phone-clock${hurry ? ' phone-clock--hurry' : ''}${view.paused ? ' phone-clock--paused' : ''}`}
      role="timer"
      aria-label={`${spokenDuration(left)} left${view.paused ? ', paused' : ''}`}
    >
      <Icon name="stopwatch" size={16} className="phone-clock__icon" />
      <span aria-hidden="true">{formatCountdown(left)}</span>
      {hurry && left > 0 && <span className="phone-clock__note">hurry</span>}
    </span>
  );
}

/** The strip at the top of a student's phone: connection, round and phase, the clock. */
export function StatusBar({ status, view, serverOffsetMs = 0 }: { status: ConnectionStatus; view: StudentView | null; serverOffsetMs?: number }) {
  const tone = status === 'connected' ? 'ok' : status === 'reconnecting' || status === 'connecting' || status === 'idle' ? 'busy' : 'error';
  return (
    <div className="status-bar" role="group" aria-label="Game status">
      <span className={`status-bar__connection status-bar__connection--${tone}`} title={describeStatus(status)}>
        <span className="status-bar__dot" aria-hidden="true" />
        {/* A phone's bar must hold connection, round, phase and clock on one line: when all is well the
            dot says it (its words are for screen readers); any trouble is spelled out. */}
        {status === 'connected' ? <span className="sr-only">Connected</span> : describeStatus(status)}
      </span>
      {view && (
        <span className="status-bar__phase">
          {view.round && view.phase !== 'lobby' ? <>Round {view.round.number} · </> : null}
          {view.paused ? 'Paused' : PHASE_LABEL[view.phase]}
        </span>
      )}
      {view && <Countdown view={view} serverOffsetMs={serverOffsetMs} />}
    </div>
  );
}
