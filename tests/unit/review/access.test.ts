import { describe, expect, it } from 'vitest';
import {
  credentialsFor,
  HISTORY_KEY,
  knownSessions,
  loadHistory,
  loadPlayed,
  rememberPlayed,
  rememberSession,
  type ListableStore,
} from '../../../app/components/review/access';

/** A localStorage stand-in whose keys can be listed. */
function listable(entries: Record<string, unknown> = {}): ListableStore {
  const map = new Map(Object.entries(entries).map(([k, v]) => [k, JSON.stringify(v)]));
  return {
    getItem: (key) => map.get(key) ?? null,
    setItem: (key, value) => void map.set(key, value),
    removeItem: (key) => void map.delete(key),
    key: (index) => [...map.keys()][index] ?? null,
    get length() {
      return map.size;
    },
  };
}

const HOST = 'h'.repeat(43);
const PLAYER = 'p'.repeat(43);

describe('the browser’s session history', () => {
  it('lists the sessions lib/client filed under arena:host:<code>, and those in arena:history', () => {
    const store = listable({
      'arena:host:ACEFHJ': { sessionId: 's_one', hostSecret: HOST },
      'arena:host:KMNPRT': { hostSecret: HOST },
      'arena:player:WXY347': { playerId: 'p_1', playerSecret: PLAYER, nickname: 'Ada' },
      [HISTORY_KEY]: [{ sessionId: 's_two', code: 'wxy-347', hostSecret: HOST, lessonTitle: 'Cats', createdAt: 5 }, { junk: true }],
    });
    expect(knownSessions(store)).toEqual([
      { sessionId: 's_one', code: 'ACEFHJ', hostSecret: HOST },
      { sessionId: 's_two', code: 'WXY347', hostSecret: HOST, lessonTitle: 'Cats', createdAt: 5 },
    ]);
  });

  it('remembers a session once, updating it in place', () => {
    const store = listable();
    expect(rememberSession({ sessionId: 's_one', code: 'ACEFHJ', hostSecret: HOST }, store)).toBe(true);
    expect(rememberSession({ sessionId: 's_one', code: 'ACEFHJ', hostSecret: HOST, lessonTitle: 'Cats' }, store)).toBe(true);
    expect(loadHistory(store)).toEqual([{ sessionId: 's_one', code: 'ACEFHJ', hostSecret: HOST, lessonTitle: 'Cats' }]);
  });

  it('survives a corrupt entry and a browser without storage', () => {
    const store = listable();
    store.setItem(HISTORY_KEY, '{not json');
    expect(loadHistory(store)).toEqual([]);
    expect(knownSessions(null)).toEqual([]);
    expect(rememberSession({ sessionId: 's', code: 'ACEFHJ', hostSecret: HOST }, null)).toBe(false);
  });
});

describe('credentialsFor', () => {
  const store = listable({
    'arena:host:ACEFHJ': { sessionId: 's_one', hostSecret: HOST },
    'arena:player:ACEFHJ': { playerId: 'p_1', playerSecret: PLAYER, nickname: 'Ada' },
    'arena:player:KMNPRT': { playerId: 'p_2', playerSecret: PLAYER, nickname: 'Bo' },
  });

  it('finds the teacher’s secret by session id or code, then the student’s', () => {
    const both = [
      { role: 'teacher', secret: HOST, code: 'ACEFHJ' },
      { role: 'student', secret: PLAYER, code: 'ACEFHJ' },
    ];
    expect(credentialsFor('s_one', store)).toEqual(both);
    expect(credentialsFor('acefhj', store)).toEqual(both);
  });

  it('finds a student’s secret by join code only, and nothing for a stranger', () => {
    expect(credentialsFor('KMNPRT', store)).toEqual([{ role: 'student', secret: PLAYER, code: 'KMNPRT' }]);
    expect(credentialsFor('s_unknown', store)).toEqual([]);
    expect(credentialsFor('WXY347', store)).toEqual([]);
  });
});

describe('the games a phone played', () => {
  it('are listed once each, the first sighting kept, and open the student’s report by session id', () => {
    const store = listable({ 'arena:player:KMNPRT': { playerId: 'p_2', playerSecret: PLAYER, nickname: 'Bo' } });
    expect(credentialsFor('s_two', store)).toEqual([]);
    expect(rememberPlayed({ sessionId: 's_two', code: 'kmn-prt', nickname: 'Bo', playedAt: 10 }, store)).toBe(true);
    expect(rememberPlayed({ sessionId: 's_two', code: 'KMNPRT', nickname: 'Bo', lessonTitle: 'Cats', playedAt: 99 }, store)).toBe(true);
    expect(loadPlayed(store)).toEqual([{ sessionId: 's_two', code: 'KMNPRT', nickname: 'Bo', lessonTitle: 'Cats', playedAt: 10 }]);
    expect(credentialsFor('s_two', store)).toEqual([{ role: 'student', secret: PLAYER, code: 'KMNPRT' }]);
  });

  it('survive a corrupt list and a browser without storage', () => {
    const store = listable();
    store.setItem('arena:played', '[{"sessionId": 3}, "junk"]');
    expect(loadPlayed(store)).toEqual([]);
    expect(rememberPlayed({ sessionId: 's', code: 'ACEFHJ', nickname: 'A', playedAt: 1 }, null)).toBe(false);
  });
});
