// pkt's wire protocol in code form (PROTOCOL.md). Zero dependencies; runs in Node and browsers.
export * from './names.js';
export * from './http.js';
export * from './errors.js';
export * from './limits.js';
export * from './event.js';
export * from './encode.js';
export * from './decode.js';
export * from './progress.js';
export * from './manifest.js';
export * from './runs.js';
export * from './page.js';
export * from './similar-names.js';
export * from './json-depth.js';
export * from './action-types.js';
