// Malformed requests for the fuzz, from a seeded generator: random and mutated bodies,
// invalid UTF-8, deep JSON, prototype keys, odd methods, paths, headers, Last-Event-IDs and
// run ids. Each request is raw bytes, so nothing on the way can tidy it up.

import { BASE } from './server.js';

type Rand = () => number;

const pick = <T>(rand: Rand, items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
const chance = (rand: Rand, p: number) => rand() < p;
const int = (rand: Rand, max: number) => Math.floor(rand() * (max + 1));

function randomBytes(rand: Rand, n: number): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = int(rand, 255);
  return b;
}

function randomText(rand: Rand, n: number, alphabet = 'abcXYZ019._-~%/?#&=+ :;"\'\\<>{}[]'): string {
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[int(rand, alphabet.length - 1)];
  return s;
}

const METHODS = ['GET', 'POST', 'POST', 'POST', 'DELETE', 'PUT', 'PATCH', 'OPTIONS', 'HEAD', 'TRACE', 'PROPFIND', 'CONNECT', 'G3T', 'get', 'POST ', ''];
const ACTIONS = ['task.process', 'Task.Process', 'stress.seq', 'task.proces', 'no.such', '1abc', 'a..b', '..%2F..%2Fetc%2Fpasswd', 'task.process.', '%E0%A4%A', 'x'.repeat(200)];
const RUN_IDS = ['abc', '%zz', '%E0%A4%A', '..%2F', 'A'.repeat(24), '', '%00', 'x'.repeat(3000), '🙂', '%F0%9F%99%82'];

function target(rand: Rand): string {
  switch (int(rand, 9)) {
    case 0:
      return pick(rand, ['/', '//', '//%9e', '//:99999/x', `//evil.example${BASE}/task.process`, '/%', '/%zz', '/%2e%2e/%2e%2e/etc/passwd', '/../../etc/passwd', '/index.html', '/app.js?v=x', '*', `http://127.0.0.1${BASE}`, '/\\evil', '/.env']);
    case 1:
      return `/${'a'.repeat(pick(rand, [255, 256, 1024, 8000]))}`;
    case 2:
      return `${BASE}/runs/${pick(rand, RUN_IDS)}`;
    case 3:
      return `${BASE}/${pick(rand, ACTIONS)}?input=${encodeURIComponent(jsonBody(rand).toString('latin1'))}`;
    case 4:
      return `${BASE}/${pick(rand, ACTIONS)}?${randomText(rand, int(rand, 40))}`;
    case 5:
      return `${BASE}${'/'.repeat(int(rand, 5))}${pick(rand, ACTIONS)}`;
    case 6:
      return `${BASE}/${randomText(rand, int(rand, 60))}`;
    case 7:
      return `${BASE}?token=${randomText(rand, 10)}&lastEventId=${randomText(rand, 5)}`;
    default:
      return `${BASE}/${pick(rand, ACTIONS)}`;
  }
}

function deepJson(depth: number, open: string, close: string): string {
  return open.repeat(depth) + close.repeat(depth);
}

function mutate(rand: Rand, text: string): string {
  let s = text;
  for (let i = int(rand, 4); i >= 0; i--) {
    const at = int(rand, s.length);
    switch (int(rand, 3)) {
      case 0:
        s = s.slice(0, at) + s.slice(at + 1);
        break;
      case 1:
        s = s.slice(0, at) + randomText(rand, 1, '{}[]",:\\0eE-+.tnfu ') + s.slice(at);
        break;
      case 2:
        s = s.slice(0, at);
        break;
      default:
        s = s.slice(0, at) + s.slice(at).replace(/\d/, String(int(rand, 9)));
    }
  }
  return s;
}

function jsonBody(rand: Rand): Buffer {
  const valid = JSON.stringify({ name: randomText(rand, int(rand, 20)), steps: pick(rand, [1, 2, 0, -1, 1.5, 1e9]), delayMs: pick(rand, [0, 0, 1, -5, 'x']) });
  switch (int(rand, 11)) {
    case 0:
      return Buffer.from(valid);
    case 1:
      return Buffer.from(mutate(rand, valid));
    case 2:
      return randomBytes(rand, int(rand, 300));
    case 3:
      // Invalid UTF-8 inside a string, and a lone surrogate escape.
      return Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0xc3, 0x28, 0xff, 0xfe, 0xed, 0xa0, 0x80]), Buffer.from('\\ud800"}')]);
    case 4:
      return Buffer.from(deepJson(pick(rand, [65, 100, 1000, 100_000]), '[', ']'));
    case 5:
      return Buffer.from(deepJson(pick(rand, [65, 5000]), '{"a":', '}').replace(/}$/, '1}').replace(/^/, ''));
    case 6:
      return Buffer.from(pick(rand, ['{"__proto__":{"polluted":1},"name":"p"}', '{"constructor":{"prototype":{"polluted":1}},"name":"c"}', '{"name":{"toString":1,"valueOf":2}}', '{"name":"x","__proto__":null}']));
    case 7:
      return Buffer.from(pick(rand, ['null', '[]', '1', '"x"', 'true', '{}', '', ' ', '{"name":1e999}', '{"name":"' + 'x'.repeat(300) + '"}', '{"steps":123456789012345678901234567890}']));
    case 8:
      return Buffer.from(`{"name":"${'\\u0000'.repeat(20)}","steps":1,"delayMs":0}`);
    case 9:
      return Buffer.from(JSON.stringify({ name: 'x', steps: 1, delayMs: 0, extra: randomText(rand, 100) }));
    default:
      return Buffer.from(mutate(rand, mutate(rand, valid)));
  }
}

const CONTENT_TYPES = ['application/json', 'application/json; charset=utf-8', 'application/vnd.x+json', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', '', 'application/json;;;', '\u00ff'];
const ACCEPTS = ['text/event-stream', 'application/json', '*/*', 'text/event-stream;q=0', 'text/event-stream;q=abc', 'text/event-stream, */*', '', 'text/html'];
const LAST_EVENT_IDS = ['0', '1', '99999999999999999999999', '-1', '1.5', 'abc', '', '9'.repeat(400), '🙂', '0x10', ' 3'];

/** One request: mostly well-formed HTTP with one or more odd parts, now and then broken HTTP. */
export function fuzzRequest(rand: Rand, port: number): Buffer {
  if (chance(rand, 0.05)) return randomBytes(rand, int(rand, 400) + 1);
  const method = pick(rand, METHODS);
  const path = target(rand);
  const version = chance(rand, 0.03) ? pick(rand, ['HTTP/1.0', 'HTTP/2.0', 'HTTP/1.1x', 'HTTP/9.9']) : 'HTTP/1.1';
  const headers: string[] = [];
  if (!chance(rand, 0.05)) headers.push(`Host: ${pick(rand, [`127.0.0.1:${port}`, `localhost:${port}`, `127.0.0.1:${port}`, 'evil.example', '', `[::1]:${port}`, 'localhost:99999'])}`);
  if (chance(rand, 0.7)) headers.push(`Accept: ${pick(rand, ACCEPTS)}`);
  if (chance(rand, 0.6)) headers.push(`Content-Type: ${pick(rand, CONTENT_TYPES)}`);
  if (chance(rand, 0.2)) headers.push(`Last-Event-ID: ${pick(rand, LAST_EVENT_IDS)}`);
  if (chance(rand, 0.1)) headers.push(`Origin: ${pick(rand, ['null', 'https://evil.example', `http://127.0.0.1:${port}`, 'not an origin'])}`);
  if (chance(rand, 0.1)) headers.push(`Sec-Fetch-Site: ${pick(rand, ['cross-site', 'same-site', 'same-origin', 'none', 'garbage'])}`);
  if (chance(rand, 0.05)) headers.push(`Authorization: ${pick(rand, ['Bearer', 'Bearer x', 'Basic abc', ''])}`);
  if (chance(rand, 0.05)) headers.push(`Pkt-Detach: ${pick(rand, ['1', '0', 'yes'])}`);
  if (chance(rand, 0.03)) headers.push(`X-Big: ${'b'.repeat(pick(rand, [8000, 20_000, 70_000]))}`);
  if (chance(rand, 0.03)) for (let i = 0; i < 300; i++) headers.push(`X-Many-${i}: ${i}`);
  if (chance(rand, 0.03)) headers.push(pick(rand, ['No colon here', 'Bad\u0001Name: x', 'X: bad\u0000value', ' Leading: space', 'X-Unicode: \u00e9\u00ff']));

  // GET and HEAD mostly carry no body; other methods now and then carry none either.
  const body = method === 'GET' || method === 'HEAD' || chance(rand, 0.1) ? Buffer.alloc(0) : jsonBody(rand);
  switch (int(rand, 9)) {
    case 0:
      headers.push(`Content-Length: ${pick(rand, ['-1', 'abc', '1e3', '99999999999999999999', ' 5', `${body.length}, ${body.length}`])}`);
      break;
    case 1:
      headers.push(`Content-Length: ${body.length}`, `Content-Length: ${body.length + 1}`);
      break;
    case 2:
      headers.push(`Content-Length: ${Math.max(0, body.length - int(rand, 5) - 1)}`);
      break;
    case 3:
      headers.push(`Content-Length: ${body.length + int(rand, 50) + 1}`);
      break;
    case 4: {
      headers.push(`Transfer-Encoding: ${pick(rand, ['chunked', 'chunked', 'gzip, chunked', 'chunked, gzip', 'identity'])}`);
      if (chance(rand, 0.3)) headers.push(`Content-Length: ${body.length}`);
      const size = chance(rand, 0.7) ? body.length.toString(16) : pick(rand, ['zz', '-1', 'ffffffffffffffff', '1;ext=' + 'e'.repeat(5000)]);
      return Buffer.concat([Buffer.from(`${method} ${path} ${version}\r\n${headers.join('\r\n')}\r\n\r\n${size}\r\n`, 'latin1'), body, Buffer.from('\r\n0\r\n\r\n')]);
    }
    default:
      headers.push(`Content-Length: ${body.length}`);
  }
  return Buffer.concat([Buffer.from(`${method} ${path} ${version}\r\n${headers.join('\r\n')}\r\n\r\n`, 'latin1'), body]);
}
