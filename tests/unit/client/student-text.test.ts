import { describe, expect, it } from 'vitest';
import {
  cosineWords,
  dotProduct,
  formatNumber,
  listNames,
  noticeAnnouncement,
  phaseAnnouncement,
  points,
  seatPrompt,
  stepText,
  tokenName,
} from '../../../app/components/student/text';
import { Game } from './fixtures';

describe('the words on a student’s screen', () => {
  it('names a token by its word, with its position when the word repeats', () => {
    const tokens = ['the', 'cat', 'saw', 'the', 'dog'];
    expect(tokenName(tokens, 1)).toBe('cat');
    expect(tokenName(tokens, 3)).toBe('the (3)');
    expect(tokenName(tokens, 9)).toBe('token 9');
  });

  it('lists names the way people say them', () => {
    expect(listNames([])).toBe('someone');
    expect(listNames(['Ada'])).toBe('Ada');
    expect(listNames(['Ada', 'Bo'])).toBe('Ada and Bo');
    expect(listNames(['Ada', 'Bo', 'Cy'])).toBe('Ada, Bo and Cy');
  });

  it('announces each phase, from the lobby to the reveal', () => {
    const game = new Game();
    expect(phaseAnnouncement(game.view)).toBe('You joined as Ada. Waiting for the teacher to start.');
    expect(stepText(game.view)).toBe(game.view.lesson.steps.intro);
    game.apply({ type: 'teacher:start-round', by: { role: 'teacher' } });
    expect(phaseAnnouncement(game.view)).toMatch(/^Round 1 started\. You are .+\. Look at your cards\.$/);
    game.apply({ type: 'teacher:pause', by: { role: 'teacher' } });
    expect(phaseAnnouncement(game.view)).toMatch(/^The teacher paused the game\. Round 1 started/);
  });

  it('announces the score at the reveal', () => {
    const game = new Game().toNegotiation();
    game.apply({ type: 'attention:lock', round: 1, by: { role: 'student', playerId: 'ada' } });
    expect(game.view.phase).toBe('locked');
    expect(phaseAnnouncement(game.view)).toBe('The round is locked. The reveal is next.');
    game.apply({ type: 'teacher:reveal', by: { role: 'teacher' } });
    const view = game.view;
    expect(view.result).not.toBeNull();
    expect(phaseAnnouncement(view)).toBe(`Round 1 revealed. Your score: ${view.result?.score} out of 1000.`);
  });

  it('addresses every prompt to the student’s own token, and the reveal’s to their own result', () => {
    const game = new Game();
    expect(seatPrompt(game.view)).toBeNull();
    game.toNegotiation();
    const word = game.view.lesson.tokens[game.view.seat!.token];
    expect(seatPrompt(game.view)).toBe(`${word}: which key answers your query best? Give it the most of your 100 %.`);
    game.apply({ type: 'attention:lock', round: 1, by: { role: 'student', playerId: 'ada' } });
    expect(seatPrompt(game.view)).toContain(`${word}’s row`);
    game.apply({ type: 'teacher:reveal', by: { role: 'teacher' } });
    expect(seatPrompt(game.view)).toBe(game.view.result?.verdict);
    expect(game.view.result?.verdict).toContain(word);
  });

  it('announces notices', () => {
    const tokens = ['The', 'cat', 'sat'];
    expect(
      noticeAnnouncement({ id: 1, receivedAt: 0, event: 'key:requested', data: { requestId: 'k1', round: 1, head: 0, fromToken: 2, fromNicknames: ['Bo', 'Cy'] } }, tokens),
    ).toBe('Bo and Cy, playing “sat”, asks for your key.');
    expect(
      noticeAnnouncement(
        { id: 3, receivedAt: 0, event: 'key:requested', data: { requestId: 'k2', round: 1, head: 0, fromToken: 0, fromNicknames: ['Ada', 'Bo', 'Cy', 'Di', 'Ed'] } },
        tokens,
      ),
    ).toBe('Ada +4, playing “The”, asks for your key.');
    expect(noticeAnnouncement({ id: 2, receivedAt: 0, event: 'key:shared', data: { requestId: 'k1', round: 1, head: 0, token: 1 } }, tokens)).toBe(
      'You now hold the key of “cat”: its player shared it.',
    );
  });

  it('reads a cosine in plain words', () => {
    expect(cosineWords(0.99).verdict).toMatch(/Almost exactly/);
    expect(cosineWords(0.85).verdict).toMatch(/Close/);
    expect(cosineWords(0.6).verdict).toMatch(/Partly/);
    expect(cosineWords(0.1).verdict).toMatch(/Quite different/);
    expect(cosineWords(-0.5).verdict).toMatch(/opposite/);
    expect(cosineWords(0.5).explanation).toMatch(/1 means the same direction/);
  });

  it('shows a dot product’s working', () => {
    expect(dotProduct([1, 0], [2, 1])).toEqual({ value: 2, working: '1×2 + 0×1 = 2' });
    expect(dotProduct([-1, 2], [3, -0.5])).toEqual({ value: -4, working: '(−1)×3 + 2×(−0.5) = −4' });
    // Long vectors keep only the products that count.
    expect(dotProduct([0, 3, 0, 0, 1, 0], [5, 1, 0, 2, 2, 0]).working).toBe('3×1 + 1×2 (+ zeros) = 5');
    expect(dotProduct([0, 0, 0, 0, 0], [1, 1, 1, 1, 1]).working).toBe('0 (no feature is non-zero in both)');
  });

  it('formats numbers and points', () => {
    expect(formatNumber(0.456)).toBe('0.46');
    expect(formatNumber(-0.004)).toBe('0.00');
    expect(formatNumber(-1.5)).toBe('−1.50');
    expect(points(0.25)).toBe('25 percentage points');
    expect(points(0.01)).toBe('1 percentage point');
  });
});
