'use client';

import { useSyncExternalStore } from 'react';
import { JoinQr } from './JoinQr';

const noSubscription = () => () => {};

/** This page's origin (`http://host:port`), or '' while rendering on the server. */
export function useOrigin(): string {
  return useSyncExternalStore(
    noSubscription,
    () => window.location.origin,
    () => '',
  );
}

/** The link a phone opens to join: the join page with the code filled in. */
export function joinUrl(origin: string, code: string): string {
  return `${origin}/join?code=${encodeURIComponent(code)}`;
}

/** A join code as two groups of three, easier to read off a wall. */
export function groupedCode(code: string): string {
  return code.length === 6 ? `${code.slice(0, 3)} ${code.slice(3)}` : code;
}

/** The code letter by letter, so a screen reader does not try to pronounce it as a word. */
export function spelledCode(code: string): string {
  return [...code].join(' ');
}

/** How to join: the address, the code and a QR code with the code already in it. */
export function JoinPanel({ code, size = 'large' }: { code: string; size?: 'large' | 'compact' }) {
  const origin = useOrigin();
  const url = origin ? joinUrl(origin, code) : '';
  const host = origin.replace(/^https?:\/\//, '');
  if (size === 'compact') {
    return (
      <div className="join-compact" aria-label={`Join code ${spelledCode(code)}`} role="group">
        <div className="join-compact__text">
          <span className="join-compact__where">{host ? `${host}/join` : 'Join'}</span>
          <span className="join-compact__code" aria-hidden="true" data-join-code={code}>
            {groupedCode(code)}
          </span>
        </div>
        {url && <JoinQr url={url} label={`QR code to join, opens ${url}`} className="join-qr join-qr--small" />}
      </div>
    );
  }
  return (
    <div className="join-panel">
      <div className="join-panel__text">
        <p className="join-panel__step">
          <span className="join-panel__num" aria-hidden="true">
            1
          </span>
          Go to <strong className="join-panel__where">{host ? `${host}/join` : '/join'}</strong>
        </p>
        <p className="join-panel__step">
          <span className="join-panel__num" aria-hidden="true">
            2
          </span>
          Enter the code
        </p>
        <p className="join-panel__code" data-join-code={code}>
          <span className="sr-only">Join code: {spelledCode(code)}</span>
          <span aria-hidden="true">{groupedCode(code)}</span>
        </p>
        <p className="join-panel__or">
          or scan the QR code{url && (
            <>
              {' '}
              · <a href={url}>{url.replace(/^https?:\/\//, '')}</a>
            </>
          )}
        </p>
      </div>
      {url ? (
        <JoinQr url={url} label={`QR code to join this game: ${url}`} className="join-qr join-qr--large" />
      ) : (
        <div className="join-qr join-qr--large join-qr--skeleton" aria-hidden="true" />
      )}
    </div>
  );
}
