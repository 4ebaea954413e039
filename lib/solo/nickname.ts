/**
 * A solo learner's optional name on the leaderboard: the class game's nickname check (shape,
 * profanity, reserved words), since a public leaderboard has no teacher to kick an unkind name.
 */
import { checkNickname, isProfaneNickname } from '../game/nickname';

/** Whether a name contains a blocked word (however it is spaced, stretched or spelled with look-alikes). */
export function isBlockedName(name: string): boolean {
  return isProfaneNickname(name);
}

/** The name as the leaderboard shows it, or why it cannot be one. */
export function leaderboardNickname(raw: string): { ok: true; nickname: string } | { ok: false; message: string } {
  const checked = checkNickname(raw);
  return checked.ok ? checked : { ok: false, message: checked.message };
}
