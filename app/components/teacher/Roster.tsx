'use client';

import { Fragment, useState } from 'react';
import type { Phase, TeacherPlayerView, TeacherView } from '../../../lib/protocol';
import { formatPoints } from '../stage/phase';
import { ConfirmButton } from './controls';
import { ORDER_LABELS, describeAgo, isPlaying, progressState, sinceMoved, sortRoster, tokenLabel, topPickText, type RosterOrder } from './progress';

type Badge = { kind: string; text: string };

/** Where a student stands right now, in words (each badge is text, never only a colour). */
function badges(player: TeacherPlayerView, phase: Phase, scored: boolean): Badge[] {
  if (player.kicked) return [{ kind: 'kicked', text: 'Removed' }];
  const out: Badge[] = [];
  if (player.replacedByBot) out.push({ kind: 'bot', text: 'Away · AI plays' });
  else if (player.away) out.push({ kind: 'away', text: 'Away' });
  if (player.seat === null) {
    if (isPlaying(phase) || phase === 'reveal') out.push({ kind: 'waiting', text: 'Joins next round' });
    else if (phase === 'lobby' && !player.away) out.push({ kind: 'ready', text: 'Ready' });
    return out;
  }
  if (scored) out.push({ kind: 'scored', text: '✓ Scored' });
  if (!isPlaying(phase)) return out;
  if (player.lockedIn) out.push({ kind: 'locked', text: '✓ Locked in' });
  else if (player.touched) out.push({ kind: 'touched', text: 'Working' });
  else out.push({ kind: 'idle', text: 'Not started' });
  if (!player.touched) out.push({ kind: 'untouched', text: 'Never moved' });
  return out;
}

function seatLabel(view: TeacherView, seatIndex: number | null): string {
  if (seatIndex === null) return '—';
  const seat = view.seats.find((s) => s.seat === seatIndex);
  if (!seat) return '—';
  const token = tokenLabel(view.lesson.tokens, seat.token);
  const head = view.lesson.heads.length > 1 ? ` · ${view.lesson.heads[seat.head]?.name ?? seat.head}` : '';
  const team = seat.members.length > 1 ? ` · team of ${seat.members.length}` : '';
  return `${token}${head}${team}`;
}

/** The groups of rows: one per seat when grouped (seat order), else one unnamed group. */
function groupRows(view: TeacherView, rows: TeacherPlayerView[], bySeat: boolean): { key: string; title: string | null; rows: TeacherPlayerView[] }[] {
  if (!bySeat) return [{ key: 'all', title: null, rows }];
  const groups = new Map<number | null, TeacherPlayerView[]>();
  for (const player of rows) {
    const key = player.kicked ? null : player.seat;
    groups.set(key, [...(groups.get(key) ?? []), player]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a ?? Number.MAX_SAFE_INTEGER) - (b ?? Number.MAX_SAFE_INTEGER))
    .map(([seat, members]) => ({ key: `seat-${seat ?? 'none'}`, title: seat === null ? 'No seat this round' : `Seat: ${seatLabel(view, seat)}`, rows: members }));
}

/**
 * Every student of the session with their seat and state, sortable (stuck first by default) and
 * groupable by seat, one compact line each, and a kick that asks first. `now` is the server's clock.
 */
export interface RosterActions {
  onKick: (playerId: string) => void;
  /** Lets a removed student back in: their phone's secret returns them to their seat. */
  onReadmit: (playerId: string) => void;
  /** A new name for a student (the server checks it like any nickname). */
  onRename: (playerId: string, nickname: string) => void;
}

export function Roster({ view, onKick, onReadmit, onRename, busy, now }: RosterActions & { view: TeacherView; busy: boolean; now: number }) {
  const [order, setOrder] = useState<RosterOrder>('state');
  const [renaming, setRenaming] = useState<string | null>(null);
  const [bySeat, setBySeat] = useState(false);
  const phase = view.phase;
  const playing = isPlaying(phase);
  const results = new Map((view.results ?? []).map((r) => [r.playerId, r]));
  const players = sortRoster(view.players, phase, order, now);
  const active = players.filter((p) => !p.kicked);
  const columns = 7 + (view.results ? 1 : 0);

  return (
    <section className="panel roster" aria-labelledby="roster-title">
      <div className="panel__head">
        <h2 id="roster-title">
          Class <span className="roster__summary">· {active.length} student{active.length === 1 ? '' : 's'}</span>
        </h2>
        {players.length > 0 && (
          <div className="roster__tools">
            <label className="roster__tool">
              Sort by{' '}
              <select value={order} onChange={(e) => setOrder(e.target.value as RosterOrder)} data-roster-order>
                {(Object.keys(ORDER_LABELS) as RosterOrder[]).map((key) => (
                  <option key={key} value={key}>
                    {ORDER_LABELS[key]}
                  </option>
                ))}
              </select>
            </label>
            <label className="roster__tool">
              <input type="checkbox" checked={bySeat} onChange={(e) => setBySeat(e.target.checked)} data-roster-group /> Group by seat
            </label>
          </div>
        )}
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
                <th scope="col">Last moved</th>
                <th scope="col">Top pick</th>
                {view.results && <th scope="col">Round</th>}
                <th scope="col">Total</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {groupRows(view, players, bySeat).map((group) => (
                <Fragment key={group.key}>
                  {group.title && (
                    <tr className="roster__group">
                      <th scope="colgroup" colSpan={columns}>
                        {group.title}
                      </th>
                    </tr>
                  )}
                  {group.rows.map((player) => {
                    const result = results.get(player.playerId);
                    const moved = sinceMoved(player, now);
                    return (
                      <tr
                        key={player.playerId}
                        className={player.kicked ? 'is-kicked' : undefined}
                        data-player={player.nickname}
                        data-player-id={player.playerId}
                        data-state={progressState(player, phase)}
                      >
                        <th scope="row" className="roster__name" title={player.nickname}>
                          {player.nickname}
                        </th>
                        <td className="roster__seat">{seatLabel(view, player.seat)}</td>
                        <td>
                          <span className="badges">
                            {badges(player, phase, result !== undefined).map((badge) => (
                              <span key={badge.kind} className={`badge badge--${badge.kind}`}>
                                {badge.text}
                              </span>
                            ))}
                          </span>
                        </td>
                        <td className="roster__moved" data-moved-ms={moved ?? ''}>
                          {player.away && player.awaySince !== null
                            ? `away ${describeAgo(Math.max(0, now - player.awaySince)).replace(' ago', '')}`
                            : moved === null
                              ? playing && player.seat !== null
                                ? 'not yet'
                                : '—'
                              : describeAgo(moved)}
                        </td>
                        <td className="roster__pick">
                          {playing || phase === 'reveal' ? topPickText(view.lesson.tokens, result?.allocation ?? player.allocation, player.touched || result !== undefined) : '—'}
                        </td>
                        {view.results && (
                          <td className="roster__score" data-player-score={result ? result.score : ''}>
                            {result ? formatPoints(result.score + result.bonus) : '—'}
                            {result && result.bonus > 0 && <span className="roster__bonus"> (+{result.bonus} speed)</span>}
                          </td>
                        )}
                        <td className="roster__total">{formatPoints(player.total)}</td>
                        <td className="roster__actions">
                          {renaming === player.playerId && view.phase !== 'ended' && (
                            <form
                              className="roster__rename"
                              onSubmit={(e) => {
                                e.preventDefault();
                                const input = e.currentTarget.elements.namedItem('nickname') as HTMLInputElement;
                                const nickname = input.value.trim();
                                if (nickname && nickname !== player.nickname) onRename(player.playerId, nickname);
                                setRenaming(null);
                              }}
                            >
                              <label className="sr-only" htmlFor={`rename-${player.playerId}`}>
                                New name for {player.nickname}
                              </label>
                              <input id={`rename-${player.playerId}`} name="nickname" defaultValue={player.nickname} maxLength={20} autoComplete="off" autoFocus />
                              <button type="submit" className="button button--tiny" disabled={busy}>
                                Save
                              </button>
                              <button type="button" className="button button--quiet button--tiny" onClick={() => setRenaming(null)}>
                                Cancel
                              </button>
                            </form>
                          )}
                          {!player.kicked && view.phase !== 'ended' && renaming !== player.playerId && (
                            <button
                              type="button"
                              className="button button--quiet button--tiny"
                              aria-label={`Rename ${player.nickname}`}
                              onClick={() => setRenaming(player.playerId)}
                              disabled={busy}
                            >
                              Rename
                            </button>
                          )}
                          {player.kicked && view.phase !== 'ended' && (
                            <ConfirmButton
                              name={`readmit-${player.nickname}`}
                              className="button button--quiet button--tiny"
                              ariaLabel={`Let ${player.nickname} back in`}
                              title={`Let ${player.nickname} back in?`}
                              message={<p>Their phone can rejoin with the same seat and points; an AI classmate plays for them until it does.</p>}
                              confirmLabel={`Let ${player.nickname} back in`}
                              onConfirm={() => onReadmit(player.playerId)}
                              disabled={busy}
                            >
                              Let back in
                            </ConfirmButton>
                          )}
                          {!player.kicked && view.phase !== 'ended' && renaming !== player.playerId && (
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
                </Fragment>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
