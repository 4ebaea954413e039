/** The worked arithmetic: a dot product term by term, softmax step by step, a blend of values. */
import type { BlendExplanation, DotProductExplanation, SoftmaxExplanation } from '../../../lib/solo/explain';
import { formatNumber, formatVector } from '../../../lib/solo/explain';
import { formatCardNumber } from '../QkvCard';

/** 2 × 1 + 0 × 3 = 2 */
export function DotProductLine({ explanation }: { explanation: DotProductExplanation }) {
  const nonZero = explanation.terms.filter((t) => t.product !== 0);
  return (
    <span className="solo-dot">
      {explanation.terms.map((t, i) => (
        <span key={t.feature} className={t.product === 0 ? 'solo-dot__term is-zero' : 'solo-dot__term'} title={t.feature}>
          {i > 0 && <span className="solo-dot__op"> + </span>}
          {formatCardNumber(t.query)}×{formatCardNumber(t.key)}
        </span>
      ))}
      <span className="solo-dot__op"> = </span>
      <strong className="solo-dot__total">{formatNumber(explanation.total)}</strong>
      {nonZero.length > 0 && (
        <span className="sr-only">
          {' '}
          (
          {nonZero.map((t) => `${t.feature}: ${formatCardNumber(t.query)} times ${formatCardNumber(t.key)}`).join(', ')})
        </span>
      )}
    </span>
  );
}

/** Softmax of the learner's row as a table: score, divided, shifted, e to the power, share. */
export function SoftmaxTable({ explanation, tokens, mine }: { explanation: SoftmaxExplanation; tokens: readonly string[]; mine?: readonly number[] }) {
  const { divisor, keyWidth, scale, temperature } = explanation;
  const dividedBy = scale
    ? `√${keyWidth}${temperature !== 1 ? ` × ${formatNumber(temperature)}` : ''} = ${formatNumber(divisor)}`
    : temperature !== 1
      ? `the temperature, ${formatNumber(temperature)}`
      : '1 (no scaling in this round)';
  return (
    <div className="solo-softmax">
      <ol className="solo-softmax__steps">
        <li>
          <strong>Divide</strong> each score q·k by {dividedBy}
          {scale && <> — the square root of the key length ({keyWidth} numbers per key){temperature !== 1 ? ', times the temperature' : ''}</>}. Big
          scores would otherwise make softmax give nearly everything to one word.
        </li>
        <li>
          <strong>Raise e to the power</strong> of each result. We first subtract the largest one ({formatNumber(explanation.largestScaled)}), so
          every power is at most 1; the shares come out the same.
        </li>
        <li>
          <strong>Share out</strong>: each power divided by their sum ({formatNumber(explanation.expTotal)}) is that word’s weight. The weights
          always add up to 100%.
        </li>
      </ol>
      <div className="solo-table-scroll" tabIndex={0} role="region" aria-label="Softmax, word by word">
        <table className="solo-table">
          <thead>
            <tr>
              <th scope="col">Word</th>
              <th scope="col">q·k</th>
              <th scope="col">÷ {formatNumber(divisor)}</th>
              <th scope="col">e^(x − max)</th>
              <th scope="col">Weight</th>
              {mine && <th scope="col">Yours</th>}
            </tr>
          </thead>
          <tbody>
            {explanation.rows.map((row) => (
              <tr key={row.token}>
                <th scope="row">{tokens[row.token]}</th>
                <td>{formatNumber(row.score)}</td>
                <td>{formatNumber(row.scaled)}</td>
                <td>{row.exp < 0.005 && row.exp > 0 ? row.exp.toExponential(1) : formatNumber(row.exp)}</td>
                <td>
                  <strong>{(row.weight * 100).toFixed(1)}%</strong>
                </td>
                {mine && <td>{((mine[row.token] ?? 0) * 100).toFixed(1)}%</td>}
              </tr>
            ))}
            {explanation.masked.map((j) => (
              <tr key={j} className="is-masked">
                <th scope="row">{tokens[j]}</th>
                <td colSpan={mine ? 5 : 4}>masked: a later word, weight 0</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

/** Σ weight × value, one line per word with any weight; the output above it, so a scrolling table never hides it. */
export function BlendTable({ blend, tokens, features, label }: { blend: BlendExplanation; tokens: readonly string[]; features: readonly string[]; label: string }) {
  return (
    <div className="solo-blend">
      <p className="solo-blend__output">
        {label}: <strong>{formatVector(blend.output)}</strong> <span className="hint">({features.join(', ')})</span>
      </p>
      <div className="solo-table-scroll" tabIndex={0} role="region" aria-label={`${label}, word by word`}>
        <table className="solo-table solo-table--blend">
          <caption className="sr-only">{label}, word by word</caption>
          <thead>
            <tr>
              <th scope="col">Word</th>
              <th scope="col">Weight</th>
              <th scope="col">× value</th>
              <th scope="col">= adds</th>
            </tr>
          </thead>
          <tbody>
            {blend.terms.map((term) => (
              <tr key={term.token}>
                <th scope="row">{tokens[term.token]}</th>
                <td>{Math.round(term.weight * 100)}%</td>
                <td>{formatVector(term.value)}</td>
                <td>{formatVector(term.contribution)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
