/**
 * The door: the handshake check, then every message routed to its family's handler after its schema
 * accepted it. A handler never sees an unparsed payload, and every request gets exactly one answer.
 */
import {
  checkHandshake,
  ErrorCode,
  isClientEventName,
  parseInbound,
  type Ack,
  type ClientEventName,
  type ProtocolError,
} from '../../lib/protocol';
import { errorFields } from '../log';
import type { ArenaIo, MemberSocket } from '../rooms/types';
import { attentionHandlers } from './attention';
import { senderOf, type HandlerContext, type Handlers } from './context';
import { keyHandlers } from './key';
import { seatHandlers } from './seat';
import { sessionHandlers } from './session';
import { stageHandlers } from './stage';
import { teacherHandlers } from './teacher';

export type { HandlerContext } from './context';

const handlers: Handlers = {
  ...sessionHandlers,
  ...seatHandlers,
  ...stageHandlers,
  ...attentionHandlers,
  ...keyHandlers,
  ...teacherHandlers,
};

type Reply = (response: Ack<unknown>) => void;

/** The error a refused connection carries; socket.io-client shows it as `connect_error` with `data`. */
export class HandshakeError extends Error {
  constructor(readonly data: ProtocolError) {
    super(data.message);
    this.name = 'HandshakeError';
  }
}

/** Checks the protocol version of every connection, then serves its messages. */
export function registerHandlers(io: ArenaIo, ctx: HandlerContext): void {
  io.use((socket, next) => {
    const problem = checkHandshake(socket.handshake.auth);
    next(problem ? new HandshakeError(problem) : undefined);
  });

  io.on('connection', (socket) => {
    socket.data.identity = null;
    // Messages are admitted one after another, so the door never reorders what a socket sent.
    let admitted: Promise<void> = Promise.resolve();
    // One listener for every event: arguments are untrusted until their schema has parsed them.
    socket.onAny((name: unknown, ...args: unknown[]) => {
      // socket.io lets a client name an event with a number too.
      const event = String(name);
      const last = args.at(-1);
      const reply: Reply | null = typeof last === 'function' ? (last as Reply) : null;
      const payloadArgs = reply ? args.slice(0, -1) : args;
      // Every answer carries the server's clock, stamped as it leaves.
      const answer: Reply = reply ? (response) => reply({ ...response, serverTime: ctx.now() }) : () => {};
      admitted = admitted.then(async () => {
        if (!socket.connected) return;
        const sender = senderOf(socket);
        const overBudget = await ctx.door.admitMessage(sender, event);
        if (overBudget) {
          answer({ ok: false, error: overBudget });
          if (await ctx.door.strike(sender)) {
            ctx.logger.warn({ family: 'limits', address: socket.handshake.address, event }, 'disconnected a socket that kept sending over its budget');
            socket.disconnect(true);
          }
          return;
        }
        if (!isClientEventName(event)) {
          answer({ ok: false, error: { code: ErrorCode.requestUnknownEvent, message: `"${String(event).slice(0, 40)}" is not an event of this protocol.` } });
          return;
        }
        if (payloadArgs.length !== 1) {
          answer({ ok: false, error: { code: ErrorCode.requestInvalid, message: `${event}: send exactly one payload and an acknowledgement.` } });
          return;
        }
        void route(socket, event, payloadArgs[0], ctx).then(answer);
      }).catch((error: unknown) => {
        // The chain must never stay rejected: every later message of this socket would be dropped.
        ctx.logger.error({ family: 'limits', event: String(event).slice(0, 40), ...errorFields(error) }, 'failed at the door');
        answer({ ok: false, error: { code: ErrorCode.serverInternal, message: 'Something went wrong on the server; try again.' } });
      });
    });
    socket.on('disconnect', () => {
      ctx.forwarding?.disconnected(socket);
      ctx.registry.unbind(socket);
    });
  });
}

/**
 * Serves a request another process forwarded: the owner of the room runs it for a socket connected
 * there. The payload is parsed again: it crossed a process boundary.
 */
export function serveForwarded(socket: MemberSocket, event: string, payload: unknown, ctx: HandlerContext): Promise<Ack<unknown>> {
  if (!isClientEventName(event)) {
    return Promise.resolve({ ok: false, error: { code: ErrorCode.requestUnknownEvent, message: `"${event.slice(0, 40)}" is not an event of this protocol.` } });
  }
  return route(socket, event, payload, { ...ctx, forwarding: undefined });
}

async function route<E extends ClientEventName>(socket: MemberSocket, event: E, payload: unknown, ctx: HandlerContext): Promise<Ack<unknown>> {
  const startedAt = performance.now();
  const family = event.slice(0, event.indexOf(':'));
  const parsed = parseInbound(event, payload);
  if (!parsed.ok) {
    ctx.logger.debug({ family, event, code: parsed.error.code, session: sessionOf(socket, ctx) }, 'refused by its schema');
    return parsed;
  }
  try {
    const before = socket.data.identity;
    // Validated here, before anything travels to another process.
    const forwarded = ctx.forwarding ? await ctx.forwarding.forward(socket, event, parsed.data) : null;
    const handler: Handlers[E] = handlers[event];
    const answer = forwarded ?? (await handler({ socket, payload: parsed.data, ctx }));
    const after = socket.data.identity;
    if (ctx.forwarding && before && (after === null || after.sessionId !== before.sessionId)) ctx.forwarding.left(socket, before);
    const fields = { family, event, session: sessionOf(socket, ctx), ms: Math.round((performance.now() - startedAt) * 10) / 10 };
    if (answer.ok) ctx.logger.debug(fields, 'handled');
    // Someone holding the wrong secret, or acting where they may not, is what an operator looks for.
    else if (answer.error.code.startsWith('auth/')) ctx.logger.info({ ...fields, code: answer.error.code }, 'refused');
    else ctx.logger.debug({ ...fields, code: answer.error.code }, 'refused');
    return answer;
  } catch (error) {
    ctx.logger.error({ family, event, session: sessionOf(socket, ctx), ...errorFields(error) }, 'handler failed');
    return { ok: false, error: { code: ErrorCode.serverInternal, message: 'Something went wrong on the server; try again.' } };
  }
}

/** The join code of the session a socket is bound to, for log lines; undefined before it joins. */
function sessionOf(socket: MemberSocket, ctx: HandlerContext): string | undefined {
  return ctx.registry.boundRoom(socket)?.room.code;
}
