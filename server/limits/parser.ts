/**
 * socket.io's own parser, less binary attachments. No message of this protocol carries binary data,
 * and a packet that declares attachments makes the decoder hold every buffer until the last one
 * arrives, so a client could park megabytes per socket. A binary packet is a protocol violation:
 * socket.io closes the connection when the decoder throws.
 */
import { Decoder, Encoder, PacketType } from 'socket.io-parser';

const BINARY_TYPES = new Set<string>([String(PacketType.BINARY_EVENT), String(PacketType.BINARY_ACK)]);

export class TextOnlyDecoder extends Decoder {
  override add(encoded: unknown): void {
    if (typeof encoded !== 'string') throw new Error('binary data is not part of this protocol');
    if (BINARY_TYPES.has(encoded.charAt(0))) throw new Error('binary attachments are not part of this protocol');
    super.add(encoded);
  }
}

/** The parser to hand socket.io's `parser` option. */
export const textOnlyParser = { Encoder, Decoder: TextOnlyDecoder };
