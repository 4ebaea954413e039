/**
 * One head's attention weights as a table: a row per query token, a column per key token, the weight
 * printed in every cell so colour is never the only signal.
 */

// ColorBrewer YlGnBu: sequential, readable with every common colour-vision deficiency and in greyscale,
// and pale at zero so a mostly-empty row does not shout.
const PALETTE: readonly [number, number, number][] = [
  [255, 255, 217],
  [237, 248, 177],
  [199, 233, 180],
  [127, 205, 187],
  [65, 182, 196],
  [29, 145, 192],
  [34, 94, 168],
  [37, 52, 148],
  [8, 29, 88],
];

function channelLuminance(c: number): number {
  const s = c / 255;
  return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
}

/** The palette colour for a weight in [0, 1], and the text colour (dark or white) with the better contrast on it. */
export function heatColour(weight: number): { background: string; color: string } {
  const t = Math.min(1, Math.max(0, weight)) * (PALETTE.length - 1);
  const i = Math.min(PALETTE.length - 2, Math.floor(t));
  const f = t - i;
  const rgb = PALETTE[i].map((c, n) => Math.round(c + (PALETTE[i + 1][n] - c) * f));
  const [r, g, b] = rgb;
  const luminance = 0.2126 * channelLuminance(r) + 0.7152 * channelLuminance(g) + 0.0722 * channelLuminance(b);
  // Contrast against #101329 (luminance ≈ 0.007) versus white (1.0); pick the larger ratio.
  const darkContrast = (luminance + 0.05) / (0.007 + 0.05);
  const lightContrast = 1.05 / (luminance + 0.05);
  return { background: `rgb(${r} ${g} ${b})`, color: darkContrast >= lightContrast ? '#101329' : '#ffffff' };
}

const PEAK_TOLERANCE = 1e-6;

/** From this many tokens on, column labels are turned on end to save width. */
const DENSE_FROM = 6;

/** A weight as a whole percentage, without claiming 0% or 100% for weights that are merely close. */
export function formatPercent(weight: number): string {
  if (weight === 0) return '0%';
  if (weight < 0.005) return '<1%';
  if (weight < 1 && weight > 0.995) return '>99%';
  return `${Math.round(weight * 100)}%`;
}

/** One head's weights; `scores[q][k]` is null where the causal mask hid the key. */
export function AttentionHeatmap({
  head,
  tokens,
  weights,
  scores,
  busy = false,
}: {
  head: string;
  tokens: readonly string[];
  weights: readonly (readonly number[])[];
  scores: readonly (readonly (number | null)[])[];
  /** A newer result is on its way: the numbers shown are the previous settings'. */
  busy?: boolean;
}) {
  return (
    <div className={`heatmap${busy ? ' is-busy' : ''}`} data-head={head} aria-busy={busy}>
      <p className="heatmap__help" aria-hidden="true">
        Row: the token asking (query). Column: the token it looks at (key). Each row adds up to 100%.
      </p>
      <div className="heatmap__scroll" tabIndex={0} role="region" aria-label={`Attention weights of head ${head}, scrollable`}>
        <table className={`heatmap__table${tokens.length > DENSE_FROM ? ' heatmap__table--dense' : ''}`}>
          {/* The visible help above says the same; a caption inside a scrolling table would be clipped. */}
          <caption className="sr-only">
            Where each token looks, head {head}. Rows: the token asking (query). Columns: the token it looks at (key). Each row adds up to 100%.
          </caption>
          <thead>
            <tr>
              <KeyHeaderCells tokens={tokens} />
            </tr>
          </thead>
          <tbody>
            {weights.map((row, q) => {
              const visible = row.filter((_, k) => scores[q]?.[k] !== null);
              const peak = Math.max(...visible);
              // A flat row has no favourite; float32 ties differ in the last bits, hence the tolerance.
              const flat = peak - Math.min(...visible) < PEAK_TOLERANCE;
              return (
                <tr key={`${q}-${tokens[q]}`} data-query-row={q}>
                  <th scope="row">
                    <TokenName tokens={tokens} index={q} />
                  </th>
                  {row.map((weight, k) => (
                    <WeightCell
                      key={k}
                      query={q}
                      keyIndex={k}
                      weight={weight}
                      masked={scores[q]?.[k] === null}
                      isPeak={!flat && peak - weight < PEAK_TOLERANCE}
                    />
                  ))}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <div className="heatmap__legend" aria-hidden="true">
        <span>0%</span>
        <span className="heatmap__ramp" />
        <span>100%</span>
        <span className="heatmap__legend-peak">
          <span className="heatmap__peak-swatch" /> largest in its row
        </span>
      </div>
    </div>
  );
}

/**
 * One cell of a weight table: the percentage is printed so colour is never the only signal, and a
 * masked cell says so to screen readers.
 */
export function WeightCell({ query, keyIndex, weight, masked, isPeak }: { query: number; keyIndex: number; weight: number; masked: boolean; isPeak: boolean }) {
  if (masked) {
    return (
      <td className="heatmap__cell is-masked" data-query={query} data-key={keyIndex} data-weight={0}>
        <span aria-hidden="true">—</span>
        <span className="sr-only">masked</span>
      </td>
    );
  }
  return (
    <td
      className={`heatmap__cell${isPeak ? ' is-peak' : ''}`}
      style={heatColour(weight)}
      data-query={query}
      data-key={keyIndex}
      data-weight={weight}
    >
      {formatPercent(weight)}
      {isPeak && <span className="sr-only"> (largest in row)</span>}
    </td>
  );
}

/**
 * A token in a table's header. A word the sentence holds twice ("the … the") carries its position as a
 * small index, so its two rows and columns can be told apart; 0-based like the rest of the app.
 */
export function TokenName({ tokens, index }: { tokens: readonly string[]; index: number }) {
  const token = tokens[index] ?? `#${index}`;
  const repeated = tokens.indexOf(token) !== tokens.lastIndexOf(token);
  return (
    <>
      {token}
      {repeated && <sub className="token-index">{index}</sub>}
    </>
  );
}

/** The header row's cells of a weight table: the corner that says which way is which, then one column per key. */
export function KeyHeaderCells({ tokens }: { tokens: readonly string[] }) {
  return (
    <>
      <td className="heatmap__corner">
        <span aria-hidden="true">
          <span className="heatmap__corner-key">key →</span>
          <span>query ↓</span>
        </span>
      </td>
      {tokens.map((token, k) => (
        <th scope="col" key={`${k}-${token}`}>
          <span className="heatmap__key">
            <TokenName tokens={tokens} index={k} />
          </span>
        </th>
      ))}
    </>
  );
}
