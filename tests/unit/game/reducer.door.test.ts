/**
 * The classroom's own safety rules in the game core: one nickname check (profanity, look-alikes,
 * reserved words), room size, the lobby lock with the teacher's approvals, a removed student
 * staying out by name and by browser unless let back, renaming, and idle expiry.
 */
import { describe, expect, it } from 'vitest';
import { checkNickname, sameNickname } from '../../../lib/game';
import { ErrorCode } from '../../../lib/protocol';
import { expectRefused, joinAll, newSession, run, student, system, teacher, testLesson, World } from './fixtures';

describe('nicknames', () => {
  it('refuse profanity however it is spelled', () => {
    for (const name of ['Fuck you', 'ƒuck', 'SHIIIT', 'f u c k', 's.h.i.t', 'Sh1t head']) {
      expect(checkNickname(name), name).toMatchObject({ ok: false, reason: 'unkind' });
    }
  });

  it('refuse the names of roles', () => {
    for (const name of ['Teacher', 'teacher', 'Тeacher', 'Mr Teacher', 'Admin', 'Host', 'H.O.S.T']) {
      expect(checkNickname(name), name).toMatchObject({ ok: false, reason: 'reserved' });
    }
  });

  it('let real names through', () => {
    for (const name of ['Alice', 'Zoë', '张伟', 'Дмитрий', 'Essex Girl', 'Dickens', 'Hancock', 'Scunthorpe', 'Hosting Club', 'Ada L.']) {
      expect(checkNickname(name), name).toMatchObject({ ok: true });
    }
  });

  it('count look-alikes as the same name', () => {
    expect(sameNickname('Alice', '\u0410lice')).toBe(true); // Cyrillic А
    expect(sameNickname('alice', 'ALICE')).toBe(true);
    expect(sameNickname('A.lice', 'Alice')).toBe(true);
    expect(sameNickname('Alice', 'Alicia')).toBe(false);
  });
});

describe('joining', () => {
  const world = new World();
  const lobby = joinAll(newSession(testLesson, world), 2, world);

  it('refuses a look-alike of a name already taken, and profane or reserved names', () => {
    const taken = run(lobby, { type: 'seat:join', nickname: 'Alice', by: student('a') }, world);
    expectRefused(taken, { type: 'seat:join', nickname: '\u0410lice', by: student('b') }, world, ErrorCode.nicknameTaken);
    expectRefused(lobby, { type: 'seat:join', nickname: 'Fuck you', by: student('b') }, world, ErrorCode.nicknameRejected);
    expectRefused(lobby, { type: 'seat:join', nickname: 'Teacher', by: student('b') }, world, ErrorCode.nicknameRejected);
  });

  it('stops at the room size, kicked students not counted', () => {
    const small = run(lobby, { type: 'teacher:settings', settings: { roomSize: 2 }, by: teacher }, world);
    expectRefused(small, { type: 'seat:join', nickname: 'third', by: student('c') }, world, ErrorCode.joinRoomFull);
    const kicked = run(small, { type: 'teacher:kick', playerId: 'p1', by: teacher }, world);
    const joined = run(kicked, { type: 'seat:join', nickname: 'third', by: student('c') }, world);
    expect(joined.players.filter((p) => !p.kicked)).toHaveLength(2);
  });

  it('keeps a locked lobby closed except to the names the teacher approved, once each', () => {
    const locked = run(lobby, { type: 'teacher:settings', settings: { lobbyLocked: true }, by: teacher }, world);
    expectRefused(locked, { type: 'seat:join', nickname: 'Sam', by: student('s') }, world, ErrorCode.joinLobbyLocked);
    const approved = run(locked, { type: 'teacher:admit', nickname: 'sam', by: teacher }, world);
    const joined = run(approved, { type: 'seat:join', nickname: 'Sam', by: student('s') }, world);
    expect(joined.players.map((p) => p.nickname)).toContain('Sam');
    expect(joined.admitted).toEqual([]);
    expectRefused(locked, { type: 'teacher:admit', nickname: 'Teacher', by: teacher }, world, ErrorCode.nicknameRejected);
    expectRefused(locked, { type: 'teacher:admit', nickname: 'x', by: student('p1') }, world, ErrorCode.authNotHost);
  });
});

describe('a removed student', () => {
  const world = new World();
  const lobby = run(newSession(testLesson, world), { type: 'seat:join', nickname: 'Prank', device: 'device-hash-1', by: student('prank') }, world);
  const kicked = run(lobby, { type: 'teacher:kick', playerId: 'prank', by: teacher }, world);

  it('cannot come back under the same name or from the same browser under a new one', () => {
    expectRefused(kicked, { type: 'seat:join', nickname: 'Prank', by: student('x') }, world, ErrorCode.authKicked);
    expectRefused(kicked, { type: 'seat:join', nickname: 'Innocent', device: 'device-hash-1', by: student('x') }, world, ErrorCode.authKicked);
    expectRefused(kicked, { type: 'seat:rejoin', by: student('prank') }, world, ErrorCode.authKicked);
    run(kicked, { type: 'seat:join', nickname: 'Innocent', device: 'device-hash-2', by: student('y') }, world);
  });

  it('comes back when the teacher lets them', () => {
    const back = run(kicked, { type: 'teacher:readmit', playerId: 'prank', by: teacher }, world);
    const rejoined = run(back, { type: 'seat:rejoin', by: student('prank') }, world);
    expect(rejoined.players.find((p) => p.id === 'prank')).toMatchObject({ kicked: false, away: false });
    expectRefused(lobby, { type: 'teacher:readmit', playerId: 'prank', by: teacher }, world, ErrorCode.playerNotKicked);
  });
});

describe('the teacher', () => {
  const world = new World();
  const lobby = joinAll(newSession(testLesson, world), 2, world);

  it('renames a student, with the same checks as a join', () => {
    const renamed = run(lobby, { type: 'teacher:rename', playerId: 'p1', nickname: 'Blue Owl', by: teacher }, world);
    expect(renamed.players.find((p) => p.id === 'p1')?.nickname).toBe('Blue Owl');
    expectRefused(lobby, { type: 'teacher:rename', playerId: 'p1', nickname: 'P2', by: teacher }, world, ErrorCode.nicknameTaken);
    expectRefused(lobby, { type: 'teacher:rename', playerId: 'p1', nickname: 'shit', by: teacher }, world, ErrorCode.nicknameRejected);
    expectRefused(lobby, { type: 'teacher:rename', playerId: 'p1', nickname: 'x', by: student('p2') }, world, ErrorCode.authNotHost);
  });
});

describe('idle expiry', () => {
  it('ends the session like the teacher would; only the server may send it', () => {
    const world = new World();
    const lobby = joinAll(newSession(testLesson, world), 2, world);
    expect(run(lobby, { type: 'session:expire', by: system }, world).phase).toBe('ended');
    expectRefused(lobby, { type: 'session:expire', by: teacher }, world, ErrorCode.authForbidden);
  });
});
