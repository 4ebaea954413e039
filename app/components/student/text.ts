/**
 * The words a student's screen says, as pure functions of the view: what the phase means, what to
 * announce to a screen reader, how to read a cosine. Kept apart from the components so they are tested.
 */
import type { ArenaNotice } from '../../../lib/client';
import { placeWords } from '../../../lib/game/podium';
import type { Phase, StudentView } from '../../../lib/protocol';

/** A phase as a student would name it. */
export const PHASE_LABEL: Record<Phase, string> = {
  lobby: 'Lobby',
  cards: 'Cards',
  negotiate: 'Negotiate',
  locked: 'Locked',
  reveal: 'Reveal',
  podium: 'Podium',
  ended: 'Ended',
};

/** The lesson's own words for this phase. */
export function stepText(view: StudentView): string {
  const { steps } = view.lesson;
  switch (view.phase) {
    case 'lobby':
      return steps.intro;
    case 'cards':
      return steps.cards;
    case 'negotiate':
      return steps.negotiate;
    case 'locked':
      return steps.lock;
    case 'reveal':
      return steps.reveal;
    case 'podium':
    case 'ended':
      return steps.wrapUp;
  }
}

/**
 * One short line for this student's own seat and phase (the lesson's narration is about its star
 * token, which most students do not hold). Null where the lesson's own words fit everyone.
 */
export function seatPrompt(view: StudentView): string | null {
  const seat = view.seat;
  if (!seat) return null;
  const word = tokenName(view.lesson.tokens, seat.token);
  const heads = view.lesson.heads;
  const inHead = heads.length > 1 ? ` in the ${heads[seat.head]?.name ?? `head ${seat.head + 1}`} head` : '';
  switch (view.phase) {
    case 'cards':
      return `You are ${word}${inHead}: your query is your question, the others’ keys are the answers.`;
    case 'negotiate':
      return `${word}${inHead}: which key answers your query best? Give it the most of your 100 %.`;
    case 'locked':
      return `Locked. The model now works out ${word}’s row: dot products, ÷ √d_k, softmax.`;
    case 'reveal':
      return view.result?.verdict ?? null;
    default:
      return null;
  }
}

/** A token as a student says it: the word, and its position when the word occurs twice. */
export function tokenName(tokens: readonly string[], index: number): string {
  const word = tokens[index] ?? `token ${index}`;
  const repeated = tokens.filter((t) => t === word).length > 1;
  return repeated ? `${word} (${index})` : word;
}

/** A team in a few words: "Ada", "Ada and Bo", "Ada +4" (a long team is named once, not listed). */
export function teamName(names: readonly string[]): string {
  if (names.length <= 2) return listNames(names);
  return `${names[0]} +${names.length - 1}`;
}

/** "Ada", "Ada and Bo", "Ada, Bo and Cy". */
export function listNames(names: readonly string[]): string {
  if (names.length <= 1) return names[0] ?? 'someone';
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** "2nd", or "joint 2nd with Ada and Bo" when others share the student's rank. */
export function finishedPlace(view: StudentView): string {
  const rank = view.me.rank;
  if (rank === null) return '';
  const others = (view.leaderboard ?? []).filter((e) => e.rank === rank && e.playerId !== view.me.playerId).map((e) => e.nickname ?? 'a student');
  return others.length === 0 ? placeWords(rank, false) : `${placeWords(rank, true)} with ${listNames(others)}`;
}

/** What a screen reader should hear about where the game is now (a polite live region). */
export function phaseAnnouncement(view: StudentView): string {
  const round = view.round?.number;
  const seat = view.seat;
  const paused = view.paused ? 'The teacher paused the game. ' : '';
  switch (view.phase) {
    case 'lobby':
      return `You joined as ${view.me.nickname}. Waiting for the teacher to start.`;
    case 'cards':
      if (!seat) return `${paused}Round ${round} started. You play from the next round.`;
      return `${paused}Round ${round} started. You are ${tokenName(view.lesson.tokens, seat.token)}. Look at your cards.`;
    case 'negotiate':
      if (!seat) return `${paused}Round ${round}: the others are negotiating. You play from the next round.`;
      if (seat.lockedIn) return `${paused}You are locked in. Waiting for the others.`;
      return `${paused}Negotiation is open. Ask for keys and set your sliders.`;
    case 'locked':
      return view.round?.revealPending ? 'The round is locked. The model is computing its answer.' : 'The round is locked. The reveal is next.';
    case 'reveal':
      return view.result ? `Round ${round} revealed. Your score: ${view.result.score} out of 1000.` : `Round ${round} revealed.`;
    case 'podium':
      return view.me.rank !== null ? `The podium! You finished ${finishedPlace(view)} with ${view.me.total} points.` : 'The podium!';
    case 'ended':
      return 'The session has ended. Thanks for playing.';
  }
}

/** What a screen reader should hear about a notice. */
export function noticeAnnouncement(notice: ArenaNotice, tokens: readonly string[]): string {
  switch (notice.event) {
    case 'key:requested':
      return `${teamName(notice.data.fromNicknames)}, playing “${tokenName(tokens, notice.data.fromToken)}”, asks for your key.`;
    case 'key:shared':
      return `You now hold the key of “${tokenName(tokens, notice.data.token)}”: its player shared it.`;
    case 'player:kicked':
      return notice.data.message;
  }
}

/** A cosine similarity in plain words. */
export function cosineWords(cosine: number): { verdict: string; explanation: string } {
  const explanation =
    'Your output is the blend of the value cards you listened to. The cosine compares its direction with the model’s: 1 means the same direction (the same meaning passed on), 0 means unrelated, −1 means opposite.';
  if (cosine >= 0.95) return { verdict: 'Almost exactly what the model passes on.', explanation };
  if (cosine >= 0.8) return { verdict: 'Close to what the model passes on.', explanation };
  if (cosine >= 0.5) return { verdict: 'Partly like what the model passes on.', explanation };
  if (cosine >= 0) return { verdict: 'Quite different from what the model passes on.', explanation };
  return { verdict: 'The opposite of what the model passes on.', explanation };
}

/** A weight difference (0–1) as percentage points. */
export function points(by: number): string {
  const n = Math.round(Math.abs(by) * 100);
  return `${n} percentage point${n === 1 ? '' : 's'}`;
}

/** A signed number with a real minus sign and two decimals. */
export function formatNumber(x: number, digits = 2): string {
  const rounded = Number(x.toFixed(digits));
  const text = Math.abs(rounded).toFixed(digits);
  return rounded < 0 ? `−${text}` : text;
}

/** Vectors longer than this show only their non-zero products in the working. */
const SHORT_VECTOR = 4;

/**
 * The dot product of two vectors, and how it adds up: "1×2 + 0×1 = 2". A long vector shows only the
 * products that are not zero ("3×1 + 1×2 (+ zeros) = 5"), so the working fits on a phone.
 */
export function dotProduct(a: readonly number[], b: readonly number[]): { value: number; working: string } {
  const terms = a.map((x, i) => ({ x, y: b[i] ?? 0 }));
  const value = terms.reduce((sum, { x, y }) => sum + x * y, 0);
  const show = (n: number) => (n < 0 ? `(−${Math.abs(n)})` : String(n));
  const total = value < 0 ? `−${Math.abs(value)}` : String(value);
  const shown = terms.length <= SHORT_VECTOR ? terms : terms.filter(({ x, y }) => x * y !== 0);
  if (shown.length === 0) return { value, working: `${total} (no feature is non-zero in both)` };
  const hidden = shown.length < terms.length ? ' (+ zeros)' : '';
  return { value, working: `${shown.map(({ x, y }) => `${show(x)}×${show(y)}`).join(' + ')}${hidden} = ${total}` };
}
