/**
 * The join code a class types from the projector. Characters that look alike on a projector or in a
 * hurried hand (0/O/Q/D, 1/I/L, 2/Z, 5/S, 8/B, 6/G, U/V) are left out, so every code reads one way.
 */

export const JOIN_CODE_ALPHABET = 'ACEFHJKMNPRTWXY3479';
/** 19⁸ ≈ 1.7·10¹⁰ codes (34 bits): with the door's lockout, guessing a live one is hopeless. */
export const JOIN_CODE_LENGTH = 8;
/** Sessions opened before codes grew to 8 characters keep their 6-character codes. */
const LEGACY_JOIN_CODE_LENGTH = 6;

const pattern = new RegExp(`^(?:[${JOIN_CODE_ALPHABET}]{${JOIN_CODE_LENGTH}}|[${JOIN_CODE_ALPHABET}]{${LEGACY_JOIN_CODE_LENGTH}})$`);

/** What a student typed, as the code it means: upper case, without spaces or dashes. */
export function normalizeJoinCode(input: string): string {
  return input.toUpperCase().replace(/[\s-]/g, '');
}

/** Whether a (normalized) string is a well-formed join code. */
export function isJoinCode(code: string): boolean {
  return pattern.test(code);
}
