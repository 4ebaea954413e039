/** What a student may be called on the projector. */

export const NICKNAME_MAX_LENGTH = 20;

// Letters and digits of any script, and the few marks names use; nothing that can fake layout.
const allowed = /^[\p{L}\p{M}\p{N} _.'-]+$/u;

/** The nickname as it will be shown, or why it cannot be one. */
export function normalizeNickname(raw: string): { ok: true; nickname: string } | { ok: false; message: string } {
  const nickname = raw.normalize('NFC').trim().replace(/\s+/g, ' ');
  if (nickname.length === 0) return { ok: false, message: 'A nickname needs at least one letter or digit.' };
  if ([...nickname].length > NICKNAME_MAX_LENGTH) {
    return { ok: false, message: `A nickname has at most ${NICKNAME_MAX_LENGTH} characters.` };
  }
  if (!allowed.test(nickname)) {
    return { ok: false, message: 'A nickname may use letters, digits, spaces and . _ \' - only.' };
  }
  if (!/[\p{L}\p{N}]/u.test(nickname)) return { ok: false, message: 'A nickname needs at least one letter or digit.' };
  return { ok: true, nickname };
}

/** Two nicknames that would look the same on the projector. */
export function sameNickname(a: string, b: string): boolean {
  return a.toLocaleLowerCase('en') === b.toLocaleLowerCase('en');
}
