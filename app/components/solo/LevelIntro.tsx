'use client';

import { useId, useState } from 'react';
import type { SeatChoiceView } from '../../../lib/solo/api';
import type { NoteStory } from '../../../lib/solo/explain';
import type { SeatChoice } from '../../../lib/solo/levels';
import type { SoloMode } from '../../../lib/solo/run';
import { SeatPicker } from './SeatPicker';

/** What the level page knows before a run exists (computed on the server from the lesson). */
export interface LevelIntroData {
  lessonId: string;
  number: number;
  count: number;
  title: string;
  summary: string;
  sentence: string;
  tokens: string[];
  heads: { name: string; looksFor: string }[];
  keySeats: SeatChoice[];
  choices: SeatChoiceView[];
  note: NoteStory | null;
  causal: boolean;
}

/** The carried note of the recurrent lesson: how little of each early word is left at the end. */
function NoteChart({ note, tokens }: { note: NoteStory; tokens: readonly string[] }) {
  const facts = new Set(note.facts.map((f) => f.fact));
  const last = tokens.length - 1;
  const largest = Math.max(...note.shares);
  return (
    <section className="panel solo-note" aria-labelledby="note-title">
      <h2 id="note-title">Before attention: pass the note</h2>
      <p>
        Older language networks read one word at a time and carried a single note from word to word. Each word kept only{' '}
        {Math.round(note.carry * 100)}% of what was already on the note before adding its own meaning. Here is what is left of every word by the time
        the note reaches “{tokens[last]}”:
      </p>
      <ul className="solo-note__bars" aria-label={`Share of the final note per word`}>
        {note.shares.map((share, j) => (
          <li key={`${j}-${tokens[j]}`} className={facts.has(j) ? 'is-fact' : undefined}>
            <span className="solo-note__word">{tokens[j]}</span>
            <span className="solo-note__track" aria-hidden="true">
              <span className="solo-note__bar" style={{ width: `${(share / largest) * 100}%` }} />
            </span>
            <span className="solo-note__value">{share < 0.001 ? '<0.1%' : `${(share * 100).toFixed(1)}%`}</span>
          </li>
        ))}
      </ul>
      <p className="hint">
        {note.facts.map((f) => `“${tokens[f.fact]}”`).join(' and ')} {note.facts.length === 1 ? 'has' : 'have'} all but vanished from the note, yet{' '}
        {note.facts.map((f) => `“${tokens[f.query]}”`).join(' and ')} {note.facts.length === 1 ? 'needs it' : 'need them'}. With attention, a word can reach
        back to any other word directly. That is your job in this level.
      </p>
    </section>
  );
}

/** Before the first round: what the level is about, how to play, and which word to play. */
export function LevelIntro({ intro, busy, onStart }: { intro: LevelIntroData; busy: boolean; onStart: (mode: SoloMode, seat?: SeatChoice) => void }) {
  const idBase = useId();
  const [mode, setMode] = useState<SoloMode>('token');
  const [seat, setSeat] = useState<SeatChoice>(intro.keySeats[0] ?? { token: 0, head: 0 });
  const rows = intro.tokens.length * intro.heads.length;
  const keyNames = intro.keySeats.map((k) => `“${intro.tokens[k.token]}”${intro.heads.length > 1 ? ` (${intro.heads[k.head].name})` : ''}`);

  return (
    <div className="solo-intro">
      {intro.note && <NoteChart note={intro.note} tokens={intro.tokens} />}

      <section className="panel panel--tinted" aria-labelledby={`${idBase}-how`}>
        <h2 id={`${idBase}-how`}>How to play</h2>
        <ol className="solo-how">
          <li>
            You play one word of the sentence. You hold its three cards: a <strong className="solo-q">query</strong> (what it is looking for), a{' '}
            <strong className="solo-k">key</strong> (what it offers) and a <strong className="solo-v">value</strong> (what it passes on).
          </li>
          <li>Compare your query with every word’s key and share out 100% of your attention: more to the words that match best.</li>
          <li>
            The model turns its matches into percentages with softmax: the best match gets the most, but no word ever gets exactly 0%. Small shares
            for many words add up.
          </li>
          <li>Lock in. A real transformer layer shows where it looked; your score is how much of your 100% landed where the model’s did (up to 1000).</li>
        </ol>
        <p className="hint">
          {intro.heads.length === 1 ? `This head looks for: ${intro.heads[0].looksFor}` : intro.heads.map((h) => `${h.name}: ${h.looksFor}`).join(' ')}
        </p>
        <p>
          <strong>Stars</strong> come from the star word{intro.keySeats.length > 1 ? 's' : ''} {keyNames.join(' and ')}: the row
          {intro.keySeats.length > 1 ? 's' : ''} this lesson is about. Help costs points. One star opens the next level.
        </p>
      </section>

      <section className="panel" aria-labelledby={`${idBase}-start`}>
        <h2 id={`${idBase}-start`}>Choose how to play</h2>
        <fieldset className="solo-modes">
          <legend className="sr-only">Mode</legend>
          <label className={`solo-mode${mode === 'token' ? ' is-checked' : ''}`}>
            <input type="radio" name={`${idBase}-mode`} checked={mode === 'token'} onChange={() => setMode('token')} />
            <span>
              <strong>One word at a time</strong>
              <span className="hint"> Play a word, see the reveal, then choose another if you like.</span>
            </span>
          </label>
          <label className={`solo-mode${mode === 'sentence' ? ' is-checked' : ''}`}>
            <input type="radio" name={`${idBase}-mode`} checked={mode === 'sentence'} onChange={() => setMode('sentence')} />
            <span>
              <strong>The whole sentence</strong>
              <span className="hint"> Fill in every row of the attention table, {rows} rows in order. Every row is scored.</span>
            </span>
          </label>
        </fieldset>
        {mode === 'token' && (
          <SeatPicker choices={intro.choices} tokens={intro.tokens} heads={intro.heads} selected={seat} onSelect={setSeat} legend="Which word will you play first?" />
        )}
        <p>
          <button type="button" className="button button--big" disabled={busy} onClick={() => onStart(mode, mode === 'token' ? seat : undefined)}>
            {mode === 'token'
              ? `Play “${intro.tokens[seat.token]}”${intro.heads.length > 1 ? ` (${intro.heads[seat.head].name})` : ''}`
              : 'Start with the first row'}
          </button>
        </p>
      </section>
    </div>
  );
}
