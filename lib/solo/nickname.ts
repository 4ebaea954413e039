/**
 * A solo learner's optional name on the leaderboard: the class game's nickname rules, plus a word
 * filter, since a public leaderboard has no teacher to kick an unkind name.
 */
import { normalizeNickname } from '../game/nickname';

// Kept short and obvious on purpose: a filter that guesses too hard blocks real names. These are
// blocked anywhere in a name, however it is spaced or spelled…
const BLOCKED_ANYWHERE = [
  'asshole', 'bastard', 'bitch', 'bollocks', 'cunt', 'fuck', 'hitler', 'nigga', 'nigger', 'penis', 'porn',
  'retard', 'shit', 'slut', 'twat', 'vagina', 'wank', 'whore',
];
// …and these only as a whole word, since real words and names contain them (grape, Essex, Dickens).
const BLOCKED_WORDS = ['arse', 'cock', 'crap', 'dick', 'fag', 'nazi', 'piss', 'pussy', 'rape', 'sex', 'tits'];

// Digits and symbols people use to slip a word past a filter.
const LOOKALIKES: Record<string, string> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '8': 'b', '@': 'a', $: 's', '!': 'i' };

/** Letters only, lower-case, doubled letters collapsed ("shiiit" → "shit"), so stretching hides nothing. */
function squash(text: string): string {
  return [...text].filter((c) => /\p{L}/u.test(c)).join('').replace(/(\p{L})\1+/gu, '$1');
}

/** Whether a name contains a blocked word (however it is spaced, stretched or spelled with digits). */
export function isBlockedName(name: string): boolean {
  const plain = [...name.toLocaleLowerCase('en').normalize('NFKD')].map((c) => LOOKALIKES[c] ?? c).join('');
  const letters = squash(plain);
  if (BLOCKED_ANYWHERE.some((word) => letters.includes(squash(word)))) return true;
  const words = plain.split(/[^\p{L}]+/u).map(squash).filter(Boolean);
  // "s e x" spaced out is a whole word too.
  return BLOCKED_WORDS.some((word) => words.includes(squash(word)) || letters === squash(word));
}

/** The name as the leaderboard shows it, or why it cannot be one. */
export function leaderboardNickname(raw: string): { ok: true; nickname: string } | { ok: false; message: string } {
  const result = normalizeNickname(raw);
  if (!result.ok) return result;
  if (isBlockedName(result.nickname)) return { ok: false, message: 'Please choose a kinder nickname.' };
  return result;
}
