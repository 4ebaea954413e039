'use client';

import { useId } from 'react';
import type { SeatChoiceView } from '../../../lib/solo/api';

/**
 * Which word (and, with several heads, which head) to play: radio buttons, so arrow keys move between
 * them. Star words (the rows the level is scored on) carry a star and the words already played their best points.
 */
export function SeatPicker({
  choices,
  tokens,
  heads,
  selected,
  onSelect,
  legend,
}: {
  choices: readonly SeatChoiceView[];
  tokens: readonly string[];
  heads: readonly { name: string }[];
  selected: { token: number; head: number };
  onSelect: (seat: { token: number; head: number }) => void;
  legend: string;
}) {
  const name = useId();
  return (
    <fieldset className="solo-picker">
      <legend className="solo-picker__legend">{legend}</legend>
      {heads.map((head, h) => (
        <div key={head.name} className="solo-picker__head">
          {heads.length > 1 && <p className="solo-picker__head-name">Head “{head.name}”</p>}
          <div className="solo-picker__options">
            {choices
              .filter((c) => c.head === h)
              .map((choice) => {
                const checked = choice.token === selected.token && choice.head === selected.head;
                return (
                  <label
                    key={`${choice.head}-${choice.token}`}
                    className={`solo-pick${checked ? ' is-checked' : ''}${choice.key ? ' is-key' : ''}`}
                    data-token={choice.token}
                    data-head={choice.head}
                  >
                    <input
                      type="radio"
                      name={name}
                      className="sr-only"
                      checked={checked}
                      onChange={() => onSelect({ token: choice.token, head: choice.head })}
                    />
                    <span className="solo-pick__word">{tokens[choice.token]}</span>
                    {choice.key && (
                      <span className="solo-pick__key" aria-label=", star word">
                        ★
                      </span>
                    )}
                    {choice.best !== null && <span className="solo-pick__best">{choice.best}</span>}
                    {choice.best !== null && <span className="sr-only"> points so far</span>}
                  </label>
                );
              })}
          </div>
        </div>
      ))}
      <p className="hint solo-picker__legend-hint">
        <span aria-hidden="true">★</span> a star word: the level’s stars come from it. Other words are practice.
      </p>
    </fieldset>
  );
}
