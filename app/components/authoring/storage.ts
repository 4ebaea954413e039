/**
 * The teacher's own lessons on this browser: each id with its edit secret, in localStorage. Nothing else
 * knows which lessons are whose (there are no accounts), so the edit link is the way to another device.
 */
const KEY = 'arena:authored-lessons';

export interface OwnedLesson {
  id: string;
  secret: string;
}

function storage(): Storage | null {
  try {
    return typeof window === 'undefined' ? null : window.localStorage;
  } catch {
    return null;
  }
}

/** Every lesson this browser may edit, newest first. */
export function ownedLessons(): OwnedLesson[] {
  try {
    const parsed: unknown = JSON.parse(storage()?.getItem(KEY) ?? '[]');
    if (!Array.isArray(parsed)) return [];
    return parsed.filter((x): x is OwnedLesson => typeof x === 'object' && x !== null && typeof x.id === 'string' && typeof x.secret === 'string');
  } catch {
    return [];
  }
}

/** Remembers (or refreshes) a lesson's edit secret. */
export function rememberLesson(owned: OwnedLesson): void {
  const rest = ownedLessons().filter((o) => o.id !== owned.id);
  try {
    storage()?.setItem(KEY, JSON.stringify([owned, ...rest].slice(0, 100)));
  } catch {
    // A full or refused localStorage only costs the list; the edit link still works.
  }
}

/** The secret for a lesson, if this browser has it. */
export function secretFor(id: string): string | null {
  return ownedLessons().find((o) => o.id === id)?.secret ?? null;
}

/** The link that opens the editor with the secret (in the fragment, which browsers never send to a server). */
export function editLink(origin: string, owned: OwnedLesson): string {
  return `${origin}/lessons/${owned.id}/edit#secret=${encodeURIComponent(owned.secret)}`;
}
