/**
 * The protocol pinned at the type level. These assertions are checked by `tsc --noEmit` (the
 * runtime calls are no-ops): change the protocol and this file stops compiling.
 */
import { describe, expectTypeOf, it } from 'vitest';
import type {
  Ack,
  AckCallback,
  AnyView,
  ClientEventName,
  ClientToServerEvents,
  ErrorCode,
  InboundInput,
  InboundPayload,
  KickedNotice,
  ProtocolError,
  ResponseData,
  ServerToClientEvents,
  StageView,
  StudentView,
  TeacherView,
} from '../../../lib/protocol';
import type { Effect, GameEvent } from '../../../lib/game';

describe('protocol types', () => {
  it('error codes are a closed union of namespaced strings', () => {
    expectTypeOf<'round/locked'>().toExtend<ErrorCode>();
    expectTypeOf<'seat/not-yours'>().toExtend<ErrorCode>();
    expectTypeOf<'round/whatever'>().not.toExtend<ErrorCode>();
    expectTypeOf<ProtocolError>().toEqualTypeOf<{ code: ErrorCode; message: string }>();
  });

  it('every request is answered with ok/data or ok/error, and the server’s clock', () => {
    expectTypeOf<Ack<{ version: number }>>().toEqualTypeOf<
      ({ ok: true; data: { version: number } } | { ok: false; error: ProtocolError }) & { serverTime?: number }
    >();
    expectTypeOf<ClientToServerEvents['attention:allocate']>().parameters.toEqualTypeOf<
      [{ round: number; weights: number[] }, AckCallback<'attention:allocate'>]
    >();
    expectTypeOf<Parameters<AckCallback<'seat:join'>>[0]>().toEqualTypeOf<
      Ack<{ playerId: string; playerSecret: string; view: StudentView }>
    >();
    expectTypeOf<ResponseData<'session:create'>>().toEqualTypeOf<{ sessionId: string; code: string; hostSecret: string; view: TeacherView }>();
    expectTypeOf<ResponseData<'stage:watch'>>().toEqualTypeOf<{ view: StageView }>();
  });

  it('events are named family:verb and the map has exactly the schemas’ events', () => {
    expectTypeOf<ClientEventName>().toEqualTypeOf<keyof ClientToServerEvents>();
    expectTypeOf<ClientEventName>().toExtend<`${string}:${string}`>();
    expectTypeOf<keyof ServerToClientEvents>().toEqualTypeOf<'state:update' | 'state:patch' | 'key:requested' | 'key:shared' | 'player:kicked'>();
    expectTypeOf<ServerToClientEvents['state:update']>().parameters.toEqualTypeOf<[AnyView]>();
    expectTypeOf<ServerToClientEvents['player:kicked']>().parameters.toEqualTypeOf<[KickedNotice]>();
  });

  it('payload types come from the schemas', () => {
    expectTypeOf<InboundPayload<'teacher:kick'>>().toEqualTypeOf<{ playerId: string }>();
    expectTypeOf<InboundInput<'seat:join'>>().toEqualTypeOf<{ code: string; nickname: string; device?: string | undefined }>();
    expectTypeOf<InboundPayload<'teacher:lock'>>().toEqualTypeOf<Record<string, never>>();
  });

  it('views are told apart by kind', () => {
    expectTypeOf<Extract<AnyView, { kind: 'student' }>>().toEqualTypeOf<StudentView>();
    expectTypeOf<AnyView['version']>().toEqualTypeOf<number>();
  });

  it('refuses what the protocol does not have', () => {
    const emit = <E extends ClientEventName>(_event: E, _payload: InboundInput<E>) => {};
    emit('attention:allocate', { round: 1, weights: [1] });
    // @ts-expect-error an event the protocol does not have
    emit('attention:cheat', {});
    // @ts-expect-error an unknown field
    emit('teacher:add-time', { seconds: 30, extra: true });
    // @ts-expect-error a field of the wrong type
    emit('key:request', { round: 1, token: 'cat' });
    // @ts-expect-error a missing field
    emit('seat:join', { code: 'ACEFHJ' });
    const listen = <E extends keyof ServerToClientEvents>(_event: E, _fn: ServerToClientEvents[E]) => {};
    listen('state:update', (view) => void view.version);
    listen('state:patch', (patch) => void patch.base);
    // @ts-expect-error the server sends no such event
    listen('state:diff', () => {});
  });

  it('the game core’s events and effects are discriminated unions', () => {
    expectTypeOf<Extract<GameEvent, { type: 'attention:allocate' }>['weights']>().toEqualTypeOf<number[]>();
    expectTypeOf<Extract<Effect, { type: 'schedule-timer' }>['event']>().toEqualTypeOf<GameEvent>();
    // @ts-expect-error every event says who sent it
    const unsigned: GameEvent = { type: 'teacher:lock' };
    void unsigned;
  });
});

describe('in-room messages become game events as they are', () => {
  it('builds the event with its sender', async () => {
    const { roomEvent } = await import('../../../lib/game');
    const event = roomEvent('attention:allocate', { round: 2, weights: [0.5, 0.5] }, { role: 'student', playerId: 'p1' });
    expectTypeOf(event).toEqualTypeOf<GameEvent>();
    if (event.type !== 'attention:allocate') throw new Error('wrong event');
    expectTypeOf(event.weights).toEqualTypeOf<number[]>();
    const lock = roomEvent('teacher:lock', {}, { role: 'teacher' });
    if (JSON.stringify(lock) !== JSON.stringify({ type: 'teacher:lock', by: { role: 'teacher' } })) throw new Error(JSON.stringify(lock));
    const kick = roomEvent('teacher:kick', { playerId: 'p2' }, { role: 'teacher' });
    if (kick.type !== 'teacher:kick' || kick.playerId !== 'p2') throw new Error('wrong kick');
  });
});
