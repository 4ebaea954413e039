/**
 * The protocol between browser and server: event maps, message schemas, error codes, the view shapes
 * and the handshake's version check. Imports nothing but zod, so both ends can share it.
 *
 * Server:  `io.use((socket, next) => { const err = checkHandshake(socket.handshake.auth); ... })`,
 *          then for each event `parseInbound(event, payload)`; a refusal goes straight back in the ack.
 * Client:  `io(url, { auth: handshakeAuth() })`, `socket.emit(event, payload, (ack) => ...)`, and keep
 *          the `state:update` view with the highest `version`.
 */
export * from './errors';
export * from './events';
export * from './join-code';
export * from './patch';
export * from './schemas';
export * from './version';
export * from './views';
