// `pkt/protocol`: the wire format's pieces a user needs, for a client or server of their own
// (PROTOCOL.md). The parts of pkt import protocol/index.ts, which has the rest: names, paths
// and helpers that are pkt's business, not its users'.
export { createDecoder, decodeAll, type Decoder, type DecoderCallbacks } from './decode.js';
export { encodeEvent, encodeComment, type EncodableEvent } from './encode.js';
export { StreamEvent } from './event.js';
export { ActionError, ERROR_CODES, type ErrorBody, type ErrorCode, type FieldErrors } from './errors.js';
export { DEFAULT_LIMITS, type Limits } from './limits.js';
