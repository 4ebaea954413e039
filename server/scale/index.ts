/**
 * What a process needs to run beside others (REDIS_URL set): the socket.io adapter on Redis streams,
 * which carries broadcasts to sockets on every process and keeps its place in the stream across a
 * Redis restart; the room leases; and the cluster that forwards events to each room's owner.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import { Redis } from 'ioredis';
import type { Ack } from '../../lib/protocol';
import type { Logger } from '../log';
import type { RoomRegistry } from '../rooms/registry';
import type { ArenaIo, MemberSocket } from '../rooms/types';
import { Cluster, DEFAULT_CLUSTER_TIMING, type ClusterTiming } from './cluster';
import { RoomLeases } from './leases';

export { Cluster } from './cluster';
export { RoomLeases } from './leases';

export interface ScaleOptions {
  redisUrl: string;
  /** Every key and channel starts with it (REDIS_PREFIX), so deployments and test runs sharing a Redis never meet. */
  prefix: string;
  logger: Logger;
  timing?: Partial<ClusterTiming>;
}

/** The parts of a process that runs beside others; `app.ts` wires them in. */
export interface Scale {
  readonly processId: string;
  readonly prefix: string;
  /** For `io.adapter(…)`. */
  readonly adapter: ReturnType<typeof createAdapter>;
  readonly leases: RoomLeases;
  /** The cluster for this process's rooms; `serve` runs a forwarded request as the door would. */
  cluster(parts: { io: ArenaIo; registry: RoomRegistry; serve: (socket: MemberSocket, event: string, payload: unknown) => Promise<Ack<unknown>> }): Cluster;
  /** Closes the Redis connections (after the cluster stopped). */
  close(): Promise<void>;
}

/** Connects to Redis and prepares the adapter and the leases; nothing is served yet. */
export function createScale(options: ScaleOptions): Scale {
  const { logger, prefix } = options;
  const timing = { ...DEFAULT_CLUSTER_TIMING, ...options.timing };
  const processId = `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  // Commands give up rather than wait forever, so a Redis that stops answering cannot hold a room's lease decisions.
  const connect = (role: string) => {
    const client = new Redis(options.redisUrl, { commandTimeout: Math.max(1000, Math.floor(timing.leaseMs / 2)), maxRetriesPerRequest: 2 });
    client.on('error', (error: Error) => logger.warn({ family: 'scale', role, err: { message: error.message } }, `Redis (${role}): ${error.message}`));
    return client;
  };
  const redis = connect('commands');
  const subscriber = connect('subscriber');
  // The adapter's blocking stream reads need a connection without a command timeout.
  const adapterClient = new Redis(options.redisUrl);
  adapterClient.on('error', (error: Error) => logger.warn({ family: 'scale', role: 'adapter' }, `Redis (adapter): ${error.message}`));
  const adapter = createAdapter(adapterClient, { streamName: `${prefix}:socket.io`, channelPrefix: `${prefix}:socket.io`, onlyPlaintext: true });
  const leases = new RoomLeases({ redis, prefix, processId, ttlMs: timing.leaseMs, now: Date.now });
  logger.info({ family: 'scale', processId, prefix }, `Running beside other processes as ${processId} (Redis key prefix "${prefix}")`);
  return {
    processId,
    prefix,
    adapter,
    leases,
    cluster: ({ io, registry, serve }) => new Cluster({ io, registry, leases, redis, subscriber, prefix, processId, logger, serve, timing }),
    async close() {
      for (const client of [redis, subscriber, adapterClient]) client.disconnect();
    },
  };
}
