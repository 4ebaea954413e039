/** Three stars, some filled: the count is in the text too, so colour and shape are never the only signal. */
export function Stars({ stars, size = 'normal', label }: { stars: number; size?: 'normal' | 'large'; label?: string }) {
  return (
    <span className={`solo-stars solo-stars--${size}`} role="img" aria-label={label ?? `${stars} of 3 stars`}>
      {[1, 2, 3].map((n) => (
        <span key={n} className={n <= stars ? 'solo-star is-earned' : 'solo-star'} aria-hidden="true">
          {n <= stars ? '★' : '☆'}
        </span>
      ))}
    </span>
  );
}

/** The thresholds, as a learner reads them. */
export function StarKey({ thresholds }: { thresholds: readonly number[] }) {
  return (
    <ul className="solo-star-key" aria-label="Points for stars">
      {thresholds.map((points, i) => (
        <li key={points}>
          <Stars stars={i + 1} label={`${i + 1} star${i === 0 ? '' : 's'}`} /> <span>from {points}</span>
        </li>
      ))}
    </ul>
  );
}
