/** A sentence as a row of numbered token chips. Has no state, so server and client pages can both use it. */
export function TokenRow({
  tokens,
  label,
  size = 'large',
}: {
  tokens: readonly string[];
  /** What the list is, for screen readers (the chips alone do not say it is a tokenized sentence). */
  label: string;
  size?: 'large' | 'small';
}) {
  return (
    <ol className={`token-row token-row--${size}`} aria-label={label}>
      {tokens.map((token, index) => (
        // A word can repeat in a sentence, so the position is part of the key.
        <li className="token" key={`${index}-${token}`}>
          <span className="token__word">{token}</span>
          <span className="token__index" aria-hidden="true">
            {index}
          </span>
        </li>
      ))}
    </ol>
  );
}
