/**
 * The protocol's version and the handshake that carries it. A client built against another version
 * would send messages the server's schemas refuse one by one; telling it once, at the door, lets the
 * page ask the student to reload instead.
 */
import { z } from 'zod';
import { ErrorCode, type ProtocolError } from './errors';

/** Bump on every change that an older client could not follow. */
export const PROTOCOL_VERSION = 2;

/** What `io(url, { auth })` carries. Socket identity (host or player secret) travels in messages, not here. */
export const handshakeAuthSchema = z.strictObject({
  protocolVersion: z.number().int().min(0),
});
export type HandshakeAuth = z.infer<typeof handshakeAuthSchema>;

/** The auth object a client built with this code sends. */
export function handshakeAuth(): HandshakeAuth {
  return { protocolVersion: PROTOCOL_VERSION };
}

/** True when a client speaking `clientVersion` is older than this server and must reload. */
export function isClientOutdated(clientVersion: number): boolean {
  return clientVersion < PROTOCOL_VERSION;
}

/**
 * Checks a handshake's auth object; null means welcome. The server passes a non-null answer to
 * socket.io's `next(err)` with the error as `err.data`, so the client's `connect_error` can name the code.
 */
export function checkHandshake(auth: unknown): ProtocolError | null {
  const parsed = handshakeAuthSchema.safeParse(auth);
  if (!parsed.success) {
    return { code: ErrorCode.requestInvalid, message: 'The connection did not say which protocol version it speaks.' };
  }
  const { protocolVersion } = parsed.data;
  if (isClientOutdated(protocolVersion)) {
    return {
      code: ErrorCode.protocolOutdated,
      message: `This page speaks protocol ${protocolVersion}, the server speaks ${PROTOCOL_VERSION}: reload the page.`,
    };
  }
  if (protocolVersion > PROTOCOL_VERSION) {
    return {
      code: ErrorCode.protocolUnsupported,
      message: `This page speaks protocol ${protocolVersion}, newer than the server's ${PROTOCOL_VERSION}: try again in a minute.`,
    };
  }
  return null;
}
