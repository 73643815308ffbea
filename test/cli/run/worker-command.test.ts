import assert from 'node:assert/strict';
import { test } from 'node:test';
import { workerOptions, type WorkerArgs } from '../../../src/cli/run/worker-command.js';

const args = (extra: Partial<WorkerArgs> = {}): WorkerArgs => ({ concurrency: '100', 'stall-timeout': '30s', dev: false, ...extra });

test('pkt worker needs a Redis, from --redis or PKT_REDIS', () => {
  assert.match(String(workerOptions(args(), {})), /needs the Redis its front ends use: --redis redis:\/\/host:port \(or PKT_REDIS\)/);
  const fromEnv = workerOptions(args(), { PKT_REDIS: 'redis://127.0.0.1:6390' });
  assert.equal(typeof fromEnv === 'object' && fromEnv.redis, 'redis://127.0.0.1:6390');
});

test('pkt worker says which option is wrong, as typed', () => {
  const redis = 'redis://127.0.0.1:6379';
  assert.match(String(workerOptions(args({ redis, concurrency: '0' }), {})), /--concurrency wants a whole number .* not "0"/);
  assert.match(String(workerOptions(args({ redis, 'stall-timeout': '10' }), {})), /--stall-timeout wants a duration of at least 300ms, .* not "10"/);
  assert.match(String(workerOptions(args({ redis: 'http://x' }), {})), /--redis wants a URL such as redis:\/\/127\.0\.0\.1:6379/);
  assert.deepEqual(workerOptions(args({ redis, concurrency: '8', 'stall-timeout': '5s' }), {}), {
    redis,
    concurrency: 8,
    stallTimeoutMs: 5000,
    limits: {},
  });
});
