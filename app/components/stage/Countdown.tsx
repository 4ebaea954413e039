'use client';

import { useSyncExternalStore } from 'react';
import { formatCountdown as formatClock, timeLeftMs as remainingMs } from '../../../lib/client/views';
import type { TimerView } from '../../../lib/protocol';

const TICK_MS = 250;

function subscribe(onChange: () => void): () => void {
  const id = window.setInterval(onChange, TICK_MS);
  return () => window.clearInterval(id);
}

// Quantized, so React sees the same value until the next tick (a store snapshot must be stable).
const clientNow = () => Math.floor(Date.now() / TICK_MS) * TICK_MS;
const serverNow = () => 0;

/** The browser's clock, ticking four times a second; 0 while rendering on the server. */
export function useNow(): number {
  return useSyncExternalStore(subscribe, clientNow, serverNow);
}

function spoken(ms: number): string {
  const seconds = Math.ceil(ms / 1000);
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  const parts = [m > 0 ? `${m} minute${m === 1 ? '' : 's'}` : '', s > 0 || m === 0 ? `${s} second${s === 1 ? '' : 's'}` : ''];
  return parts.filter(Boolean).join(' ');
}

/**
 * The negotiation clock, counted down in the browser towards the server's deadline. `serverOffsetMs`
 * is server time minus this browser's time, where the client knows it. A ring shows the share left, and
 * the number says it, so the colour of the last seconds is never the only warning.
 */
export function Countdown({
  timer,
  paused,
  serverOffsetMs = 0,
  size = 'normal',
  upcomingMs = null,
}: {
  timer: TimerView | null | undefined;
  paused: boolean;
  serverOffsetMs?: number;
  size?: 'normal' | 'large';
  /** Before the negotiation opens: the time it will get, shown as a clock not yet running. */
  upcomingMs?: number | null;
}) {
  const now = useNow();
  const left = now === 0 ? null : remainingMs(timer, now, serverOffsetMs);
  if ((!timer || timer.durationMs === null) && left === null && upcomingMs !== null) {
    return (
      <div className={`countdown countdown--${size} is-waiting`} role="timer" aria-label={`${spoken(upcomingMs)} once the negotiation opens`}>
        <svg className="countdown__ring" viewBox="0 0 100 100" aria-hidden="true">
          <circle className="countdown__track" cx="50" cy="50" r="42" />
        </svg>
        <span className="countdown__digits" aria-hidden="true">
          {formatClock(upcomingMs)}
        </span>
        <span className="countdown__note" aria-hidden="true">
          not started
        </span>
      </div>
    );
  }
  if (!timer || (timer.durationMs === null && left === null)) {
    return (
      <div className={`countdown countdown--${size} is-off`} role="timer" aria-label="No timer this round">
        <span className="countdown__digits" aria-hidden="true">
          —:—
        </span>
        <span className="countdown__note" aria-hidden="true">
          no timer
        </span>
      </div>
    );
  }
  const duration = timer.durationMs ?? 1;
  const share = left === null ? 1 : Math.min(1, left / duration);
  const urgent = left !== null && left <= 10_000 && !paused;
  const radius = 42;
  const circumference = 2 * Math.PI * radius;
  return (
    <div
      className={`countdown countdown--${size}${urgent ? ' is-urgent' : ''}${paused ? ' is-paused' : ''}`}
      role="timer"
      aria-label={left === null ? 'Timer waiting to start' : `${spoken(left)} left${paused ? ', paused' : ''}`}
      data-remaining-ms={left ?? ''}
    >
      <svg className="countdown__ring" viewBox="0 0 100 100" aria-hidden="true">
        <circle className="countdown__track" cx="50" cy="50" r={radius} />
        <circle
          className="countdown__fill"
          cx="50"
          cy="50"
          r={radius}
          strokeDasharray={circumference}
          strokeDashoffset={circumference * (1 - share)}
          transform="rotate(-90 50 50)"
        />
      </svg>
      <span className="countdown__digits" aria-hidden="true">
        {left === null ? formatClock(duration) : formatClock(left)}
      </span>
      <span className="countdown__note" aria-hidden="true">
        {paused ? 'paused' : urgent ? 'last seconds' : 'left'}
      </span>
    </div>
  );
}
