/**
 * What a student may be called on the projector, in class and on the solo leaderboard alike: the
 * shape (length, characters), a profanity filter from a maintained library (obscenity's English
 * set with its look-alike and leetspeak handling), reserved words, and a skeleton that makes names
 * which look the same on a screen (Cyrillic А and Latin A, ƒ and f, Zoë and Zoe) count as the same.
 */
import { remove as removeConfusables } from 'confusables';
import { RegExpMatcher, englishDataset, englishRecommendedTransformers } from 'obscenity';

export const NICKNAME_MAX_LENGTH = 20;

// Letters and digits of any script, and the few marks names use; nothing that can fake layout.
const allowed = /^[\p{L}\p{M}\p{N} _.'-]+$/u;

/** The nickname as it will be shown, or why it cannot be one (shape only). */
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

/**
 * The name as it looks, for comparing: confusable characters replaced by the Latin letter they
 * imitate, accents dropped, lower case, separators left out ("A.lice", "Аlice" and "alice" agree).
 */
export function nicknameSkeleton(name: string): string {
  const plain = name.normalize('NFKD').replace(/\p{M}/gu, '');
  return removeConfusables(plain).normalize('NFKC').toLocaleLowerCase('en').replace(/[\s_.'-]+/g, '');
}

/** Two nicknames that would look the same on the projector. */
export function sameNickname(a: string, b: string): boolean {
  return nicknameSkeleton(a) === nicknameSkeleton(b);
}

let matcher: RegExpMatcher | null = null;

function profanity(): RegExpMatcher {
  matcher ??= new RegExpMatcher({ ...englishDataset.build(), ...englishRecommendedTransformers });
  return matcher;
}

/** Names of roles a student must not pass for: anywhere in the name, or as the whole name. */
const RESERVED_ANYWHERE = ['teacher', 'admin', 'moderator', 'official'];
const RESERVED_WHOLE = ['host', 'server', 'system', 'staff', 'stage', 'projector', 'aiclassmate', 'bot'];

/** Whether the name pretends to be the teacher, the server or an AI classmate. */
export function isReservedNickname(name: string): boolean {
  const skeleton = nicknameSkeleton(name);
  return RESERVED_ANYWHERE.some((word) => skeleton.includes(word)) || RESERVED_WHOLE.includes(skeleton);
}

/** Whether the name contains a profanity, however it is spelled (look-alikes, leetspeak, letters spaced out). */
export function isProfaneNickname(name: string): boolean {
  const lookalikesResolved = removeConfusables(name.normalize('NFKD').replace(/\p{M}/gu, ''));
  if (profanity().hasMatch(name) || profanity().hasMatch(lookalikesResolved)) return true;
  // "f u c k", "s.h.i.t": one letter at a time is a word spelled out, not several words.
  const parts = lookalikesResolved.split(/[\s_.'-]+/).filter(Boolean);
  return parts.length >= 3 && parts.every((part) => [...part].length <= 2) && profanity().hasMatch(parts.join(''));
}

export type NicknameCheck = { ok: true; nickname: string } | { ok: false; reason: 'shape' | 'unkind' | 'reserved'; message: string };

/** The one nickname check for class and solo: shape, profanity, reserved words. */
export function checkNickname(raw: string): NicknameCheck {
  const shaped = normalizeNickname(raw);
  if (!shaped.ok) return { ok: false, reason: 'shape', message: shaped.message };
  if (isProfaneNickname(shaped.nickname)) return { ok: false, reason: 'unkind', message: 'Please choose a kinder nickname.' };
  if (isReservedNickname(shaped.nickname)) {
    return { ok: false, reason: 'reserved', message: 'That name belongs to the teacher or the game; please choose your own.' };
  }
  return shaped;
}
