/**
 * The secrets that prove a role on a new socket: the teacher's host secret and each student's player
 * secret. The server hands a secret out once and keeps only its SHA-256; ids are random too, but they
 * are names, not proofs (other students see player ids in the leaderboard).
 */
import { createHash, randomBytes as nodeRandomBytes, timingSafeEqual } from 'node:crypto';

/** Cryptographic randomness: node:crypto's `randomBytes`, or a stand-in with the same shape. */
export type RandomBytes = (size: number) => Buffer;

export const defaultRandomBytes: RandomBytes = (size) => nodeRandomBytes(size);

/** 32 random bytes, base64url: what `session:create` and `seat:join` hand out. */
export function mintSecret(randomBytes: RandomBytes): string {
  return randomBytes(32).toString('base64url');
}

/** A random id with a readable prefix (`s_` a session, `p_` a player). */
export function mintId(prefix: string, randomBytes: RandomBytes): string {
  return `${prefix}${randomBytes(12).toString('base64url')}`;
}

/** What is stored for a secret. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Whether `secret` hashes to `expectedHash`, compared in constant time. */
export function secretMatches(secret: string, expectedHash: string): boolean {
  const actual = Buffer.from(hashSecret(secret), 'hex');
  const expected = Buffer.from(expectedHash, 'hex');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** A uniform number in [0, 1) from cryptographic bytes (48 bits), for draws a stranger must not predict. */
export function cryptoRandom(randomBytes: RandomBytes): () => number {
  return () => randomBytes(6).readUIntBE(0, 6) / 2 ** 48;
}
