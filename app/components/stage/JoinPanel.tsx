'use client';

import { useEffect, useState, useSyncExternalStore } from 'react';
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

/** What the server says about the address students type (GET /api/join-address). */
interface JoinAddress {
  publicUrl: string | null;
  lanUrls: string[];
}

/** Whether phones on the network cannot reach this host name. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127\./.test(host) || host === '0.0.0.0';
}

/**
 * The origin to show students: PUBLIC_URL when the server has one; the page's own when phones can
 * reach it; else the server's first LAN address. `loopback` is true when all there is to show is an
 * address no phone can reach.
 */
export function chooseJoinOrigin(pageOrigin: string, address: JoinAddress | null): { origin: string; loopback: boolean } {
  if (address?.publicUrl) return { origin: address.publicUrl, loopback: false };
  if (!pageOrigin) return { origin: '', loopback: false };
  const pageIsLoopback = isLoopbackHost(new URL(pageOrigin).hostname);
  if (!pageIsLoopback) return { origin: pageOrigin, loopback: false };
  const lan = address?.lanUrls[0];
  return lan ? { origin: lan, loopback: false } : { origin: pageOrigin, loopback: true };
}

/** The join origin for this projector, asked of the server once. */
export function useJoinOrigin(): { origin: string; loopback: boolean } {
  const pageOrigin = useOrigin();
  const [address, setAddress] = useState<JoinAddress | null>(null);
  useEffect(() => {
    let live = true;
    fetch('/api/join-address')
      .then((res) => (res.ok ? (res.json() as Promise<JoinAddress>) : null))
      .then((body) => {
        if (live && body) setAddress(body);
      })
      .catch(() => {
        // Without an answer the page's own address is shown, with the warning where it is loopback.
      });
    return () => {
      live = false;
    };
  }, []);
  return chooseJoinOrigin(pageOrigin, address);
}

/** The link a phone opens to join: the join page with the code filled in. */
export function joinUrl(origin: string, code: string): string {
  return `${origin}/join?code=${encodeURIComponent(code)}`;
}

/** A join code in two halves (ACEF HJKM), easier to read off a wall. */
export function groupedCode(code: string): string {
  if (code.length !== 6 && code.length !== 8) return code;
  const half = code.length / 2;
  return `${code.slice(0, half)} ${code.slice(half)}`;
}

/** The code letter by letter, so a screen reader does not try to pronounce it as a word. */
export function spelledCode(code: string): string {
  return [...code].join(' ');
}

/** How to join: the address, the code and a QR code with the code already in it. */
export function JoinPanel({ code, size = 'large' }: { code: string; size?: 'large' | 'compact' }) {
  const { origin, loopback } = useJoinOrigin();
  const url = origin ? joinUrl(origin, code) : '';
  const host = origin.replace(/^https?:\/\//, '');
  const warning = loopback ? (
    <p className="join-warning" role="alert" data-join-warning>
      Phones cannot reach <strong>{host}</strong> (this computer only): open this page at its network address, or set PUBLIC_URL.
    </p>
  ) : null;
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
        {warning}
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
        {warning}
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
