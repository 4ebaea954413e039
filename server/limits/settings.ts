/**
 * What the door lets through, in numbers. Each budget is "so many per so many seconds" and has a key:
 * one socket, one student (across their sockets and reconnects), one network address (a school's
 * whole class often shares one), one room. The defaults are sized for a real class behind one NAT
 * address (up to the 1,000 students the scale work aims at) while a single socket stays far below
 * what it takes to slow a room down. SECURITY.md explains each one.
 */

/** A budget: `points` events per `seconds`. */
export interface Budget {
  points: number;
  seconds: number;
}

/** The families of socket messages that share a budget. */
export const EVENT_FAMILIES = ['move', 'sync', 'enter', 'create', 'teacher', 'unknown'] as const;
export type EventFamily = (typeof EVENT_FAMILIES)[number];

/** Which family a message counts against; names outside the protocol are `unknown`. */
export function familyOf(event: string): EventFamily {
  if (event === 'state:sync') return 'sync';
  if (event === 'session:create') return 'create';
  if (event === 'session:resume' || event === 'seat:join' || event === 'seat:rejoin' || event === 'stage:watch') return 'enter';
  if (event.startsWith('teacher:')) return 'teacher';
  if (event.startsWith('attention:') || event.startsWith('key:')) return 'move';
  return 'unknown';
}

export interface LimitSettings {
  /** The largest socket.io message accepted, in bytes; a larger one closes the connection. */
  maxMessageBytes: number;
  /** Open connections from one address at once. */
  connectionsPerAddress: number;
  /** New connections from one address. */
  connectsPerAddress: Budget;
  /** Messages one socket may send, by family. */
  perSocket: Record<EventFamily, Budget>;
  /** Messages one student may send across all their sockets, by family (only once the socket is a student's). */
  perPlayer: Record<EventFamily, Budget>;
  /** Messages from one address, by family: a ceiling for a whole class behind one NAT. */
  perAddress: Record<EventFamily, Budget>;
  /** Refusals for rate one socket may collect before it is disconnected. */
  strikes: Budget;
  /** How long a student over their budget stays refused, in seconds. */
  playerBlockSeconds: number;
  /** Students joining from one address, and into one room. */
  joinsPerAddress: Budget;
  joinsPerRoom: Budget;
  /** Sessions opened from one address. */
  sessionsPerAddress: Budget;
  /** Join codes that named no session, per socket and per address, before lookups are refused for `lockoutSeconds`. */
  codeMissesPerSocket: Budget;
  codeMissesPerAddress: Budget;
  lockoutSeconds: number;
}

const minute = 60;
const hour = 60 * minute;

export const DEFAULT_LIMITS: LimitSettings = {
  // The largest real message (session:create with every setting) is under 1 KB.
  maxMessageBytes: 4 * 1024,
  connectionsPerAddress: 1_200,
  connectsPerAddress: { points: 1_500, seconds: minute },
  perSocket: {
    // A phone sends a slider move at most every 150 ms while dragging, plus a lock and a few key requests.
    move: { points: 20, seconds: 1 },
    // The client resyncs every 15 s and after a reconnect; a full view can be large.
    sync: { points: 10, seconds: 5 },
    enter: { points: 20, seconds: minute },
    create: { points: 5, seconds: minute },
    teacher: { points: 20, seconds: 1 },
    unknown: { points: 5, seconds: 10 },
  },
  perPlayer: {
    move: { points: 30, seconds: 1 },
    sync: { points: 20, seconds: 5 },
    enter: { points: 30, seconds: minute },
    create: { points: 5, seconds: minute },
    teacher: { points: 20, seconds: 1 },
    unknown: { points: 5, seconds: 10 },
  },
  perAddress: {
    move: { points: 10_000, seconds: 1 },
    sync: { points: 2_000, seconds: 5 },
    enter: { points: 3_000, seconds: minute },
    create: { points: 60, seconds: minute },
    teacher: { points: 500, seconds: 1 },
    unknown: { points: 200, seconds: 10 },
  },
  strikes: { points: 40, seconds: 10 },
  playerBlockSeconds: 30,
  joinsPerAddress: { points: 1_200, seconds: minute },
  joinsPerRoom: { points: 1_200, seconds: minute },
  sessionsPerAddress: { points: 30, seconds: hour },
  codeMissesPerSocket: { points: 8, seconds: minute },
  codeMissesPerAddress: { points: 100, seconds: 10 * minute },
  lockoutSeconds: 5 * minute,
};

/** A partial override, family by family. */
export type LimitOverrides = Partial<Omit<LimitSettings, 'perSocket' | 'perPlayer' | 'perAddress'>> & {
  perSocket?: Partial<Record<EventFamily, Budget>>;
  perPlayer?: Partial<Record<EventFamily, Budget>>;
  perAddress?: Partial<Record<EventFamily, Budget>>;
};

/** The defaults with `overrides` applied. */
export function limitSettings(overrides: LimitOverrides = {}): LimitSettings {
  return {
    ...DEFAULT_LIMITS,
    ...overrides,
    perSocket: { ...DEFAULT_LIMITS.perSocket, ...overrides.perSocket },
    perPlayer: { ...DEFAULT_LIMITS.perPlayer, ...overrides.perPlayer },
    perAddress: { ...DEFAULT_LIMITS.perAddress, ...overrides.perAddress },
  };
}
