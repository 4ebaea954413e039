import { tokenLabel } from './format';

function whole(weight: number): number {
  return Math.round(weight * 100);
}

/**
 * An allocation beside the model's row, key by key: two labelled bars with their percentages, the
 * model's hatched, so neither colour nor pattern alone carries the difference.
 */
export function PairedBars({
  tokens,
  allocation,
  model,
  who,
  over,
  caption,
}: {
  tokens: readonly string[];
  allocation: readonly number[];
  model: readonly number[];
  /** Whose allocation: "You", or the student's nickname. */
  who: string;
  /** The key most over-weighted, marked in words. */
  over: number | null;
  caption: string;
}) {
  const keys = tokens.map((_, k) => k).filter((k) => (allocation[k] ?? 0) > 0 || (model[k] ?? 0) > 0);
  return (
    <table className="review-pairs">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Key</th>
          <th scope="col">
            <span className="review-pairs__swatch review-pairs__swatch--mine" aria-hidden="true" /> {who}{' '}
            <span className="review-pairs__swatch review-pairs__swatch--model" aria-hidden="true" /> Model
          </th>
        </tr>
      </thead>
      <tbody>
        {keys.map((k) => (
          <tr key={k} className={k === over ? 'is-over' : undefined}>
            <th scope="row">
              {tokenLabel(tokens, k)}
              {k === over && <span className="review-tag review-tag--over">over</span>}
            </th>
            <td>
              {(
                [
                  ['mine', who, allocation[k] ?? 0],
                  ['model', 'Model', model[k] ?? 0],
                ] as const
              ).map(([kind, label, weight]) => (
                <span key={kind} className={`review-pair review-pair--${kind}`}>
                  <span className="sr-only">{label}: </span>
                  <span className="review-pair__track" aria-hidden="true">
                    <span className="review-pair__fill" style={{ width: `${weight * 100}%` }} />
                  </span>
                  <span className="review-pair__value">{whole(weight)}%</span>
                </span>
              ))}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
