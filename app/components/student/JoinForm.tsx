'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useId, useRef, useState, useSyncExternalStore, type FormEvent } from 'react';
import { ArenaClient, ArenaError, ClientErrorCode, describeError, loadPlayer, shareArenaClient, suggestNickname, type ArenaErrorInfo } from '../../../lib/client';
import { NICKNAME_MAX_LENGTH, normalizeNickname } from '../../../lib/game/nickname';
import { Icon } from './Icon';
import { ErrorCode, JOIN_CODE_ALPHABET, JOIN_CODE_LENGTH, isJoinCode, normalizeJoinCode } from '../../../lib/protocol';

type Field = 'code' | 'nickname' | 'form';

interface Problem {
  field: Field;
  text: string;
  /** Offer a reload (the page is out of date). */
  reload?: boolean;
}

/** Characters a student may type that never appear in a code, and what to say about them. */
function codeProblem(code: string): string | null {
  const stray = [...code].filter((c) => !JOIN_CODE_ALPHABET.includes(c));
  if (stray.length > 0) {
    const shown = [...new Set(stray)].map((c) => `“${c}”`).join(', ');
    return `${shown} never appear${stray.length === 1 ? 's' : ''} in a code. Codes use only ${JOIN_CODE_ALPHABET.split('').join(' ')}.`;
  }
  if (code.length < JOIN_CODE_LENGTH) return `A code has ${JOIN_CODE_LENGTH} characters.`;
  return null;
}

/** Where a refusal of `seat:join` belongs on the form, and what it says there. */
function problemOf(error: ArenaErrorInfo): Problem {
  switch (error.code) {
    case ErrorCode.sessionNotFound:
      return { field: 'code', text: 'There is no game with that code. Check the code on the projector.' };
    case ErrorCode.requestInvalid:
      return { field: 'code', text: 'That is not a game code. Check the code on the projector.' };
    case ErrorCode.nicknameTaken:
      return { field: 'nickname', text: 'Someone in this game already has that name. Pick another, or tap “Suggest a name”.' };
    case ErrorCode.nicknameRejected:
      return { field: 'nickname', text: `That name cannot be used: ${error.message}` };
    case ErrorCode.joinLateClosed:
      // The server says why: the round started with late joining closed, or it is already the podium.
      return { field: 'form', text: `Too late to join. ${error.message}` };
    case ErrorCode.sessionEnded:
      return { field: 'form', text: 'This game has ended.' };
    case ErrorCode.joinRoomFull:
      return { field: 'form', text: 'This game is full. Ask your teacher.' };
    case ErrorCode.joinLobbyLocked:
      return { field: 'form', text: 'The teacher has locked the game. Tell them the name you typed; once they let it in, join again.' };
    case ErrorCode.rateLimited:
      return { field: 'form', text: `Slow down a little. ${error.message}` };
    case ErrorCode.authKicked:
      return { field: 'form', text: 'The teacher removed you from this game.' };
    case ErrorCode.protocolOutdated:
      return { field: 'form', text: 'This page is out of date. Reload it and try again.', reload: true };
    case ClientErrorCode.timeout:
    case ClientErrorCode.offline:
      return { field: 'form', text: 'Cannot reach the game server. Check your Wi-Fi and try again.' };
    default:
      return { field: 'form', text: describeError(error) };
  }
}

function subscribeStorage(onChange: () => void): () => void {
  window.addEventListener('storage', onChange);
  return () => window.removeEventListener('storage', onChange);
}

/** Join with a code and a nickname; on success the seat's secret is kept and the phone goes to /play. */
export function JoinForm({ initialCode }: { initialCode: string }) {
  const router = useRouter();
  const ids = useId();
  const [code, setCode] = useState(() => normalizeJoinCode(initialCode).slice(0, JOIN_CODE_LENGTH));
  const [nickname, setNickname] = useState('');
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  const client = useRef<ArenaClient | null>(null);
  const handedOver = useRef(false);
  const nicknameInput = useRef<HTMLInputElement>(null);

  // A browser that already joined this game can go straight back to its seat.
  const returningAs = useSyncExternalStore(
    subscribeStorage,
    () => (isJoinCode(code) ? (loadPlayer(code)?.nickname ?? null) : null),
    () => null,
  );

  useEffect(
    () => () => {
      // A client that never joined (or was not handed over) has no page to serve.
      if (client.current && !handedOver.current) client.current.close();
    },
    [],
  );

  const codeHint = code.length > 0 ? codeProblem(code) : null;

  async function submit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    if (busy) return;
    const normalizedCode = normalizeJoinCode(code);
    if (!isJoinCode(normalizedCode)) {
      setProblem({ field: 'code', text: codeProblem(normalizedCode) ?? `Enter the ${JOIN_CODE_LENGTH}-character code from the projector.` });
      return;
    }
    const name = normalizeNickname(nickname);
    if (!name.ok) {
      setProblem({ field: 'nickname', text: name.message });
      return;
    }
    setProblem(null);
    setBusy(true);
    client.current ??= new ArenaClient();
    try {
      await client.current.join(normalizedCode, name.nickname);
      handedOver.current = true;
      shareArenaClient(client.current);
      router.push(`/play/${normalizedCode}`);
    } catch (error) {
      const info = error instanceof ArenaError ? error.info : { code: ClientErrorCode.badAnswer, message: String(error) };
      setProblem(problemOf(info));
      setBusy(false);
      if (info.code === ErrorCode.protocolOutdated) {
        client.current.close();
        client.current = null;
      }
    }
  }

  function suggest(): void {
    setNickname((current) => suggestNickname(Math.random, current));
    if (problem?.field === 'nickname') setProblem(null);
    nicknameInput.current?.focus();
  }

  const fieldError = (field: Field) => (problem?.field === field ? problem.text : null);
  const codeError = fieldError('code');
  const nicknameError = fieldError('nickname');

  return (
    <div className="join">
      <div className="join__intro">
        <p className="eyebrow">Join a game</p>
        <h1>Take your seat</h1>
        <p className="hint">Type the code on the projector and pick a nickname. No account needed.</p>
      </div>

      {returningAs && !busy && (
        <div className="panel join__returning" role="status">
          <p>
            You already joined game <span className="code-chip">{code}</span> as <b>{returningAs}</b>.
          </p>
          <button type="button" className="button" onClick={() => router.push(`/play/${code}`)}>
            Continue as {returningAs}
          </button>
        </div>
      )}

      <form className="panel join__form" onSubmit={(e) => void submit(e)} noValidate aria-busy={busy}>
        <div className="field">
          <label htmlFor={`${ids}-code`} className="field__label">
            Game code
          </label>
          <input
            id={`${ids}-code`}
            name="code"
            className={`field__input field__input--code${codeError ? ' is-invalid' : ''}`}
            value={code}
            onChange={(e) => {
              setCode(normalizeJoinCode(e.target.value).slice(0, JOIN_CODE_LENGTH));
              if (problem?.field === 'code') setProblem(null);
            }}
            autoComplete="off"
            autoCapitalize="characters"
            autoCorrect="off"
            spellCheck={false}
            inputMode="text"
            enterKeyHint="next"
            maxLength={JOIN_CODE_LENGTH + 2}
            placeholder="ABC123"
            autoFocus={initialCode === ''}
            aria-invalid={codeError ? true : undefined}
            aria-describedby={`${ids}-code-help${codeError ? ` ${ids}-code-error` : ''}`}
          />
          <p id={`${ids}-code-help`} className="field__help">
            {/* With the error below saying what is wrong, the hint goes back to the rule: never the same words twice. */}
            {(codeError ? null : codeHint) ?? `${JOIN_CODE_LENGTH} letters and digits, as shown on the projector.`}
          </p>
          {codeError && (
            <p id={`${ids}-code-error`} className="field__error" role="alert">
              {codeError}
            </p>
          )}
        </div>

        <div className="field">
          <label htmlFor={`${ids}-nickname`} className="field__label">
            Nickname
          </label>
          <div className="field__row">
            <input
              ref={nicknameInput}
              id={`${ids}-nickname`}
              name="nickname"
              className={`field__input${nicknameError ? ' is-invalid' : ''}`}
              value={nickname}
              onChange={(e) => {
                setNickname(e.target.value);
                if (problem?.field === 'nickname') setProblem(null);
              }}
              autoComplete="nickname"
              autoCapitalize="words"
              enterKeyHint="go"
              maxLength={NICKNAME_MAX_LENGTH}
              placeholder="e.g. Curious Otter"
              autoFocus={initialCode !== ''}
              aria-invalid={nicknameError ? true : undefined}
              aria-describedby={`${ids}-nickname-help${nicknameError ? ` ${ids}-nickname-error` : ''}`}
            />
            <button type="button" className="button button--quiet button--compact" onClick={suggest}>
              <Icon name="dice" size={18} /> Suggest a name
            </button>
          </div>
          <p id={`${ids}-nickname-help`} className="field__help">
            Shown on the projector. Up to {NICKNAME_MAX_LENGTH} characters; be kind.
          </p>
          {nicknameError && (
            <p id={`${ids}-nickname-error`} className="field__error" role="alert">
              {nicknameError}
            </p>
          )}
        </div>

        {problem?.field === 'form' && (
          <div className="join__problem" role="alert">
            <p>{problem.text}</p>
            {problem.reload && (
              <button type="button" className="button button--quiet button--compact" onClick={() => window.location.reload()}>
                Reload
              </button>
            )}
          </div>
        )}

        <button type="submit" className="button join__submit" disabled={busy}>
          {busy ? 'Joining…' : 'Join the game'}
        </button>
      </form>
    </div>
  );
}
