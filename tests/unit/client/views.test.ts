import { describe, expect, it } from 'vitest';
import { formatCountdown, isViewOfRole, shouldAcceptView, timeLeftMs } from '../../../lib/client/views';
import { Game } from './fixtures';

describe('keeping the newest view', () => {
  it('drops a view older than or as old as the one shown, takes a newer one', () => {
    const game = new Game();
    const v1 = game.view;
    game.toNegotiation();
    const v2 = game.view;
    expect(v2.version).toBeGreaterThan(v1.version);
    expect(shouldAcceptView(null, v1)).toBe(true);
    expect(shouldAcceptView(v1, v2)).toBe(true);
    expect(shouldAcceptView(v2, v1)).toBe(false);
    expect(shouldAcceptView(v2, { ...v2 })).toBe(false);
  });

  it('always takes a view of another session', () => {
    const game = new Game();
    const view = game.view;
    expect(shouldAcceptView({ ...view, version: 99 }, { ...view, code: 'WXYKMN', version: 1 })).toBe(true);
  });

  it('knows which view belongs to which role', () => {
    const view = new Game().view;
    expect(isViewOfRole(view, 'player')).toBe(true);
    expect(isViewOfRole(view, 'host')).toBe(false);
    expect(isViewOfRole(view, 'stage')).toBe(false);
  });
});

describe('the round clock', () => {
  it('counts down to the deadline, holds while paused, is null without a timer', () => {
    expect(timeLeftMs({ durationMs: 60_000, deadline: 10_000, pausedRemainingMs: null }, 4_000)).toBe(6_000);
    expect(timeLeftMs({ durationMs: 60_000, deadline: 10_000, pausedRemainingMs: null }, 14_000)).toBe(0);
    expect(timeLeftMs({ durationMs: 60_000, deadline: 10_000, pausedRemainingMs: null }, 4_000, 1_000)).toBe(5_000);
    expect(timeLeftMs({ durationMs: 60_000, deadline: null, pausedRemainingMs: 12_345 }, 4_000)).toBe(12_345);
    expect(timeLeftMs({ durationMs: null, deadline: null, pausedRemainingMs: null }, 4_000)).toBeNull();
    expect(timeLeftMs(null, 4_000)).toBeNull();
  });

  it('formats as m:ss, rounding up', () => {
    expect(formatCountdown(90_000)).toBe('1:30');
    expect(formatCountdown(59_001)).toBe('1:00');
    expect(formatCountdown(9_000)).toBe('0:09');
    expect(formatCountdown(1)).toBe('0:01');
    expect(formatCountdown(0)).toBe('0:00');
    expect(formatCountdown(-5)).toBe('0:00');
  });
});
