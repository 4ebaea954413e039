/** Join codes for new sessions. */
import { JOIN_CODE_ALPHABET, JOIN_CODE_LENGTH } from '../protocol/join-code';
import { randomInt } from './random';

/**
 * A fresh join code from the look-alike-free alphabet. The server draws it from a cryptographic
 * source (a guessable code lets a stranger in); tests pass seeded chance. Uniqueness among live
 * sessions is the room registry's to check (it draws again on a collision).
 */
export function generateJoinCode(random: () => number): string {
  let code = '';
  for (let i = 0; i < JOIN_CODE_LENGTH; i++) code += JOIN_CODE_ALPHABET[randomInt(random, JOIN_CODE_ALPHABET.length)];
  return code;
}
