/**
 * The dashboard's class progress, from a real game state: who is locked in, working, not started and
 * away, the roster's "stuck first" order, and the key requests the teacher follows (who, which, since).
 */
import { describe, expect, it } from 'vitest';
import { classProgress, describeAgo, isEvenSplit, progressState, sortRoster, topPickText } from '../../../app/components/teacher/progress';
import { viewFor, type GameState } from '../../../lib/game';
import { joinAll, newSession, run, seatOfPlayer, student, system, toNegotiation, World, oneHeadLesson } from '../game/fixtures';

/** Eight students in a negotiation: p1 locked in, p2 and p3 moved (p3 long ago), p4 away, the rest idle. */
function classInNegotiation(): { state: GameState; world: World } {
  const world = new World(3);
  let s = joinAll(newSession(oneHeadLesson, world), 8, world);
  s = toNegotiation(s, world);
  const even = (id: string) => {
    const seat = seatOfPlayer(s, id);
    const w = new Array<number>(s.lesson.tokens.length).fill(0);
    w[seat.token] = 0.7;
    w[(seat.token + 1) % w.length] = 0.3;
    return w;
  };
  s = run(s, { type: 'attention:allocate', round: 1, weights: even('p3'), by: student('p3') }, world);
  world.tick(60_000);
  s = run(s, { type: 'attention:allocate', round: 1, weights: even('p2'), by: student('p2') }, world);
  s = run(s, { type: 'attention:allocate', round: 1, weights: even('p1'), by: student('p1') }, world);
  s = run(s, { type: 'attention:lock', round: 1, by: student('p1') }, world);
  s = run(s, { type: 'presence:disconnect', playerId: 'p4', by: system }, world);
  world.tick(10_000);
  return { state: s, world };
}

describe('class progress on the dashboard', () => {
  it('counts locked, working, not started and away, each with the names behind it', () => {
    const { state, world } = classInNegotiation();
    const view = viewFor(state, { kind: 'teacher' });
    const groups = Object.fromEntries(classProgress(view, world.now).map((g) => [g.state, g.players.map((p) => p.nickname)]));
    expect(groups).toEqual({
      locked: ['p1'],
      working: ['p3', 'p2'],
      idle: ['p5', 'p6', 'p7', 'p8'],
      away: ['p4'],
    });
  });

  it('sorts the roster stuck first: not started, away, working longest-still first, then locked in', () => {
    const { state, world } = classInNegotiation();
    const view = viewFor(state, { kind: 'teacher' });
    const order = sortRoster(view.players, view.phase, 'state', world.now).map((p) => p.nickname);
    expect(order).toEqual(['p5', 'p6', 'p7', 'p8', 'p4', 'p3', 'p2', 'p1']);
    expect(sortRoster(view.players, view.phase, 'moved', world.now).map((p) => p.nickname).slice(-3)).toEqual(['p3', 'p1', 'p2']);
    expect(sortRoster(view.players, view.phase, 'name', world.now).map((p) => p.nickname)).toEqual(['p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7', 'p8']);
  });

  it('gives the teacher when each student last moved and when they locked in, nothing for those who never moved', () => {
    const { state, world } = classInNegotiation();
    const players = viewFor(state, { kind: 'teacher' }).players;
    const p3 = players.find((p) => p.nickname === 'p3');
    const p5 = players.find((p) => p.nickname === 'p5');
    const p1 = players.find((p) => p.nickname === 'p1');
    expect(world.now - (p3?.movedAt ?? 0)).toBe(70_000);
    expect(p5?.movedAt).toBeNull();
    expect(p5?.touched).toBe(false);
    expect(p1?.lockedInAt).toBe(world.now - 10_000);
    expect(describeAgo(70_000)).toBe('70 s ago');
    expect(describeAgo(2_000)).toBe('just now');
    expect(describeAgo(200_000)).toBe('3 min ago');
  });

  it('between rounds counts who is in the room and who is away', () => {
    const world = new World(4);
    let s = joinAll(newSession(oneHeadLesson, world), 3, world);
    s = run(s, { type: 'presence:disconnect', playerId: 'p2', by: system }, world);
    const view = viewFor(s, { kind: 'teacher' });
    expect(classProgress(view, world.now).map((g) => [g.state, g.players.length])).toEqual([
      ['ready', 2],
      ['away', 1],
    ]);
    expect(progressState(view.players[1], view.phase)).toBe('away');
  });

  it('lists each key request with who asked whom, for which key, and since when', () => {
    const world = new World(5);
    let s = joinAll(newSession(oneHeadLesson, world), 8, world);
    s = toNegotiation(s, world);
    const asker = seatOfPlayer(s, 'p1');
    const owner = s.round?.seats.find((seat) => seat.token !== asker.token && seat.members.length > 0);
    if (!owner) throw new Error('no other seated student');
    s = run(s, { type: 'key:request', round: 1, token: owner.token, by: student('p1') }, world);
    world.tick(42_000);
    const request = viewFor(s, { kind: 'teacher' }).keyRequests[0];
    expect(request).toMatchObject({ fromToken: asker.token, toToken: owner.token, status: 'pending', sharedAt: null });
    expect(request.fromNicknames).toEqual(asker.members);
    expect(request.toNicknames).toEqual(owner.members);
    expect(world.now - (request.requestedAt ?? 0)).toBe(42_000);
    s = run(s, { type: 'key:share', round: 1, requestId: request.id, by: student(owner.members[0]) }, world);
    expect(viewFor(s, { kind: 'teacher' }).keyRequests[0]).toMatchObject({ status: 'shared', sharedAt: world.now });
  });

  it('says "even split" rather than inventing a top pick, and names repeated words by position', () => {
    const tokens = ['the', 'cat', 'saw', 'the'];
    expect(isEvenSplit([0.25, 0.25, 0.25, 0.25])).toBe(true);
    expect(topPickText(tokens, [0.25, 0.25, 0.25, 0.25], false)).toBe('even split (never moved)');
    expect(topPickText(tokens, [1 / 3, 1 / 3, 1 / 3, 0], true)).toBe('even split');
    expect(topPickText(tokens, [0.1, 0.2, 0.1, 0.6], true)).toBe('the (3) 60%');
    expect(topPickText(tokens, [0.1, 0.7, 0.1, 0.1], true)).toBe('cat 70%');
  });
});
