'use client';

import type { Phase, TeacherPlayerView, TeacherView } from '../../../lib/protocol';
import { formatPoints } from '../stage/phase';
import { ConfirmButton } from './controls';

type Badge = { kind: string; text: string };

/** Where a student stands right now, in words (each badge is text, never only a colour). */
function badges(player: TeacherPlayerView, phase: Phase, playing: boolean, scored: boolean): Badge[] {
  if (player.kicked) return [{ kind: 'kicked', text: 'Removed' }];
  const out: Badge[] = [];
  if (player.replacedByBot) out.push({ kind: 'bot', text: 'Away · AI plays' });
  else if (player.away) out.push({ kind: 'away', text: 'Away' });
  if (player.seat === null) {
    if (phase !== 'lobby' && phase !== 'podium' && phase !== 'ended') out.push({ kind: 'waiting', text: 'Joins next round' });
    else if (phase === 'lobby') out.push({ kind: 'ready', text: 'Ready' });
    return out;
  }
  if (scored) out.push({ kind: 'scored', text: '✓ Scored' });
  if (!playing) return out;
  if (player.lockedIn) out.push({ kind: 'locked', text: '✓ Locked in' });
  else if (player.touched) out.push({ kind: 'touched', text: 'Allocating…' });
  else out.push({ kind: 'idle', text: 'Not started' });
  return out;
}

function seatLabel(view: TeacherView, seatIndex: number | null): string {
  if (seatIndex === null) return '—';
  const seat = view.seats.find((s) => s.seat === seatIndex);
  if (!seat) return '—';
  const token = view.lesson.tokens[seat.token] ?? `#${seat.token}`;
  const head = view.lesson.heads.length > 1 ? ` · ${view.lesson.heads[seat.head]?.name ?? seat.head}` : '';
  const team = seat.members.length > 1 ? ` (team of ${seat.members.length})` : '';
  return `${token}${head}${team}`;
}

/** The top pick of an allocation, as "cat 62%". */
function topPick(view: TeacherView, allocation: number[] | null): string {
  if (!allocation) return '—';
  let best = 0;
  allocation.forEach((w, k) => {
    if (w > allocation[best]) best = k;
  });
  return `${view.lesson.tokens[best]} ${Math.round(allocation[best] * 100)}%`;
}

/** Every student of the session with their seat and state, and a kick that asks first. */
export function Roster({ view, onKick, busy }: { view: TeacherView; onKick: (playerId: string) => void; busy: boolean }) {
  const phase = view.phase;
  const playing = phase === 'cards' || phase === 'negotiate' || phase === 'locked';
  const results = new Map((view.results ?? []).map((r) => [r.playerId, r]));
  const players = [...view.players].sort((a, b) => Number(a.kicked) - Number(b.kicked) || a.nickname.localeCompare(b.nickname));
  const active = players.filter((p) => !p.kicked);
  const lockedIn = active.filter((p) => p.lockedIn).length;
  const seated = active.filter((p) => p.seat !== null).length;

  return (
    <section className="panel roster" aria-labelledby="roster-title">
      <div className="panel__head">
        <h2 id="roster-title">Class</h2>
        <p className="roster__summary" aria-live="polite">
          {active.length} student{active.length === 1 ? '' : 's'}
          {playing && seated > 0 ? ` · ${lockedIn} of ${seated} locked in` : ''}
        </p>
      </div>
      {players.length === 0 ? (
        <p className="roster__empty">
          No one has joined yet. Put the stage on the projector: students join with the code, no account needed.
        </p>
      ) : (
        <div className="table-scroll" tabIndex={0} role="region" aria-label="Class roster, scrollable">
          <table className="roster__table">
            <thead>
              <tr>
                <th scope="col">Student</th>
                <th scope="col">Seat</th>
                <th scope="col">State</th>
                <th scope="col">Top pick</th>
                {view.results && <th scope="col">Round</th>}
                <th scope="col">Total</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {players.map((player) => {
                const result = results.get(player.playerId);
                return (
                  <tr key={player.playerId} className={player.kicked ? 'is-kicked' : undefined} data-player={player.nickname} data-player-id={player.playerId}>
                    <th scope="row" className="roster__name">
                      {player.nickname}
                    </th>
                    <td>{seatLabel(view, player.seat)}</td>
                    <td>
                      <span className="badges">
                        {badges(player, phase, playing, result !== undefined).map((badge) => (
                          <span key={badge.kind} className={`badge badge--${badge.kind}`}>
                            {badge.text}
                          </span>
                        ))}
                      </span>
                    </td>
                    <td className="roster__pick">{playing || phase === 'reveal' ? topPick(view, result?.allocation ?? player.allocation) : '—'}</td>
                    {view.results && (
                      <td className="roster__score" data-player-score={result ? result.score : ''}>
                        {result ? formatPoints(result.score + result.bonus) : '—'}
                        {result && result.bonus > 0 && <span className="roster__bonus"> (+{result.bonus} speed)</span>}
                      </td>
                    )}
                    <td className="roster__total">{formatPoints(player.total)}</td>
                    <td className="roster__actions">
                      {!player.kicked && view.phase !== 'ended' && (
                        <ConfirmButton
                          name={`kick-${player.nickname}`}
                          className="button button--quiet button--tiny"
                          ariaLabel={`Remove ${player.nickname}`}
                          title={`Remove ${player.nickname}?`}
                          message={
                            <p>
                              Their phone is told they were removed and the same browser cannot come back into this session. Their seat goes
                              to their teammates or to an AI classmate.
                            </p>
                          }
                          confirmLabel={`Remove ${player.nickname}`}
                          onConfirm={() => onKick(player.playerId)}
                          disabled={busy}
                        >
                          Remove
                        </ConfirmButton>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
