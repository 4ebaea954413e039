/**
 * What can go wrong with a request, as seen from the browser: every refusal the server can send
 * (`ErrorCode`), plus the few that only the client can notice (no answer, no connection, no secret).
 */
import { ErrorCode, isErrorCode, type ProtocolError } from '../protocol';

/** Failures only the browser can see. */
export const ClientErrorCode = {
  /** The server did not answer in time (or the connection did not come back in time). */
  timeout: 'client/timeout',
  /** The server cannot be reached at all (network down, server restarting). */
  offline: 'client/offline',
  /** The client was closed (the page left, the student was kicked, the app is outdated). */
  closed: 'client/closed',
  /** The page has no secret for this session: this browser never joined it, or forgot. */
  noIdentity: 'client/no-identity',
  /** The server answered something this client cannot read. */
  badAnswer: 'client/bad-answer',
} as const;
export type ClientErrorCode = (typeof ClientErrorCode)[keyof typeof ClientErrorCode];

/** A code the page can switch on: the server's or the client's own. */
export type ArenaErrorCode = ErrorCode | ClientErrorCode;

/** What went wrong, for code and in words. */
export interface ArenaErrorInfo {
  code: ArenaErrorCode;
  message: string;
}

/** A refused or failed request; `code` is namespaced like the protocol's (`round/locked`, `client/timeout`). */
export class ArenaError extends Error {
  constructor(
    readonly code: ArenaErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ArenaError';
  }

  /** The plain `{ code, message }` pair, for state that must stay serializable. */
  get info(): ArenaErrorInfo {
    return { code: this.code, message: this.message };
  }
}

/** An acknowledgement as the client hands it on: the server's refusal or one of the client's own. */
export type ClientAck<T> = { ok: true; data: T } | { ok: false; error: ArenaErrorInfo };

/** A refusal read from something the server sent (an ack's `error`, a `connect_error`'s `data`). */
export function readProtocolError(value: unknown): ProtocolError | null {
  if (typeof value !== 'object' || value === null) return null;
  const { code, message } = value as { code?: unknown; message?: unknown };
  if (!isErrorCode(code)) return null;
  return { code, message: typeof message === 'string' ? message : code };
}

/** Whether a value is an `Ack` (`{ ok: true, data }` or `{ ok: false, error }`). */
export function isAckShaped(value: unknown): value is { ok: true; data: unknown } | { ok: false; error: unknown } {
  if (typeof value !== 'object' || value === null || !('ok' in value)) return false;
  const ok = (value as { ok: unknown }).ok;
  return (ok === true && 'data' in value) || (ok === false && 'error' in value);
}

/** Any thrown value as an `ArenaErrorInfo`. */
export function toErrorInfo(error: unknown): ArenaErrorInfo {
  if (error instanceof ArenaError) return error.info;
  const protocol = readProtocolError(error);
  if (protocol) return protocol;
  return { code: ClientErrorCode.badAnswer, message: error instanceof Error ? error.message : String(error) };
}

/**
 * The refusal in words a student or teacher can act on. Codes the server explains well keep the
 * server's message; the ones about the connection get the client's.
 */
export function describeError(error: ArenaErrorInfo): string {
  switch (error.code) {
    case ClientErrorCode.timeout:
      return 'The server did not answer. Check your Wi-Fi and try again.';
    case ClientErrorCode.offline:
      return 'Cannot reach the server. Check your Wi-Fi; the page keeps trying.';
    case ClientErrorCode.closed:
      return 'This page is no longer connected to the game.';
    case ClientErrorCode.noIdentity:
      return 'This browser has not joined that game yet.';
    case ClientErrorCode.badAnswer:
      return 'The server sent something this page does not understand. Reload the page.';
    case ErrorCode.sessionNotFound:
      return 'There is no game with that code. Check the code on the projector.';
    case ErrorCode.protocolOutdated:
      return 'This page is out of date. Reload it to get the new version.';
    case ErrorCode.protocolUnsupported:
      return 'The server is being updated. Try again in a minute.';
    case ErrorCode.serverInternal:
      return 'Something went wrong on the server. Try again.';
    default:
      return error.message;
  }
}
