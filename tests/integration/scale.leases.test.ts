/**
 * Room leases on a real Redis: one owner per room, a renewal that notices a lease another process took,
 * a lease that vanished with a Redis restart taken back, a release only by the owner.
 *
 * Skipped, with the reason, when Redis cannot be reached; with CI=true that is an error.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { RoomLeases } from '../../server/scale/leases';
import { REDIS_URL, redisProblem } from '../helpers/redis';



const problem = await redisProblem();
if (problem && process.env.CI === 'true') throw new Error(`${problem}. CI must test the leases: start Redis or set TEST_REDIS_URL.`);
if (problem) console.warn(`Skipping the lease tests: ${problem}.`);

describe.skipIf(problem)('room leases', () => {
  const prefix = `arena-test-leases-${randomBytes(4).toString('hex')}`;
  const redis = problem ? null : new Redis(REDIS_URL);
  const leases = (processId: string) => new RoomLeases({ redis: redis!, prefix, processId, ttlMs: 60_000, now: () => 0 });

  afterAll(async () => {
    if (!redis) return;
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  it('gives a room to one process only, until it releases it', async () => {
    const a = leases('a');
    const b = leases('b');
    expect(await a.claim('s1')).toBe(true);
    expect(await a.claim('s1')).toBe(true);
    expect(await b.claim('s1')).toBe(false);
    expect(await b.owner('s1')).toBe('a');
    expect(await b.knownSessions()).toContain('s1');
    // Only the owner can give it up.
    await b.release('s1');
    expect(await a.owner('s1')).toBe('a');
    await a.release('s1');
    expect(await b.claim('s1')).toBe(true);
    expect([...a.owned]).toEqual([]);
    expect([...b.owned]).toEqual(['s1']);
  });

  it('renews its leases, reports one another process holds, and takes back one Redis forgot', async () => {
    const a = leases('a');
    const b = leases('b');
    expect(await a.claim('s2')).toBe(true);
    expect(await a.claim('s3')).toBe(true);
    expect(await a.renew()).toEqual([]);
    // s2's lease lapsed and b took it; s3's key vanished (a Redis restart without persistence).
    await redis!.del(`${prefix}:lease:s2`, `${prefix}:lease:s3`);
    expect(await b.claim('s2')).toBe(true);
    expect(await a.renew()).toEqual(['s2']);
    expect([...a.owned]).toEqual(['s3']);
    expect(await b.owner('s3')).toBe('a');
    expect(await a.owners(['s2', 's3', 'nobody'])).toEqual(new Map([['s2', 'b'], ['s3', 'a'], ['nobody', null]]));
  });

  it('an ended session is forgotten, so no process tries to take it over', async () => {
    const a = leases('a');
    expect(await a.claim('s4')).toBe(true);
    await a.release('s4', true);
    expect(await a.knownSessions()).not.toContain('s4');
    expect(await a.owner('s4')).toBeNull();
  });
});
