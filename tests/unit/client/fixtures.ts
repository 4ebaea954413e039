/**
 * Real views made by the real game core (so the client is tested against the shapes the server
 * sends), and a fake transport that delivers only what a test tells it to.
 */
import { attendLayer } from '../../../lib/attention/reference';
import { createSession, reduce, seededRandom, viewFor, type GameEvent, type GameState } from '../../../lib/game';
import { curatedLessons } from '../../../lib/lessons/curated/index';
import type { ArenaTransport, TransportEvents } from '../../../lib/client/transport';
import type { ClientEventName, ServerNotice, StudentView } from '../../../lib/protocol';

export const CODE = 'ACEFHJ';
export const SECRET = 'secret-of-ada-0123456789';

const lesson = curatedLessons.find((l) => l.id === 'the-cat-sat') ?? curatedLessons[0];

/** A session with one student, `ada`, driven by the reducer. */
export class Game {
  now = 1_000_000;
  private readonly random = seededRandom(7);
  state: GameState;

  constructor() {
    const created = createSession({ sessionId: 's1', lesson, code: CODE }, { now: this.now, random: this.random });
    if (!created.ok) throw new Error(created.error.message);
    this.state = created.state;
    this.apply({ type: 'seat:join', nickname: 'Ada', by: { role: 'student', playerId: 'ada' } });
  }

  apply(event: GameEvent): this {
    const result = reduce(this.state, event, { now: this.now, random: this.random });
    if (!result.ok) throw new Error(`${event.type}: ${result.error.message}`);
    this.state = result.state;
    return this;
  }

  /** Starts a round, gives it the model's answer and opens negotiation. */
  toNegotiation(): this {
    this.apply({ type: 'teacher:start-round', by: { role: 'teacher' } });
    const round = this.state.round;
    if (!round) throw new Error('no round');
    const layer = attendLayer(this.state.cards, this.state.lesson.wO, round.options);
    this.apply({
      type: 'attention:computed',
      round: round.number,
      attention: { heads: layer.heads.map((h) => ({ weights: h.weights, outputs: h.outputs })) },
      by: { role: 'system' },
    });
    return this.apply({ type: 'teacher:open-negotiation', by: { role: 'teacher' } });
  }

  get view(): StudentView {
    return viewFor(this.state, { kind: 'student', playerId: 'ada' });
  }
}

interface Sent {
  event: ClientEventName;
  payload: unknown;
  ack: (response: unknown) => void;
  answered: boolean;
}

/** A transport whose "server" is the test: it connects, drops and answers when told. */
export class FakeTransport implements ArenaTransport {
  connected = false;
  opens = 0;
  closes = 0;
  readonly sent: Sent[] = [];

  constructor(readonly events: TransportEvents) {}

  open(): void {
    this.opens++;
  }

  close(): void {
    this.closes++;
    if (!this.connected) return;
    this.connected = false;
    this.events.disconnect('io client disconnect', false);
  }

  emit(event: ClientEventName, payload: unknown, ack: (response: unknown) => void): void {
    this.sent.push({ event, payload, ack, answered: false });
  }

  // ——— the test's side ———

  serverAccepts(): void {
    this.connected = true;
    this.events.connect();
  }

  drop(reason = 'transport close', willReconnect = true): void {
    this.connected = false;
    this.events.disconnect(reason, willReconnect);
  }

  /** The oldest unanswered message of `event`; throws if there is none. */
  pending(event: ClientEventName): Sent {
    const found = this.sent.find((s) => s.event === event && !s.answered);
    if (!found) throw new Error(`nothing sent of ${event}; sent: ${this.sent.map((s) => s.event).join(', ')}`);
    return found;
  }

  answer(event: ClientEventName, response: unknown): Sent {
    const sent = this.pending(event);
    sent.answered = true;
    sent.ack(response);
    return sent;
  }

  /** Answers the newest message of `event` (earlier ones were given up on). */
  answerLast(event: ClientEventName, response: unknown): void {
    const sent = this.sent.filter((s) => s.event === event).at(-1);
    if (!sent) throw new Error(`nothing sent of ${event}`);
    sent.answered = true;
    sent.ack(response);
  }

  count(event: ClientEventName): number {
    return this.sent.filter((s) => s.event === event).length;
  }

  notify(notice: ServerNotice): void {
    this.events.notice(notice);
  }
}

/** A transport factory that remembers the transport it made. */
export function fakeTransport(): { factory: (events: TransportEvents) => FakeTransport; get: () => FakeTransport } {
  let made: FakeTransport | null = null;
  return {
    factory: (events) => (made = new FakeTransport(events)),
    get: () => {
      if (!made) throw new Error('no transport made yet');
      return made;
    },
  };
}
