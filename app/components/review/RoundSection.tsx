'use client';

import type { HeadComparison, RoundReview, RowComparison } from '../../../lib/review/types';
import { describeOptions, formatDifference, tokenLabel } from './format';
import { RevealReplay } from './RevealReplay';
import { ReviewHeatmap, type CellMark, type RowNote } from './ReviewHeatmap';

function rowNote(row: RowComparison): RowNote | null {
  if (row.students > 0) {
    return { kind: 'students', text: row.students === 1 ? '1' : String(row.students), spoken: row.students === 1 ? '1 student' : `${row.students} students` };
  }
  if (row.playedByBot) return { kind: 'bot', text: 'AI', spoken: 'played by an AI classmate, not in the class average' };
  return { kind: 'none', text: '—', spoken: 'nobody played this row' };
}

function rowMarks(row: RowComparison): CellMark[] {
  const marks: CellMark[] = [];
  if (row.overWeighted) marks.push({ key: row.overWeighted.key, kind: 'over', difference: row.overWeighted.difference });
  if (row.underWeighted) marks.push({ key: row.underWeighted.key, kind: 'under', difference: row.underWeighted.difference });
  return marks;
}

function percent(weight: number): string {
  return `${Math.round(weight * 100)}%`;
}

/** Per token row: the key the class gave too much and the one it gave too little, with the sizes. */
function Misconceptions({ head, tokens }: { head: HeadComparison; tokens: readonly string[] }) {
  const rows = head.rows.filter((row) => row.classRow !== null);
  const worst = rows.reduce<{ token: number; size: number } | null>((best, row) => {
    const size = Math.max(row.overWeighted?.difference ?? 0, -(row.underWeighted?.difference ?? 0));
    return size > (best?.size ?? 0) ? { token: row.token, size } : best;
  }, null);
  return (
    <div className="review-misconceptions">
      <h4>Misconceptions, token by token</h4>
      <div className="table-scroll">
        <table className="review-table review-misconceptions__table">
          <caption className="sr-only">For each token the class played: the key it gave the most weight beyond the model, and the key it gave the least.</caption>
          <thead>
            <tr>
              <th scope="col">Token</th>
              <th scope="col">
                <span aria-hidden="true">▲ </span>Too much on
              </th>
              <th scope="col">
                <span aria-hidden="true">▼ </span>Too little on
              </th>
              <th scope="col" className="num">
                Row score
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => {
              const classRow = row.classRow ?? [];
              return (
                <tr key={row.token} data-token={row.token} className={worst?.token === row.token ? 'is-worst' : undefined}>
                  <th scope="row">
                    {tokenLabel(tokens, row.token)}
                    {worst?.token === row.token && <span className="review-tag review-tag--worst">biggest gap</span>}
                  </th>
                  <td data-over={row.overWeighted?.key ?? ''}>
                    {row.overWeighted ? (
                      <>
                        <b>{tokenLabel(tokens, row.overWeighted.key)}</b> <span className="review-diff review-diff--over">{formatDifference(row.overWeighted.difference)}</span>
                        <span className="review-misconceptions__detail">
                          class {percent(classRow[row.overWeighted.key] ?? 0)}, model {percent(row.modelRow[row.overWeighted.key] ?? 0)}
                        </span>
                      </>
                    ) : (
                      <span className="review-muted">nothing</span>
                    )}
                  </td>
                  <td data-under={row.underWeighted?.key ?? ''}>
                    {row.underWeighted ? (
                      <>
                        <b>{tokenLabel(tokens, row.underWeighted.key)}</b> <span className="review-diff review-diff--under">{formatDifference(row.underWeighted.difference)}</span>
                        <span className="review-misconceptions__detail">
                          class {percent(classRow[row.underWeighted.key] ?? 0)}, model {percent(row.modelRow[row.underWeighted.key] ?? 0)}
                        </span>
                      </>
                    ) : (
                      <span className="review-muted">nothing</span>
                    )}
                  </td>
                  <td className="num">{row.classRowScore ?? '—'}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <p className="hint">Row score: the class’s average allocation scored like a student’s answer, out of 1000.</p>
    </div>
  );
}

/** One head of a round: the class's heatmap beside the model's, the misconceptions and the replay. */
function HeadBlock({ head, tokens, causal, multiHead }: { head: HeadComparison; tokens: readonly string[]; causal: boolean; multiHead: boolean }) {
  const played = head.rows.some((row) => row.classRow !== null);
  const bots = head.rows.filter((row) => row.playedByBot && row.classRow === null).length;
  return (
    <section className="review-head" data-head={head.name} aria-label={`Head ${head.name}`}>
      {multiHead && (
        <h3 className="review-head__title">
          Head <span className="mono">{head.name}</span>
        </h3>
      )}
      {!played && <p className="hint">AI classmates played every seat of this head; there is no class answer to compare.</p>}
      <div className="review-head__pair">
        {played && (
          <ReviewHeatmap
            title="The class (average)"
            kind="class"
            head={head.name}
            tokens={tokens}
            rows={head.rows.map((row) => row.classRow)}
            causal={causal}
            notes={head.rows.map(rowNote)}
            marks={head.rows.map(rowMarks)}
          />
        )}
        <ReviewHeatmap title="The model" kind="model" head={head.name} tokens={tokens} rows={head.rows.map((row) => row.modelRow)} causal={causal} />
      </div>
      {played && (
        <p className="hint review-head__legend">
          <span aria-hidden="true">▲</span> most over-weighted key in a row, <span aria-hidden="true">▼</span> most under-weighted. The number
          beside a token: how many students its row averages.
          {bots > 0 && <> Rows marked AI were played by an AI classmate and are left out of the class’s average.</>}
        </p>
      )}
      {played && (
        <div className="review-head__below">
          <Misconceptions head={head} tokens={tokens} />
          <div className="review-head__replay">
            <h4>Replay of the reveal</h4>
            <RevealReplay head={head} tokens={tokens} causal={causal} />
          </div>
        </div>
      )}
    </section>
  );
}

/** One revealed round: its settings, the class score and each head's comparison. */
export function RoundSection({ round, tokens }: { round: RoundReview; tokens: readonly string[] }) {
  const multiHead = round.heads.length > 1;
  return (
    <div className="review-round" data-round={round.round}>
      <p className="review-round__facts">
        <span>
          Class score <b>{round.classScore === null ? '—' : Math.round(round.classScore)}</b>
          <span className="review-muted"> / 1000</span>
        </span>
        <span>
          <b>{round.scored}</b> {round.scored === 1 ? 'student' : 'students'} scored
        </span>
        <span className="review-muted">{describeOptions(round.options)}</span>
      </p>
      {round.heads.map((head) => (
        <HeadBlock key={head.head} head={head} tokens={tokens} causal={round.options.causal} multiHead={multiHead} />
      ))}
    </div>
  );
}
