/**
 * Several processes behind one address. Each room has one owner process (its lease, `leases.ts`); a
 * socket may be connected to any process. The process a socket is connected to validates its message,
 * then hands it to the room's owner over Redis; the owner applies it for a stand-in of that socket and
 * answers. Views reach sockets on every process through the socket.io adapter, by room name. When an
 * owner dies its leases lapse, another process takes its rooms over from the database, and the phones
 * that were bound through it reconnect by themselves and prove who they are again.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { ErrorCode, type Ack, type ClientEventName } from '../../lib/protocol';
import type { Forwarding } from '../handlers/context';
import { errorFields, type Logger } from '../log';
import type { RoomRegistry } from '../rooms/registry';
import type { ArenaIo, Identity, MemberSocket, SocketData } from '../rooms/types';
import type { RoomLeases } from './leases';

/** The events that name their room by join code; the others act in the room the socket proved itself in. */
const BY_CODE: ReadonlySet<ClientEventName> = new Set<ClientEventName>(['session:resume', 'seat:join', 'seat:rejoin', 'stage:watch']);

/** A living owner that has not answered a request for this long is reported as not answering. */
const SILENT_OWNER_MS = 30_000;

export interface ClusterTiming {
  /** How often a forwarded request still unanswered checks that its owner lives. */
  forwardTimeoutMs: number;
  /** How often lapsed leases are looked for (a dead owner's rooms are taken over within lease + this). */
  scanIntervalMs: number;
  /** How often this process renews its leases (a third of the lease's life or less). */
  renewIntervalMs: number;
  /** The lease's life: how long a dead owner's rooms wait for another process. */
  leaseMs: number;
  /** How often the database, rather than Redis, is asked which sessions are live. */
  databaseScanIntervalMs: number;
}

export const DEFAULT_CLUSTER_TIMING: ClusterTiming = { forwardTimeoutMs: 2000, scanIntervalMs: 1000, renewIntervalMs: 1500, leaseMs: 5000, databaseScanIntervalMs: 30_000 };

export interface ClusterDeps {
  io: ArenaIo;
  registry: RoomRegistry;
  leases: RoomLeases;
  /** Commands and publishing. */
  redis: Redis;
  /** A connection of its own for subscribing (a subscribed connection runs no other commands). */
  subscriber: Redis;
  prefix: string;
  processId: string;
  logger: Logger;
  /** Serves a request for a socket of another process, as the door would for one of this process. */
  serve: (socket: MemberSocket, event: string, payload: unknown) => Promise<Ack<unknown>>;
  timing?: Partial<ClusterTiming>;
}

const identitySchema = z.discriminatedUnion('role', [
  z.object({ role: z.literal('teacher'), sessionId: z.string() }),
  z.object({ role: z.literal('stage'), sessionId: z.string() }),
  z.object({ role: z.literal('student'), sessionId: z.string(), playerId: z.string() }),
]);

/** What processes tell each other; they trust each other (Redis is theirs alone), the parse only types it. */
const envelopeSchema = z.discriminatedUnion('t', [
  z.object({
    t: z.literal('req'),
    id: z.string(),
    from: z.string(),
    sessionId: z.string(),
    socketId: z.string(),
    address: z.string(),
    identity: identitySchema.nullable(),
    event: z.string(),
    payload: z.unknown(),
  }),
  // `moved`: the process no longer runs the room; ask its owner again.
  z.object({ t: z.literal('res'), id: z.string(), moved: z.boolean(), answer: z.unknown(), identity: identitySchema.nullable() }),
  z.object({ t: z.literal('unbind'), socketId: z.string(), sessionId: z.string() }),
  z.object({ t: z.literal('owner'), sessionId: z.string(), owner: z.string() }),
]);
type Envelope = z.infer<typeof envelopeSchema>;
type Reply = Extract<Envelope, { t: 'res' }>;

/** The owner's stand-in for a socket connected to another process: it reaches it through the adapter. */
class RemoteSocket implements MemberSocket {
  data: SocketData = { identity: null };
  readonly handshake: { readonly address: string };

  constructor(
    readonly id: string,
    address: string,
    /** The process the socket is connected to. */
    public origin: string,
    private readonly io: ArenaIo,
  ) {
    this.handshake = { address };
  }

  join(rooms: string | string[]): void {
    this.io.in(this.id).socketsJoin(rooms);
  }

  leave(room: string): void {
    this.io.in(this.id).socketsLeave(room);
  }

  disconnect(close: boolean): void {
    this.io.in(this.id).disconnectSockets(close);
  }
}

/** This process's part in a cluster: forwarding, serving forwarded requests, leases and takeovers. */
export class Cluster implements Forwarding {
  private readonly timing: ClusterTiming;
  /** The owner each room was last seen with; corrected by announcements and by owners that do not answer. */
  private readonly owners = new Map<string, string>();
  private readonly pending = new Map<string, { resolve: (outcome: Reply | 'gone' | 'silent') => void; timer: NodeJS.Timeout }>();
  /** Stand-ins for sockets of other processes, by socket id. */
  private readonly remotes = new Map<string, RemoteSocket>();
  private readonly takeovers = new Map<string, Promise<void>>();
  private readonly timers: NodeJS.Timeout[] = [];
  private stopped = false;
  private scanning = false;
  private nextDatabaseScan = Date.now();

  constructor(private readonly deps: ClusterDeps) {
    this.timing = { ...DEFAULT_CLUSTER_TIMING, ...deps.timing };
  }

  private get processId(): string {
    return this.deps.processId;
  }

  private channel(processId: string): string {
    return `${this.deps.prefix}:to:${processId}`;
  }

  private get everyone(): string {
    return `${this.deps.prefix}:all`;
  }

  /** Subscribes to this process's channel and the announcements; call before serving. */
  async connect(): Promise<void> {
    const { subscriber } = this.deps;
    subscriber.on('message', (_channel: string, raw: string) => this.receive(raw));
    await subscriber.subscribe(this.channel(this.processId), this.everyone);
  }

  /** Starts renewing leases and watching for rooms whose owner died. */
  start(): void {
    this.timers.push(
      setInterval(() => void this.renew(), this.timing.renewIntervalMs),
      setInterval(() => void this.scan(), this.timing.scanIntervalMs),
    );
  }

  /** Stops the loops and gives up every lease, so another process takes the rooms over at once. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers.splice(0)) clearInterval(timer);
    for (const { resolve } of [...this.pending.values()]) resolve('silent');
    await Promise.allSettled([...this.deps.leases.owned].map((id) => this.deps.leases.release(id)));
  }

  // ——— the door's side: forwarding ———

  async forward(socket: MemberSocket, event: ClientEventName, payload: unknown): Promise<Ack<unknown> | null> {
    const { registry } = this.deps;
    let sessionId: string | null;
    if (BY_CODE.has(event)) {
      const code = (payload as { code: string }).code;
      sessionId = registry.localSessionId(code) ?? (await registry.repository.findSessionIdByCode(code));
    } else {
      sessionId = event === 'session:create' ? null : (socket.data.identity?.sessionId ?? null);
    }
    if (sessionId === null) return null;
    for (let attempt = 0; attempt < 3 && !this.stopped; attempt++) {
      if (registry.get(sessionId)) return null;
      // Looked up without waiting when known, so a socket's messages leave in the order they came.
      const owner = this.owners.get(sessionId) ?? (await this.ownerOf(sessionId));
      if (owner === this.processId) {
        // Claimed here, perhaps still being restored from the database: the handler must find the room.
        await this.takeovers.get(sessionId);
        return null;
      }
      const reply = await this.ask(owner, socket, sessionId, event, payload);
      if (reply === 'silent') break;
      if (reply !== 'gone' && !reply.moved) {
        const before = socket.data.identity;
        // It leaves a room of this process for one elsewhere: this process's room lets it go first.
        if (before && registry.get(before.sessionId) && reply.identity?.sessionId !== before.sessionId) registry.unbind(socket);
        socket.data.identity = reply.identity;
        if (reply.identity) socket.data.ownerProcess = owner;
        else delete socket.data.ownerProcess;
        // Gone while the owner bound it: the owner must not keep a student present who left.
        if (socket.connected === false && reply.identity) this.left(socket, reply.identity);
        return reply.answer as Ack<unknown>;
      }
      if (this.owners.get(sessionId) === owner) this.owners.delete(sessionId);
      // The owner died: its lease lapses within its life, then someone takes over (perhaps this process).
      if (reply === 'gone') await this.untilLeaseLeaves(sessionId, owner);
    }
    return { ok: false, error: { code: ErrorCode.serverInternal, message: 'The server running this session does not answer; try again.' } };
  }

  left(socket: MemberSocket, identity: Identity): void {
    this.tellOwner(identity.sessionId, { t: 'unbind', socketId: socket.id, sessionId: identity.sessionId });
  }

  disconnected(socket: MemberSocket): void {
    const identity = socket.data.identity;
    if (identity) this.left(socket, identity);
  }

  private tellOwner(sessionId: string, message: Envelope): void {
    if (this.deps.registry.get(sessionId)) return;
    const owner = this.owners.get(sessionId);
    const send = (to: string | null) => {
      if (to && to !== this.processId) void this.publish(this.channel(to), message);
    };
    if (owner) send(owner);
    else void this.deps.leases.owner(sessionId).then(send, () => {});
  }

  /** The room's owner; when its lease has lapsed, this process takes the room over and answers itself. */
  private async ownerOf(sessionId: string): Promise<string> {
    for (let attempt = 0; ; attempt++) {
      const owner = await this.deps.leases.owner(sessionId);
      if (owner !== null) {
        this.owners.set(sessionId, owner);
        return owner;
      }
      await this.takeOver(sessionId);
      // Here now, or not to be had (ended, or Redis refuses): the handler answers for itself.
      if (this.deps.registry.get(sessionId) || attempt >= 2 || (await this.deps.leases.owner(sessionId)) === null) return this.processId;
    }
  }

  /**
   * Sends a request to the owner and waits for its answer while the owner lives: a request is never
   * sent twice to a living owner (a join would be applied twice). `gone`: nobody listens on the owner's
   * channel any more, or its lease moved on; `silent`: alive, but no answer for a long time.
   */
  private ask(owner: string, socket: MemberSocket, sessionId: string, event: string, payload: unknown): Promise<Reply | 'gone' | 'silent'> {
    const id = randomUUID();
    const giveUpAt = Date.now() + SILENT_OWNER_MS;
    return new Promise((resolve) => {
      const settle = (outcome: Reply | 'gone' | 'silent') => {
        const waiting = this.pending.get(id);
        if (!waiting) return;
        clearTimeout(waiting.timer);
        this.pending.delete(id);
        resolve(outcome);
      };
      const check = () => {
        void this.alive(owner, sessionId).then((alive) => {
          const waiting = this.pending.get(id);
          if (!waiting) return;
          if (!alive) settle('gone');
          else if (Date.now() >= giveUpAt) settle('silent');
          else waiting.timer = setTimeout(check, this.timing.forwardTimeoutMs);
        });
      };
      this.pending.set(id, { resolve: settle, timer: setTimeout(check, this.timing.forwardTimeoutMs) });
      const message: Envelope = {
        t: 'req',
        id,
        from: this.processId,
        sessionId,
        socketId: socket.id,
        address: socket.handshake.address,
        identity: socket.data.identity,
        event,
        payload,
      };
      void this.publish(this.channel(owner), message).then((listeners) => {
        // A process that died has no subscription left: no need to wait.
        if (listeners === 0) settle('gone');
      });
    });
  }

  /** Whether a process still listens on its channel and still holds the room's lease. */
  private async alive(owner: string, sessionId: string): Promise<boolean> {
    try {
      const [holder, counts] = await Promise.all([this.deps.leases.owner(sessionId), this.deps.redis.pubsub('NUMSUB', this.channel(owner))]);
      return holder === owner && Number((counts as unknown[])[1]) > 0;
    } catch {
      // Redis does not answer: nothing says the owner died; keep waiting.
      return true;
    }
  }

  private async untilLeaseLeaves(sessionId: string, owner: string): Promise<void> {
    const deadline = Date.now() + this.timing.leaseMs + this.timing.scanIntervalMs;
    while (!this.stopped && Date.now() < deadline) {
      const now = await this.deps.leases.owner(sessionId).catch(() => owner);
      if (now !== owner) return;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  private async publish(channel: string, message: Envelope): Promise<number> {
    try {
      return await this.deps.redis.publish(channel, JSON.stringify(message));
    } catch (error) {
      this.deps.logger.warn({ family: 'scale', kind: message.t, ...errorFields(error) }, 'could not reach the other processes');
      return 0;
    }
  }

  // ——— the owner's side ———

  private receive(raw: string): void {
    let message: Envelope;
    try {
      message = envelopeSchema.parse(JSON.parse(raw));
    } catch (error) {
      this.deps.logger.error({ family: 'scale', ...errorFields(error) }, 'a message between processes did not parse');
      return;
    }
    switch (message.t) {
      case 'req':
        void this.serveRequest(message);
        break;
      case 'res': {
        this.pending.get(message.id)?.resolve(message);
        break;
      }
      case 'unbind': {
        const remote = this.remotes.get(message.socketId);
        if (!remote || remote.data.identity?.sessionId !== message.sessionId) return;
        this.remotes.delete(message.socketId);
        this.deps.registry.unbind(remote);
        break;
      }
      case 'owner':
        this.ownerChanged(message.sessionId, message.owner);
        break;
    }
  }

  private async serveRequest(request: Extract<Envelope, { t: 'req' }>): Promise<void> {
    const { registry } = this.deps;
    const room = registry.get(request.sessionId);
    const reply = (fields: Omit<Reply, 't' | 'id'>) => void this.publish(this.channel(request.from), { t: 'res', id: request.id, ...fields });
    if (!room) {
      reply({ moved: true, answer: null, identity: null });
      return;
    }
    let remote = this.remotes.get(request.socketId);
    if (!remote) {
      remote = new RemoteSocket(request.socketId, request.address, request.from, this.deps.io);
      this.remotes.set(request.socketId, remote);
    }
    remote.origin = request.from;
    try {
      const answer = await this.deps.serve(remote, request.event, request.payload);
      // A socket that proved nothing here needs no stand-in.
      if (remote.data.identity === null) this.remotes.delete(request.socketId);
      reply({ moved: false, answer, identity: remote.data.identity });
    } catch (error) {
      this.deps.logger.error({ family: 'scale', event: request.event, ...errorFields(error) }, 'a forwarded request failed');
      reply({ moved: false, answer: { ok: false, error: { code: ErrorCode.serverInternal, message: 'Something went wrong on the server; try again.' } }, identity: remote.data.identity });
    }
  }

  /**
   * Another process runs the room now. Sockets here that proved themselves through its previous owner
   * hold views the new owner may not continue (moves not yet saved are gone): their connections are
   * closed, and the phones reconnect and prove themselves again by themselves.
   */
  private ownerChanged(sessionId: string, owner: string): void {
    this.owners.set(sessionId, owner);
    if (owner !== this.processId && this.deps.registry.get(sessionId)) {
      // Two owners must never apply events: this one yields.
      this.dropRoom(sessionId);
      return;
    }
    this.closeStaleSockets(sessionId, owner);
  }

  private closeStaleSockets(sessionId: string, owner: string): void {
    for (const socket of this.deps.io.of('/').sockets.values()) {
      const { identity, ownerProcess } = socket.data;
      if (identity?.sessionId === sessionId && ownerProcess !== undefined && ownerProcess !== owner) socket.conn.close();
    }
  }

  /** This process may no longer run the room: it forgets it, and its sockets reconnect to the new owner. */
  private dropRoom(sessionId: string): void {
    const room = this.deps.registry.drop(sessionId);
    if (!room) return;
    this.deps.logger.warn({ family: 'scale', session: room.code }, 'lost the lease of a room; another process runs it now');
    for (const socket of this.deps.io.of('/').sockets.values()) {
      if (socket.data.identity?.sessionId === sessionId) socket.conn.close();
    }
    // Sockets of other processes bound here are closed there, once the new owner announces itself.
    for (const [id, remote] of this.remotes) {
      if (remote.data.identity?.sessionId === sessionId) this.remotes.delete(id);
    }
  }

  // ——— leases and takeovers ———

  private async renew(): Promise<void> {
    if (this.stopped) return;
    const lost = await this.deps.leases.renew();
    for (const sessionId of lost) this.dropRoom(sessionId);
  }

  /** Takes over the rooms whose owner's lease lapsed; forgets stand-ins of processes that are gone. */
  private async scan(): Promise<void> {
    if (this.stopped || this.scanning) return;
    this.scanning = true;
    try {
      const known = new Set(await this.deps.leases.knownSessions());
      if (Date.now() >= this.nextDatabaseScan) {
        // Redis may have lost its list of sessions (a restart without persistence): the database has them all.
        this.nextDatabaseScan = Date.now() + this.timing.databaseScanIntervalMs;
        for (const id of await this.deps.registry.repository.listLiveSessionIds()) known.add(id);
      }
      const elsewhere = [...known].filter((id) => !this.deps.registry.get(id));
      const owners = await this.deps.leases.owners(elsewhere);
      for (const [sessionId, owner] of owners) {
        if (owner === null) await this.takeOver(sessionId);
      }
      await this.forgetGoneProcesses();
    } catch (error) {
      this.deps.logger.warn({ family: 'scale', ...errorFields(error) }, 'the scan for rooms without an owner failed');
    } finally {
      this.scanning = false;
    }
  }

  /** Claims a room with a lapsed lease and restores it from the database, once at a time per room. */
  private takeOver(sessionId: string): Promise<void> {
    let running = this.takeovers.get(sessionId);
    if (!running) {
      running = this.claimAndRestore(sessionId).finally(() => this.takeovers.delete(sessionId));
      this.takeovers.set(sessionId, running);
    }
    return running;
  }

  private async claimAndRestore(sessionId: string): Promise<void> {
    const { leases, registry, logger } = this.deps;
    if (this.stopped || registry.get(sessionId) || !(await leases.claim(sessionId))) return;
    const startedAt = performance.now();
    try {
      const record = await registry.repository.loadSession(sessionId);
      if (!record || record.state.phase === 'ended') {
        await leases.release(sessionId, true);
        return;
      }
      // Sockets here bound through the dead owner reconnect first, then find the room here.
      this.closeStaleSockets(sessionId, this.processId);
      if (!registry.adopt(record)) return;
      this.owners.set(sessionId, this.processId);
      logger.info({ family: 'scale', session: record.state.code, ms: Math.round(performance.now() - startedAt) }, 'took over a room whose owner is gone');
      await this.publish(this.everyone, { t: 'owner', sessionId, owner: this.processId });
    } catch (error) {
      logger.error({ family: 'scale', ...errorFields(error) }, 'taking over a room failed');
      await leases.release(sessionId).catch(() => {});
    }
  }

  /** Stand-ins whose process has no subscription left (it died) are unbound: their students are away. */
  private async forgetGoneProcesses(): Promise<void> {
    const origins = [...new Set([...this.remotes.values()].map((remote) => remote.origin))];
    if (origins.length === 0) return;
    const counts = (await this.deps.redis.pubsub('NUMSUB', ...origins.map((origin) => this.channel(origin)))) as unknown[];
    const gone = new Set(origins.filter((_origin, i) => Number(counts[i * 2 + 1]) === 0));
    for (const [id, remote] of this.remotes) {
      if (!gone.has(remote.origin)) continue;
      this.remotes.delete(id);
      this.deps.registry.unbind(remote);
    }
  }
}
