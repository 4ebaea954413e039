import { formatPercent, heatColour } from '../AttentionHeatmap';
import { formatDifference, tokenLabel } from './format';

/** What a row's header says besides the token: who made this row. */
export interface RowNote {
  /** Shown after the token, e.g. "2 students" or "AI". */
  text: string;
  /** Said to screen readers instead of `text`. */
  spoken: string;
  kind: 'students' | 'bot' | 'none';
}

/** A cell to point out: the class's largest excess (over) or shortfall (under) in its row. */
export interface CellMark {
  key: number;
  kind: 'over' | 'under';
  difference: number;
}

/**
 * One head's weights as a compact table, a percentage printed in every cell so colour is never the
 * only signal. A row without data (no student played it) is drawn empty, its header saying why.
 */
export function ReviewHeatmap({
  title,
  kind,
  head,
  tokens,
  rows,
  causal,
  notes,
  marks,
}: {
  title: string;
  kind: 'class' | 'model';
  head: string;
  tokens: readonly string[];
  rows: readonly (readonly number[] | null)[];
  causal: boolean;
  notes?: readonly (RowNote | null)[];
  marks?: readonly (readonly CellMark[])[];
}) {
  return (
    <figure className={`review-heatmap review-heatmap--${kind}`} data-kind={kind} data-head={head}>
      <figcaption className="review-heatmap__title">{title}</figcaption>
      <div className="review-heatmap__scroll" tabIndex={0} role="region" aria-label={`${title}, scrollable`}>
        <table className="review-heatmap__table">
          <caption className="sr-only">
            {title}, head {head}. Rows: the token asking (query). Columns: the token it looks at (key). Each row adds up to 100%.
          </caption>
          <thead>
            <tr>
              <td className="review-heatmap__corner" aria-hidden="true">
                query ↓ key →
              </td>
              {tokens.map((token, k) => (
                <th scope="col" key={`${k}-${token}`}>
                  {tokenLabel(tokens, k)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row, q) => {
              const note = notes?.[q] ?? null;
              return (
                <tr key={`${q}-${tokens[q]}`} data-query-row={q} className={row ? undefined : 'is-empty'}>
                  <th scope="row">
                    <span className="review-heatmap__token">{tokenLabel(tokens, q)}</span>
                    {note && (
                      <span className={`review-heatmap__note review-heatmap__note--${note.kind}`} title={note.spoken}>
                        <span aria-hidden="true">{note.text}</span>
                        <span className="sr-only">, {note.spoken}</span>
                      </span>
                    )}
                  </th>
                  {tokens.map((_, k) => {
                    const masked = causal && k > q;
                    if (masked) {
                      return (
                        <td key={k} className="review-heatmap__cell is-masked" data-query={q} data-key={k}>
                          <span aria-hidden="true">—</span>
                          <span className="sr-only">masked</span>
                        </td>
                      );
                    }
                    if (!row) {
                      return (
                        <td key={k} className="review-heatmap__cell is-blank" data-query={q} data-key={k}>
                          <span aria-hidden="true">·</span>
                          <span className="sr-only">no class answer</span>
                        </td>
                      );
                    }
                    const weight = row[k] ?? 0;
                    const mark = marks?.[q]?.find((m) => m.key === k);
                    return (
                      <td
                        key={k}
                        className={`review-heatmap__cell${mark ? ` is-${mark.kind}` : ''}`}
                        style={heatColour(weight)}
                        data-query={q}
                        data-key={k}
                        data-weight={weight}
                      >
                        {formatPercent(weight)}
                        {mark && (
                          <>
                            <span className="review-heatmap__mark" aria-hidden="true">
                              {mark.kind === 'over' ? '▲' : '▼'}
                            </span>
                            <span className="sr-only">
                              {' '}
                              ({mark.kind === 'over' ? 'most over-weighted' : 'most under-weighted'}, {formatDifference(mark.difference)})
                            </span>
                          </>
                        )}
                      </td>
                    );
                  })}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </figure>
  );
}
