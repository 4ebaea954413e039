/**
 * The socket under an `ArenaClient`, reduced to what the client needs. The real one is socket.io;
 * tests hand the client a fake that delivers what they tell it to, when they tell it to.
 */
import { io, type Socket } from 'socket.io-client';
import {
  handshakeAuth,
  type AnyView,
  type ClientEventName,
  type ClientToServerEvents,
  type ServerNotice,
  type ServerToClientEvents,
  type ViewPatch,
} from '../protocol';

/** What the transport tells its client. */
export interface TransportEvents {
  /** Connected (first time or again): identity must be proved anew on this connection. */
  connect(): void;
  /** Lost. `willReconnect`: the transport retries by itself; otherwise the client must. */
  disconnect(reason: string, willReconnect: boolean): void;
  /** A connection attempt failed; `data` is the server's refusal from the handshake, if any. */
  connectError(error: { message: string; data?: unknown }, willReconnect: boolean): void;
  /** The transport is about to retry, for the n-th time since the connection was lost. */
  reconnectAttempt(attempt: number): void;
  view(view: AnyView): void;
  /** The view as a patch against the version held. */
  patch(patch: ViewPatch): void;
  notice(notice: ServerNotice): void;
}

/** What the client asks of its transport. */
export interface ArenaTransport {
  readonly connected: boolean;
  /** Connects (again); a no-op while connected. */
  open(): void;
  /** Disconnects for good; no retries follow. */
  close(): void;
  /** Sends a request; `ack` receives the raw acknowledgement (the client checks its shape). */
  emit(event: ClientEventName, payload: unknown, ack: (response: unknown) => void): void;
}

export type TransportFactory = (events: TransportEvents) => ArenaTransport;

/** Options of the socket.io transport. */
export interface SocketIoTransportOptions {
  /** Defaults to the page's own origin. */
  url?: string;
  /** First retry after this long, doubling up to `reconnectionDelayMaxMs`. */
  reconnectionDelayMs?: number;
  reconnectionDelayMaxMs?: number;
}

/** The real transport: a typed socket.io socket carrying the protocol's version in its handshake. */
export function socketIoTransport(options: SocketIoTransportOptions = {}): TransportFactory {
  return (events) => {
    const socketOptions = {
      auth: handshakeAuth(),
      autoConnect: false,
      // Each client is one identity on its own connection; sharing a manager would tie their lives together.
      forceNew: true,
      // Websocket first: one connection, so several server processes behind one address need no sticky
      // sessions; long-polling only where a websocket cannot be opened.
      transports: ['websocket', 'polling'],
      tryAllTransports: true,
      reconnectionDelay: options.reconnectionDelayMs ?? 500,
      reconnectionDelayMax: options.reconnectionDelayMaxMs ?? 5000,
    };
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = options.url ? io(options.url, socketOptions) : io(socketOptions);
    socket.on('connect', () => events.connect());
    socket.on('disconnect', (reason) => events.disconnect(reason, socket.active));
    socket.on('connect_error', (error) => events.connectError(error as { message: string; data?: unknown }, socket.active));
    socket.io.on('reconnect_attempt', (attempt) => events.reconnectAttempt(attempt));
    socket.on('state:update', (view) => events.view(view));
    socket.on('state:patch', (patch) => events.patch(patch));
    socket.on('key:requested', (data) => events.notice({ event: 'key:requested', data }));
    socket.on('key:shared', (data) => events.notice({ event: 'key:shared', data }));
    socket.on('player:kicked', (data) => events.notice({ event: 'player:kicked', data }));
    return {
      get connected() {
        return socket.connected;
      },
      open() {
        if (!socket.connected) socket.connect();
      },
      close() {
        socket.disconnect();
      },
      emit(event, payload, ack) {
        // The event is one of the map's; its payload was typed by the caller (`ArenaClient.request`).
        socket.emit(event, payload as never, ack as never);
      },
    };
  };
}
