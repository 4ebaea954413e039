/**
 * Sound effects made in the browser with WebAudio oscillators: nothing is downloaded. Off until the
 * teacher turns them on (the choice is remembered on this projector), and silent where WebAudio is missing.
 */

const STORAGE_KEY = 'arena:stage-sound';

export type Cue = 'tick' | 'reveal' | 'step' | 'fanfare';

let context: AudioContext | null = null;

export function soundWanted(): boolean {
  try {
    return window.localStorage.getItem(STORAGE_KEY) === 'on';
  } catch {
    return false;
  }
}

export function rememberSound(on: boolean): void {
  try {
    window.localStorage.setItem(STORAGE_KEY, on ? 'on' : 'off');
  } catch {
    // Private browsing: the choice lasts this page only.
  }
}

function audio(): AudioContext | null {
  if (typeof window === 'undefined' || typeof window.AudioContext !== 'function') return null;
  context ??= new window.AudioContext();
  // A browser starts a context suspended until a user gesture; the sound button is one.
  if (context.state === 'suspended') void context.resume();
  return context;
}

/** One short tone: frequency in Hz, start offset and length in seconds. */
function tone(ctx: AudioContext, frequency: number, at: number, length: number, type: OscillatorType = 'sine', volume = 0.18): void {
  const oscillator = ctx.createOscillator();
  const gain = ctx.createGain();
  oscillator.type = type;
  oscillator.frequency.value = frequency;
  const start = ctx.currentTime + at;
  gain.gain.setValueAtTime(0, start);
  gain.gain.linearRampToValueAtTime(volume, start + 0.015);
  gain.gain.exponentialRampToValueAtTime(0.0001, start + length);
  oscillator.connect(gain).connect(ctx.destination);
  oscillator.start(start);
  oscillator.stop(start + length + 0.05);
}

export function play(cue: Cue): void {
  const ctx = audio();
  if (!ctx) return;
  switch (cue) {
    case 'tick':
      tone(ctx, 660, 0, 0.12, 'triangle');
      return;
    case 'step':
      tone(ctx, 520, 0, 0.09, 'sine', 0.12);
      return;
    case 'reveal':
      [523, 659, 784].forEach((f, i) => tone(ctx, f, i * 0.08, 0.5, 'triangle'));
      return;
    case 'fanfare':
      [523, 659, 784, 1047].forEach((f, i) => tone(ctx, f, i * 0.13, i === 3 ? 0.9 : 0.22, 'square', 0.08));
      return;
  }
}
