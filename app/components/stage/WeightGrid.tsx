/**
 * Attention as a table: a row per query token, a column per key token, every weight printed in its
 * cell so colour is never the only signal. Unlike the lesson page's heatmap, a row may be missing (an
 * AI classmate's choice stays hidden until the reveal) and a score column may close each row.
 */
import { KeyHeaderCells, TokenName, WeightCell } from '../AttentionHeatmap';
import { isMasked } from './phase';

export interface GridRowNote {
  /** Shown in place of a missing row. */
  empty?: string;
  /** A short mark after the token's name (for example "AI"). */
  tag?: string;
}

const PEAK_TOLERANCE = 1e-6;

export function WeightGrid({
  id,
  caption,
  tokens,
  rows,
  causal,
  notes,
  scores,
  dense,
}: {
  /** A stable name for tests and styles (`data-grid`). */
  id: string;
  caption: string;
  tokens: readonly string[];
  rows: readonly (readonly number[] | null)[];
  causal: boolean;
  notes?: readonly (GridRowNote | undefined)[];
  /** A score (0–1000) per row, printed in a last column. */
  scores?: readonly (number | null)[];
  dense?: boolean;
}) {
  const isDense = dense ?? tokens.length > 7;
  return (
    <div className="heatmap weight-grid" data-grid={id}>
      <div className="heatmap__scroll" tabIndex={0} role="region" aria-label={`${caption}, scrollable`}>
        <table className={`heatmap__table${isDense ? ' heatmap__table--dense' : ''}`}>
          <caption className="sr-only">{caption}. Rows: the token asking (query). Columns: the token it looks at (key).</caption>
          <thead>
            <tr>
              <KeyHeaderCells tokens={tokens} />
              {scores && (
                <th scope="col" className="weight-grid__score-head">
                  <span className="heatmap__key">score</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {tokens.map((token, q) => {
              const row = rows[q] ?? null;
              const note = notes?.[q];
              const visible = row ? row.filter((_, k) => !isMasked(causal, q, k)) : [];
              const peak = visible.length > 0 ? Math.max(...visible) : 0;
              const flat = visible.length === 0 || peak - Math.min(...visible) < PEAK_TOLERANCE;
              return (
                <tr key={`${q}-${token}`} data-query-row={q}>
                  <th scope="row">
                    <TokenName tokens={tokens} index={q} />
                    {note?.tag && <span className="weight-grid__tag"> {note.tag}</span>}
                  </th>
                  {row === null ? (
                    <td className="heatmap__cell weight-grid__empty" colSpan={tokens.length} data-query={q}>
                      {note?.empty ?? 'not yet'}
                    </td>
                  ) : (
                    row.map((weight, k) => (
                      <WeightCell
                        key={k}
                        query={q}
                        keyIndex={k}
                        weight={weight}
                        masked={isMasked(causal, q, k)}
                        isPeak={!flat && peak - weight < PEAK_TOLERANCE}
                      />
                    ))
                  )}
                  {scores && (
                    <td className="weight-grid__score" data-query={q}>
                      {scores[q] ?? '—'}
                    </td>
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </div>
  );
}
