'use client';

import { Fragment, useState } from 'react';
import type { StudentReport, TeacherReview } from '../../../lib/review/types';
import { formatCosine, formatPoints, tokenLabel } from './format';
import { PairedBars } from './PairedBars';

/** Every student's rounds: score (and bonus), the token played, the output's cosine; a row opens to the allocations. */
export function StudentsTable({ review }: { review: TeacherReview }) {
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const { tokens, heads } = review.lesson;
  const multiHead = heads.length > 1;
  // The leaderboard's order, kicked students last.
  const students = [...review.students].sort((a, b) => (a.rank ?? Infinity) - (b.rank ?? Infinity));
  const toggle = (id: string) =>
    setOpen((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const columns = 3 + review.rounds.length;

  if (students.length === 0) return <p className="hint">No student joined this session.</p>;
  return (
    <div className="table-scroll">
      <table className="review-table review-students">
        <caption className="sr-only">Each student’s score per round, the token they played and how close their output was to the model’s (cosine).</caption>
        <thead>
          <tr>
            <th scope="col" className="num">
              Rank
            </th>
            <th scope="col">Student</th>
            {review.rounds.map((round) => (
              <th scope="col" key={round.round} className="num">
                Round {round.round}
              </th>
            ))}
            <th scope="col" className="num">
              Total
            </th>
          </tr>
        </thead>
        <tbody>
          {students.map((student: StudentReport) => {
            const expanded = open.has(student.playerId);
            const detailsId = `student-${student.playerId}`;
            return (
              <Fragment key={student.playerId}>
                <tr data-player={student.nickname} className={student.kicked ? 'is-kicked' : undefined}>
                  <td className="num">{student.rank ?? '—'}</td>
                  <th scope="row">
                    <button
                      type="button"
                      className="review-students__toggle"
                      aria-expanded={expanded}
                      aria-controls={detailsId}
                      onClick={() => toggle(student.playerId)}
                      disabled={student.rounds.length === 0}
                    >
                      <span className="review-students__chevron" aria-hidden="true">
                        {expanded ? '▾' : '▸'}
                      </span>
                      <span className="review-students__name">{student.nickname}</span>
                    </button>
                    {student.realName && <span className="review-students__real">{student.realName}</span>}
                    {student.kicked && <span className="badge badge--kicked">removed</span>}
                  </th>
                  {review.rounds.map((round) => {
                    const played = student.rounds.find((r) => r.round === round.round);
                    if (!played) {
                      return (
                        <td key={round.round} className="num review-muted">
                          <span aria-hidden="true">—</span>
                          <span className="sr-only">did not play</span>
                        </td>
                      );
                    }
                    return (
                      <td key={round.round} className="num" data-round={round.round} data-score={played.score}>
                        <span className="review-students__score">{played.score}</span>
                        {played.bonus > 0 && <span className="review-students__bonus"> +{played.bonus}</span>}
                        {!played.touched && <span className="tag tag--untouched">untouched</span>}
                        {played.foundTopKey && (
                          <span className="review-students__found" title="Found the model’s top key">
                            {' '}
                            ✓ top key
                          </span>
                        )}
                        <span className="review-students__sub">
                          as {tokenLabel(tokens, played.token)}
                          {multiHead && ` · ${heads[played.head]}`} · cos {formatCosine(played.cosine)}
                        </span>
                      </td>
                    );
                  })}
                  <td className="num review-students__total">{formatPoints(student.total)}</td>
                </tr>
                <tr id={detailsId} className="review-students__details" hidden={!expanded}>
                  <td colSpan={columns}>
                    {expanded && (
                      <div className="review-students__rounds">
                        {student.rounds.map((played) => (
                          <div key={played.round} className="review-students__round">
                            <PairedBars
                              tokens={tokens}
                              allocation={played.allocation}
                              model={played.trueRow}
                              who={student.nickname}
                              over={played.overWeighted?.token ?? null}
                              caption={`Round ${played.round}: ${student.nickname} as ${tokenLabel(tokens, played.token)}${multiHead ? ` (${heads[played.head]})` : ''}, ${played.score} points, output cosine ${formatCosine(played.cosine)}`}
                            />
                          </div>
                        ))}
                      </div>
                    )}
                  </td>
                </tr>
              </Fragment>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
